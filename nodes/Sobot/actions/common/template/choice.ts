/**
 * Which template to send: picked from a dropdown of approved templates (loaded from Sobot), or given by name
 * (for expressions and AI tools). The template is looked up once per execution so the body parameter count
 * can be checked before anything is sent.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString } from '../../../../shared/parameters/fields';
import { invalidField } from '../../../../shared/execution/items';
import { findTemplate, statusName } from '../../../transport/templates';
import { countVariables } from './variables';

export const templateChoiceProperties: INodeProperties[] = [
	{
		displayName: 'Template Source',
		name: 'templateSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'From List', value: 'list', description: 'Pick one of the approved templates' },
			{ name: 'By Name', value: 'name', description: 'Type the name or set it with an expression' },
		],
		default: 'list',
	},
	{
		displayName: 'Template Name or ID',
		name: 'template',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getApprovedTemplates' },
		required: true,
		default: '',
		displayOptions: { show: { templateSource: ['list'] } },
		description:
			'An approved template. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'order_update',
		displayOptions: { show: { templateSource: ['name'] } },
		description: "The template's name in Sobot (its entity_name)",
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: '',
		placeholder: 'en_US',
		description:
			"The template's language code, e.g. en or en_US. Leave empty to use the language Sobot lists for the template.",
	},
];

export interface TemplateInfo {
	name: string;
	language?: string;
	status?: string;
	/** Number of `{{n}}` variables in the body; undefined when the template is not known. */
	bodyVariables?: number;
	known: boolean;
}

/** Looks each template up at most once per execution; a failed lookup leaves the template "not known". */
export class TemplateLookup {
	private readonly cache = new Map<string, Promise<TemplateInfo>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	async get(name: string): Promise<TemplateInfo> {
		let found = this.cache.get(name);
		if (!found) {
			found = this.lookUp(name);
			this.cache.set(name, found);
		}
		return await found;
	}

	private async lookUp(name: string): Promise<TemplateInfo> {
		let template: IDataObject | undefined;
		try {
			template = await findTemplate(this.ctx, name);
		} catch {
			// The listing is only used for checks; the send itself still reports a real problem with the template.
			return { name, known: false };
		}
		if (!template) return { name, known: false };
		return {
			name,
			known: true,
			language: typeof template.lang_code === 'string' ? template.lang_code : undefined,
			status: statusName(template.status),
			bodyVariables: countVariables(String(template.template ?? template.body ?? '')),
		};
	}
}

export function readTemplateName(ctx: IExecuteFunctions, itemIndex: number): string {
	const fromList = ctx.getNodeParameter('templateSource', itemIndex, 'list') === 'list';
	return fromList
		? readString(ctx, itemIndex, 'template', 'Template')
		: readString(ctx, itemIndex, 'templateName', 'Template Name');
}

/** The template and language for one item; refuses a template that Sobot lists as not approved. */
export async function readTemplate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	lookup: TemplateLookup,
	{ mustBeKnown = false }: { mustBeKnown?: boolean } = {},
): Promise<TemplateInfo & { language: string }> {
	const fromList = ctx.getNodeParameter('templateSource', itemIndex, 'list') === 'list';
	const label = fromList ? 'Template' : 'Template Name';
	const name = readTemplateName(ctx, itemIndex);
	const info = await lookup.get(name);
	if (!info.known && mustBeKnown) {
		throw invalidField(ctx, itemIndex, label, `Sobot lists no template named "${name}"`);
	}
	if (info.known && info.status !== 'approved') {
		throw invalidField(ctx, itemIndex, label, `"${name}" is ${info.status ?? 'not approved'} in Sobot; only approved templates can be sent`);
	}
	const language = readString(ctx, itemIndex, 'language', 'Language', { required: false }) || info.language;
	if (!language) {
		throw invalidField(ctx, itemIndex, 'Language', `is empty and Sobot lists no template named "${name}" to take it from`);
	}
	return { ...info, language };
}
