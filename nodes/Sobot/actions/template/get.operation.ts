import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readString } from '../../../shared/parameters/fields';
import { forEachItem, invalidField } from '../../../shared/execution/items';
import { findTemplate, statusName } from '../../transport/templates';

const properties: INodeProperties[] = [
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'order_update',
		description: "The template's name in Sobot (its entity_name)",
	},
];

export const description = updateDisplayOptions({ show: { resource: ['template'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const name = readString(this, itemIndex, 'templateName', 'Template Name');
		// Sobot has no endpoint for one template: it is found in the listing.
		const template = await findTemplate(this, name);
		if (!template) throw invalidField(this, itemIndex, 'Template Name', `Sobot lists no template named "${name}"`);
		return { ...template, status_name: statusName(template.status) ?? null };
	});
}
