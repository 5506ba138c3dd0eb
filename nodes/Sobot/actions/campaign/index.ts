import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send a campaign',
				description:
					'Send one approved template to every input item, paced, with a report per recipient',
			},
		],
		default: 'send',
	},
	...send.description,
];
