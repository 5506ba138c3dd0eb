import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listTemplates } from '../transport/templates';

/** The approved templates, for the template dropdown: only these can be sent. */
export async function getApprovedTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const templates = await listTemplates(this, 'approved');
	return templates
		.filter((template) => typeof template.entity_name === 'string' && template.entity_name !== '')
		.map((template) => {
			const body = String(template.template ?? '');
			return {
				name: `${String(template.entity_name)}${template.lang_code ? ` (${String(template.lang_code)})` : ''}`,
				value: String(template.entity_name),
				description: body.length > 120 ? `${body.slice(0, 117)}...` : body,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}
