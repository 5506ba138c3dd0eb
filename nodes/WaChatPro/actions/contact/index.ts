import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many contacts',
				description: 'List the contacts of the WhatsApp account, one item per contact',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
