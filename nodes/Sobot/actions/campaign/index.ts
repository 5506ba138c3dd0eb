import type { INodeProperties } from 'n8n-workflow';

import * as report from './report.operation';
import * as send from './send.operation';

export { report, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Report',
				value: 'report',
				action: 'Report on a campaign',
				description:
					'Count the lines of a send into one item with rates and a funnel chart (PNG) in its binary data',
			},
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
	...report.description,
];
