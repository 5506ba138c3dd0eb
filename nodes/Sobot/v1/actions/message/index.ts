import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';
import * as sendAndWaitForReply from './sendAndWaitForReply.operation';
import * as sendTemplate from './sendTemplate.operation';

export { send, sendAndWaitForReply, sendTemplate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send a message to a customer',
				description:
					'Send a free-form message (text, media, location, buttons, list, products) within the 24-hour window',
			},
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWaitForReply',
				action: 'Send a message and wait for the reply',
				description:
					'Ask one customer a question (text, buttons or list) and continue with their answer, or on a timeout',
			},
			{
				name: 'Send Template',
				value: 'sendTemplate',
				action: 'Send an approved template to a customer',
				description: 'Send an approved template, at any time',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendAndWaitForReply.description,
	...sendTemplate.description,
];
