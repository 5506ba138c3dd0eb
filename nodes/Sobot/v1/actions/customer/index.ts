import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { add, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add a customer',
				description: 'Add a customer, or update it when it already exists (optional)',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many customers',
				description: "List customers, following Sobot's pages",
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a customer',
				description: 'Update a customer found by mobile number',
			},
		],
		default: 'add',
	},
	...add.description,
	...getAll.description,
	...update.description,
];
