/** Template buttons: up to 3 quick replies, or call-to-action buttons (a phone number and/or a URL). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readNumber, readString, readUrl } from '../../../../../shared/parameters/fields';
import { invalidField } from '../../../../../shared/execution/items';
import { META, SOBOT } from '../../../../limits';
import { readEntries, text } from '../../common/entries';
import { variableNumbers } from '../../common/template/variables';

const cta = { show: { buttonsType: ['cta'] } };

export const buttonProperties: INodeProperties[] = [
	{
		displayName: 'Buttons',
		name: 'buttonsType',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{
				name: 'Quick Replies',
				value: 'quickReply',
				description: `Up to ${SOBOT.templateQuickRepliesMax} reply buttons`,
			},
			{ name: 'Call to Action', value: 'cta', description: 'A phone button and/or a URL button' },
		],
		default: 'none',
	},
	{
		displayName: 'Quick Replies',
		name: 'quickReplies',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Quick Reply',
		default: {},
		displayOptions: { show: { buttonsType: ['quickReply'] } },
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [{ displayName: 'Text', name: 'text', type: 'string', default: '' }],
			},
		],
	},
	{
		displayName: 'Phone Button Text',
		name: 'phoneButtonText',
		type: 'string',
		default: '',
		placeholder: 'Call us',
		displayOptions: cta,
		description: 'Leave empty for no phone button',
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		placeholder: '+91 98123 45678',
		displayOptions: cta,
	},
	{
		displayName: 'URL Button Text',
		name: 'urlButtonText',
		type: 'string',
		default: '',
		placeholder: 'Track order',
		displayOptions: cta,
		description: 'Leave empty for no URL button',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/orders/{{1}}',
		displayOptions: cta,
		description: 'May end in {{1}}, filled per message by a button parameter',
	},
	{
		displayName: 'Example URL',
		name: 'exampleWebsite',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/orders/12345',
		displayOptions: cta,
		description: "A complete sample URL for Meta's review; needed when the URL ends in {{1}}",
	},
];

function buttonText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: string,
	label: string,
	where = '',
): string {
	if (value.length > META.templateButtonTextLength) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`${where}"${value}" is ${value.length} characters long; the most allowed is ${META.templateButtonTextLength}`,
		);
	}
	return value;
}

function readQuickReplies(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const label = 'Quick Replies';
	const texts = readEntries(ctx, itemIndex, 'quickReplies.button').map((entry) => text(entry.text));
	if (texts.length < 1 || texts.length > SOBOT.templateQuickRepliesMax) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`has ${texts.length} buttons; use 1 to ${SOBOT.templateQuickRepliesMax}`,
		);
	}
	texts.forEach((value, index) => {
		if (!value) throw invalidField(ctx, itemIndex, label, `button ${index + 1} has no text`);
		buttonText(ctx, itemIndex, value, label, `button ${index + 1}: `);
		const twin = texts.findIndex((other) => other.toLowerCase() === value.toLowerCase());
		if (twin !== index)
			throw invalidField(
				ctx,
				itemIndex,
				label,
				`buttons ${twin + 1} and ${index + 1} are both "${value}"; texts must differ`,
			);
	});
	return { buttons: texts };
}

function readCallToAction(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const result: IDataObject = { sub_type: 'CTA' };
	const phoneText = readString(ctx, itemIndex, 'phoneButtonText', 'Phone Button Text', {
		required: false,
	});
	const urlText = readString(ctx, itemIndex, 'urlButtonText', 'URL Button Text', {
		required: false,
	});
	if (!phoneText && !urlText) {
		throw invalidField(
			ctx,
			itemIndex,
			'Phone Button Text',
			'and URL Button Text are both empty: a call-to-action template needs at least one button',
		);
	}
	if (phoneText) {
		result.phone_numbers = [
			{
				phone_number: readNumber(ctx, itemIndex, 'phoneNumber', 'Phone Number', 'digits'),
				text: buttonText(ctx, itemIndex, phoneText, 'Phone Button Text'),
			},
		];
	}
	if (urlText) {
		const url = readString(ctx, itemIndex, 'url', 'URL');
		const numbers = variableNumbers(url);
		const dynamic = numbers.length > 0;
		if (dynamic && !/\{\{\s*1\s*\}\}$/.test(url))
			throw invalidField(ctx, itemIndex, 'URL', 'may only end in {{1}}, with no other variable');
		if (!/^https?:\/\/[^\s/]+/i.test(url))
			throw invalidField(ctx, itemIndex, 'URL', `"${url}" must start with http:// or https://`);
		result.url = url;
		result.url_name = buttonText(ctx, itemIndex, urlText, 'URL Button Text');
		if (dynamic) result.example_website = readUrl(ctx, itemIndex, 'exampleWebsite', 'Example URL');
	}
	return result;
}

export function readButtons(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const type = ctx.getNodeParameter('buttonsType', itemIndex, 'none') as string;
	if (type === 'quickReply') return readQuickReplies(ctx, itemIndex);
	if (type === 'cta') return readCallToAction(ctx, itemIndex);
	if (type !== 'none')
		throw invalidField(ctx, itemIndex, 'Buttons', `"${type}" is not one of none, quickReply, cta`);
	return {};
}
