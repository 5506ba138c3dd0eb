import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { searchEntries } from '../../../shared/parameters/resourceLocator';
import type { TemplateStatusName } from '../../transport/templates';
import { listTemplates, statusName } from '../../transport/templates';

function asEntry(template: IDataObject, withStatus: boolean): INodeListSearchItems {
	const name = String(template.entity_name);
	const language = template.lang_code ? ` (${String(template.lang_code)})` : '';
	const status = withStatus ? ` · ${statusName(template.status) ?? 'unknown status'}` : '';
	const body = String(template.template ?? '');
	return {
		name: `${name}${language}${status}`,
		value: name,
		description: body.length > 120 ? `${body.slice(0, 117)}...` : body,
	};
}

async function search(
	ctx: ILoadOptionsFunctions,
	status: TemplateStatusName | 'all',
	filter?: string,
): Promise<INodeListSearchResult> {
	// Sobot has no search: the listing is read whole (20 a page) and filtered here.
	const templates = await listTemplates(ctx, status);
	const named = templates.filter(
		(template) => typeof template.entity_name === 'string' && template.entity_name !== '',
	);
	return searchEntries(
		named.map((template) => asEntry(template, status === 'all')),
		filter,
	);
}

/** The approved templates, for the sends' Template field: only these can be sent. */
export async function searchApprovedTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await search(this, 'approved', filter);
}

/** Every template with its status, for Template › Get. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await search(this, 'all', filter);
}
