import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';
import * as getMessages from './getMessages.operation';

export { getMany, getMessages };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chat'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many chats',
				description: 'List the chats of the WhatsApp account, one item per chat',
			},
			{
				name: 'Get Messages',
				value: 'getMessages',
				action: 'Get messages of a chat',
				description: 'List the messages exchanged with one phone number, one item per message',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...getMessages.description,
];
