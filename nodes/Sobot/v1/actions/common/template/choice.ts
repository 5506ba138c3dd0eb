/**
 * Which template to send: picked from a searchable list of approved templates (loaded from Sobot), or given by
 * name or by Sobot's ID (typed, or from an expression or an AI tool). The template is looked up once per
 * execution so its status and body parameter count are checked before anything is sent.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../../../../shared/execution/items';
import { readString } from '../../../../../shared/parameters/fields';
import { GatewayError } from '../../../../../shared/http/transport';
import { accountSignalOf } from '../../../../../shared/sending/accountSignal';
import { locatorProperty, readLocator } from '../../../../../shared/parameters/resourceLocator';
import { findTemplate, findTemplateById, statusName } from '../../../../transport/templates';
import { countVariables } from './variables';

/** The Template field; `searchListMethod` lists approved templates for sends, all of them for Template › Get. */
export function templateLocatorProperty(
	searchListMethod: 'searchApprovedTemplates' | 'searchTemplates',
): INodeProperties {
	return locatorProperty({
		displayName: 'Template',
		name: 'template',
		description:
			searchListMethod === 'searchApprovedTemplates'
				? 'An approved template: only these can be sent'
				: 'A template of any status',
		searchListMethod,
		listPlaceholder: 'Select a template...',
		firstMode: 'list',
		modes: [
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'order_update',
				hint: "The template's name in Sobot (its entity_name)",
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '42',
				hint: "Sobot's ID of the template (its id in Template › Get Many)",
			},
		],
	});
}

export const templateChoiceProperties: INodeProperties[] = [
	templateLocatorProperty('searchApprovedTemplates'),
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

	private readonly names = new Map<string, Promise<string | undefined>>();

	constructor(private readonly ctx: IExecuteFunctions) {}

	/** The name of the template with Sobot's ID `id`; undefined when Sobot lists none. Errors propagate. */
	async nameOf(id: string): Promise<string | undefined> {
		let found = this.names.get(id);
		if (!found) {
			found = findTemplateById(this.ctx, id).then((template) => {
				const name =
					typeof template?.entity_name === 'string' && template.entity_name !== ''
						? template.entity_name
						: undefined;
				// Found whole: the checks that follow need no second listing.
				if (template && name !== undefined && !this.cache.has(name))
					this.cache.set(name, Promise.resolve(describeTemplate(name, template)));
				return name;
			});
			this.names.set(id, found);
		}
		return await found;
	}

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
		let failure: unknown;
		try {
			template = await findTemplate(this.ctx, name);
		} catch (error) {
			failure = error;
		}
		// Refused keys or an account that cannot send are the run's problem, not the template's: say that, rather
		// than "no template named …" (stop on account-level signals, sending/accountSignal.ts).
		if (failure instanceof GatewayError && accountSignalOf(failure)) throw failure;
		// Otherwise the listing is only used for checks; the send itself still reports a real problem with the template.
		if (failure !== undefined) return { name, known: false };
		return template ? describeTemplate(name, template) : { name, known: false };
	}
}

function describeTemplate(name: string, template: IDataObject): TemplateInfo {
	return {
		name,
		known: true,
		language: typeof template.lang_code === 'string' ? template.lang_code : undefined,
		status: statusName(template.status),
		bodyVariables: countVariables(String(template.template ?? template.body ?? '')),
	};
}

/** The name of the template an item asks for: as given, or found by its ID. */
export async function readTemplateName(
	ctx: IExecuteFunctions,
	itemIndex: number,
	lookup: TemplateLookup,
): Promise<string> {
	const { mode, value } = readLocator(ctx, itemIndex, 'template', 'Template', 'name');
	if (mode !== 'id') return value;
	let name: string | undefined;
	try {
		name = await lookup.nameOf(value);
	} catch (error) {
		throw invalidField(
			ctx,
			itemIndex,
			'Template',
			`could not look up the template with ID "${value}" (${(error as Error).message})`,
		);
	}
	if (name === undefined)
		throw invalidField(ctx, itemIndex, 'Template', `Sobot lists no template with ID "${value}"`);
	return name;
}

/** The template and language for one item; refuses a template that Sobot lists as not approved. */
export async function readTemplate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	lookup: TemplateLookup,
	{ mustBeKnown = false }: { mustBeKnown?: boolean } = {},
): Promise<TemplateInfo & { language: string }> {
	const label = 'Template';
	const name = await readTemplateName(ctx, itemIndex, lookup);
	const info = await lookup.get(name);
	if (!info.known && mustBeKnown) {
		throw invalidField(ctx, itemIndex, label, `Sobot lists no template named "${name}"`);
	}
	if (info.known && info.status !== 'approved') {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`"${name}" is ${info.status ?? 'not approved'} in Sobot; only approved templates can be sent`,
		);
	}
	const language =
		readString(ctx, itemIndex, 'language', 'Language', { required: false }) || info.language;
	if (!language) {
		throw invalidField(
			ctx,
			itemIndex,
			'Language',
			`is empty and Sobot lists no template named "${name}" to take it from`,
		);
	}
	return { ...info, language };
}
