import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem, invalidField } from '../../../../shared/execution/items';
import { readLocator } from '../../../../shared/parameters/resourceLocator';
import { findTemplate, findTemplateById, statusName } from '../../../transport/templates';
import { templateLocatorProperty } from '../common/template/choice';

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['get'] } },
	[templateLocatorProperty('searchTemplates')],
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const { mode, value } = readLocator(this, itemIndex, 'template', 'Template', 'name');
		// Sobot has no endpoint for one template: it is found in the listing.
		const template: IDataObject | undefined =
			mode === 'id' ? await findTemplateById(this, value) : await findTemplate(this, value);
		if (!template) {
			throw invalidField(
				this,
				itemIndex,
				'Template',
				`Sobot lists no template ${mode === 'id' ? 'with ID' : 'named'} "${value}"`,
			);
		}
		return { ...template, status_name: statusName(template.status) ?? null };
	});
}
