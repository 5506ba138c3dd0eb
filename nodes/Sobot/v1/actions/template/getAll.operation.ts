import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem, invalidField } from '../../../../shared/execution/items';
import { readLimit, returnAllOrLimit } from '../../../../shared/parameters/lists';
import type { TemplateStatusName } from '../../../transport/templates';
import { listTemplates, statusName } from '../../../transport/templates';

const show = { resource: ['template'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'Approved', value: 'approved' },
			{ name: 'Pending', value: 'pending', description: "Waiting for Meta's review" },
			{ name: 'Rejected', value: 'rejected' },
		],
		default: 'all',
		description: 'Only templates with this review status',
	},
	...returnAllOrLimit(show),
];

export const description = updateDisplayOptions({ show }, properties);

const STATUSES = ['all', 'approved', 'pending', 'rejected'];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const status = this.getNodeParameter('status', itemIndex, 'all') as string;
		if (!STATUSES.includes(status)) {
			throw invalidField(
				this,
				itemIndex,
				'Status',
				`"${status}" is not one of ${STATUSES.join(', ')}`,
			);
		}
		const limit = readLimit(this, itemIndex);
		const templates = await listTemplates(this, status as TemplateStatusName | 'all', { limit });
		return templates.map((template) => ({
			...template,
			status_name: statusName(template.status) ?? null,
		}));
	});
}
