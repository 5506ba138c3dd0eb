import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';
import * as sendTemplate from './sendTemplate.operation';

export { send, sendTemplate };

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
				description: 'Send a free-form message (text, media, location, buttons, list, products) within the 24-hour window',
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
	...sendTemplate.description,
];
