import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';
import * as getMessages from './getMessages.operation';

export { getAll, getMessages };

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
				value: 'getAll',
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
		default: 'getAll',
	},
	...getAll.description,
	...getMessages.description,
];
