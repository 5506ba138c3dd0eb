import type { INodeProperties } from 'n8n-workflow';

import * as sendAndWaitForReply from './sendAndWaitForReply.operation';
import * as sendText from './sendText.operation';

export { sendAndWaitForReply, sendText };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWaitForReply',
				action: 'Send a text and wait for the reply',
				description: 'Ask one customer a question and continue with their answer, or on a timeout',
			},
			{
				name: 'Send Text',
				value: 'sendText',
				action: 'Send a text message',
				description: 'Send a WhatsApp text message from one of your agents',
			},
		],
		default: 'sendText',
	},
	...sendText.description,
	...sendAndWaitForReply.description,
];
