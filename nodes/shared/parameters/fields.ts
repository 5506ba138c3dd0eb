/**
 * Reading parameters of one item with validation that names the field and the item. Operations read
 * their input through these so that every node rejects nonsense the same way, before any request.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../execution/items';
import { isObject } from '../http/replies';
import { PhoneNumberError, toDigits, toJid } from './phone';

export const defaultCountryCodeProperty: INodeProperties = {
	displayName: 'Default Country Code',
	name: 'defaultCountryCode',
	type: 'string',
	default: '62',
	placeholder: '62',
	description:
		'Calling code given to numbers typed in local form with a leading 0 (62 Indonesia, 91 India; with 91 also to bare 10-digit mobiles). Numbers with +, 00 or a country code are left as they are.',
};

/** The plain message text of a Send Text operation. */
export const messageTextProperty: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	required: true,
	default: '',
	typeOptions: { rows: 4 },
	description: 'The text of the WhatsApp message, sent as written (line breaks and emoji are kept)',
};

/** What n8n hands over for a resource locator: the object it saves, whatever the mode. */
export function isLocatorValue(value: unknown): value is { mode?: unknown; value: unknown } {
	return isObject(value) && 'value' in value && ('__rl' in value || 'mode' in value);
}

/** The value inside a locator, or the value itself: for readers shared by locator and plain fields. */
export function locatedValue(value: unknown): unknown {
	return isLocatorValue(value) ? value.value : value;
}

export function readString(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	{
		required = true,
		maxLength,
		trim = true,
	}: { required?: boolean; maxLength?: number; trim?: boolean } = {},
): string {
	// A locator field holds its text as its value, whatever the mode.
	const value = locatedValue(ctx.getNodeParameter(name, itemIndex, '') as unknown);
	if (value !== null && value !== undefined && typeof value === 'object') {
		throw invalidField(ctx, itemIndex, label, 'must be text, not an object or a list');
	}
	let text = value === null || value === undefined ? '' : String(value);
	if (trim) text = text.trim();
	if (required && text.trim() === '')
		throw invalidField(ctx, itemIndex, label, 'is required but empty');
	if (maxLength !== undefined && text.length > maxLength) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`is ${text.length} characters long; the most allowed is ${maxLength}`,
		);
	}
	return text;
}

function readCountryCode(ctx: IExecuteFunctions, itemIndex: number): string {
	return String(ctx.getNodeParameter('defaultCountryCode', itemIndex, '62') || '62');
}

/** A phone number or WhatsApp id, in the form a gateway wants. */
export function readNumber(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	form: 'jid' | 'digits',
): string {
	// A locator field ("From List" or typed) holds the number as its value.
	const raw = locatedValue(ctx.getNodeParameter(name, itemIndex, '') as unknown);
	const countryCode = readCountryCode(ctx, itemIndex);
	try {
		return form === 'jid' ? toJid(raw, countryCode) : toDigits(raw, countryCode);
	} catch (error) {
		const problem = error instanceof PhoneNumberError ? error.message : String(error);
		const field = problem.includes('country calling code') ? 'Default Country Code' : label;
		throw invalidField(ctx, itemIndex, field, problem);
	}
}

/** An http(s) URL the gateway will fetch; other schemes and malformed URLs are refused. */
export function readUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	{ required = true }: { required?: boolean } = {},
): string {
	const text = readString(ctx, itemIndex, name, label, { required });
	if (text === '') return text;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw invalidField(ctx, itemIndex, label, `"${text}" is not a valid URL`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw invalidField(ctx, itemIndex, label, `"${text}" must start with http:// or https://`);
	}
	return url.toString();
}
