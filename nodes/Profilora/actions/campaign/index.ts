import type { INodeProperties } from 'n8n-workflow';

import * as report from './report.operation';

export { report };

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
		],
		default: 'report',
	},
	...report.description,
];
