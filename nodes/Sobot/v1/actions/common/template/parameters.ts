/**
 * A template's header, body and button parameters, entered in the UI or given as Sobot's `params` JSON.
 * Values may be expressions, so a campaign fills them per recipient.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString, readUrl } from '../../../../../shared/parameters/fields';
import { invalidField } from '../../../../../shared/execution/items';
import { readEntries, text } from '../entries';
import { readJsonParameter } from '../../../../../shared/parameters/json';
import { isObject } from '../../../../../shared/http/replies';

const ui = { show: { parametersMode: ['ui'] } };

export const templateParameterProperties: INodeProperties[] = [
	{
		displayName: 'Parameters',
		name: 'parametersMode',
		type: 'options',
		options: [
			{ name: 'In the UI', value: 'ui' },
			{ name: 'As JSON', value: 'json', description: 'Sobot\'s "params" list as it is' },
		],
		default: 'ui',
		description: "How to fill the template's variables; templates without variables need none",
	},
	{
		displayName: 'Header Parameter',
		name: 'headerParameterType',
		type: 'options',
		options: [
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
		default: 'none',
		displayOptions: ui,
		description:
			"What fills the template's header: its text variable, or the media of a media header",
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		displayOptions: { show: { parametersMode: ['ui'], headerParameterType: ['text'] } },
	},
	{
		displayName: 'Header Media URL',
		name: 'headerMediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/banner.jpg',
		displayOptions: {
			show: { parametersMode: ['ui'], headerParameterType: ['image', 'document', 'video'] },
		},
	},
	{
		displayName: 'Header Document File Name',
		name: 'headerFileName',
		type: 'string',
		default: '',
		placeholder: 'invoice.pdf',
		displayOptions: { show: { parametersMode: ['ui'], headerParameterType: ['document'] } },
	},
	{
		displayName: 'Body Parameters',
		name: 'bodyParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Body Parameter',
		default: {},
		displayOptions: ui,
		description: 'One value per {{n}} variable of the body, in order: the first fills {{1}}',
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [{ displayName: 'Text', name: 'text', type: 'string', default: '' }],
			},
		],
	},
	{
		displayName: 'Button Parameters',
		name: 'buttonParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Button Parameter',
		default: {},
		displayOptions: ui,
		description: 'Values for buttons that have a variable, such as the end of a dynamic URL',
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Button Index',
						name: 'index',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 9 },
						default: 0,
						description: "The button's position in the template, counting from 0",
					},
					{
						displayName: 'Button Type',
						name: 'subType',
						type: 'options',
						options: [
							{
								name: 'URL',
								value: 'url',
								description: 'Fills the {{1}} at the end of the button URL',
							},
							{
								name: 'Quick Reply',
								value: 'quickReply',
								description: 'Sets the payload sent back when tapped',
							},
						],
						default: 'url',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Parameters (JSON)',
		name: 'parametersJson',
		type: 'json',
		default: '[{"type": "body", "parameters": [{"type": "text", "text": "value for {{1}}"}]}]',
		displayOptions: { show: { parametersMode: ['json'] } },
		description:
			'Sobot\'s "params": [{type: header|body|button, sub_type?, index?, parameters: [{type: text|image|document|video, ...}]}]',
	},
];

export interface TemplateParameters {
	params: IDataObject[];
	/** How many body parameters were given, to compare with the template's variables. */
	bodyCount: number;
}

function headerParameter(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const type = ctx.getNodeParameter('headerParameterType', itemIndex, 'none') as string;
	if (type === 'none') return undefined;
	if (type === 'text') {
		return {
			type: 'text',
			text: readString(ctx, itemIndex, 'headerText', 'Header Text', { trim: false }),
		};
	}
	const link = readUrl(ctx, itemIndex, 'headerMediaUrl', 'Header Media URL');
	if (type === 'image') return { type: 'image', image: { link } };
	// Sobot's docs show a video parameter with `link` directly on it, unlike image and document.
	if (type === 'video') return { type: 'video', link };
	if (type === 'document') {
		const document: IDataObject = { link };
		const filename = readString(ctx, itemIndex, 'headerFileName', 'Header Document File Name', {
			required: false,
		});
		if (filename) document.filename = filename;
		return { type: 'document', document };
	}
	throw invalidField(
		ctx,
		itemIndex,
		'Header Parameter',
		`"${type}" is not one of none, text, image, document, video`,
	);
}

function fromUi(ctx: IExecuteFunctions, itemIndex: number): TemplateParameters {
	const params: IDataObject[] = [];
	const header = headerParameter(ctx, itemIndex);
	if (header) params.push({ type: 'header', parameters: [header] });

	const body = readEntries(ctx, itemIndex, 'bodyParameters.parameter').map((entry, index) => {
		const value = entry.text === null || entry.text === undefined ? '' : String(entry.text);
		if (value.trim() === '') {
			throw invalidField(
				ctx,
				itemIndex,
				'Body Parameters',
				`parameter ${index + 1} (for {{${index + 1}}}) is empty; WhatsApp refuses empty parameters`,
			);
		}
		return { type: 'text', text: value };
	});
	if (body.length > 0) params.push({ type: 'body', parameters: body });

	readEntries(ctx, itemIndex, 'buttonParameters.button').forEach((entry, index) => {
		const value = text(entry.value);
		// The option value is camelCase (the package's rule); Sobot wants WhatsApp's `quick_reply`. Either spelling is read.
		const subType = /^quick_?reply$/i.test(text(entry.subType))
			? 'quick_reply'
			: text(entry.subType) || 'url';
		if (!value)
			throw invalidField(
				ctx,
				itemIndex,
				'Button Parameters',
				`button parameter ${index + 1} has no value`,
			);
		params.push({
			type: 'button',
			sub_type: subType,
			index: String(Number(entry.index ?? 0)),
			parameters: [
				subType === 'quick_reply'
					? { type: 'payload', payload: value }
					: { type: 'text', text: value },
			],
		});
	});
	return { params, bodyCount: body.length };
}

const COMPONENTS = ['header', 'body', 'button'];

function fromJson(ctx: IExecuteFunctions, itemIndex: number): TemplateParameters {
	const label = 'Parameters (JSON)';
	const value = readJsonParameter(ctx, itemIndex, 'parametersJson', label, []);
	if (!Array.isArray(value))
		throw invalidField(
			ctx,
			itemIndex,
			label,
			'must be a list like [{"type": "body", "parameters": [...]}]',
		);
	let bodyCount = 0;
	const params = value.map((component, index) => {
		const where = `entry ${index + 1}`;
		if (!isObject(component)) {
			throw invalidField(ctx, itemIndex, label, `${where} is not an object`);
		}
		const { type, parameters } = component as IDataObject;
		if (!COMPONENTS.includes(String(type))) {
			throw invalidField(
				ctx,
				itemIndex,
				label,
				`${where} has type "${String(type)}"; use header, body or button`,
			);
		}
		if (!Array.isArray(parameters))
			throw invalidField(ctx, itemIndex, label, `${where} needs a "parameters" list`);
		if (type === 'body') bodyCount += parameters.length;
		return component as IDataObject;
	});
	return { params, bodyCount };
}

export function readTemplateParameters(
	ctx: IExecuteFunctions,
	itemIndex: number,
): TemplateParameters {
	return ctx.getNodeParameter('parametersMode', itemIndex, 'ui') === 'json'
		? fromJson(ctx, itemIndex)
		: fromUi(ctx, itemIndex);
}

/** Sobot and Meta refuse a send whose body parameters do not match the template's variables one for one. */
export function checkBodyCount(
	ctx: IExecuteFunctions,
	itemIndex: number,
	template: { name: string; bodyVariables?: number },
	given: TemplateParameters,
): void {
	if (template.bodyVariables === undefined || template.bodyVariables === given.bodyCount) return;
	const json = ctx.getNodeParameter('parametersMode', itemIndex, 'ui') === 'json';
	throw invalidField(
		ctx,
		itemIndex,
		json ? 'Parameters (JSON)' : 'Body Parameters',
		`the template "${template.name}" has ${template.bodyVariables} body variable(s) but ${given.bodyCount} body parameter(s) were given`,
	);
}
