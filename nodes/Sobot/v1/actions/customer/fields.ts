/** The optional customer fields Sobot documents, shared by Add and Update, and how they become the request body. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString } from '../../../../shared/parameters/fields';
import { invalidField } from '../../../../shared/execution/items';
import { SOBOT } from '../../../limits';
import { readEntries, text } from '../common/entries';

const nameProperty: INodeProperties = {
	displayName: 'Customer Name',
	name: 'customerName',
	type: 'string',
	default: '',
	description: `Up to ${SOBOT.customerNameLength} characters`,
};

const optionalFields: INodeProperties[] = [
	{
		displayName: 'Date of Birth',
		name: 'dateOfBirth',
		type: 'string',
		default: '',
		placeholder: 'DD-MM-YYYY',
		description: 'DD-MM-YYYY; YYYY-MM-DD and ISO dates are converted',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{
		displayName: 'Extra Fields',
		name: 'extraFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Extra Field',
		default: {},
		description: 'Your own customer fields; keys may not contain spaces',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Facebook Profile',
		name: 'facebookProfile',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Gender',
		name: 'gender',
		type: 'options',
		options: [
			{ name: 'Female', value: 'female' },
			{ name: 'Male', value: 'male' },
		],
		default: 'female',
	},
	{
		displayName: 'Labels',
		name: 'labels',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Label' },
		default: [],
		description: 'Labels of the customer; on Update they replace the existing labels',
	},
	{
		displayName: 'LinkedIn Profile',
		name: 'linkedinProfile',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Twitter Profile',
		name: 'twitterProfile',
		type: 'string',
		default: '',
	},
];

export function customerFieldsProperty(
	name: string,
	displayName: string,
	{ withName = false }: { withName?: boolean } = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		// n8n lists collection options alphabetically.
		options: [...optionalFields, ...(withName ? [nameProperty] : [])].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

/** Sobot spells the value "Famale"; users may type any common form. */
function readGender(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	label: string,
): string {
	const value = text(raw).toLowerCase();
	if (['female', 'famale', 'f'].includes(value)) return 'Famale';
	if (['male', 'm'].includes(value)) return 'Male';
	throw invalidField(ctx, itemIndex, label, `"${text(raw)}" is not Male or Female`);
}

function validDate(day: number, month: number, year: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/** Sobot wants DD-MM-YYYY. */
function readDateOfBirth(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	label: string,
): string {
	const value = text(raw);
	let parts: [number, number, number] | undefined;
	let match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value);
	if (match) parts = [Number(match[1]), Number(match[2]), Number(match[3])];
	match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value);
	if (match) parts = [Number(match[3]), Number(match[2]), Number(match[1])];
	if (!parts || !validDate(...parts)) {
		throw invalidField(ctx, itemIndex, label, `"${value}" is not a date in the form DD-MM-YYYY`);
	}
	const [day, month, year] = parts;
	return `${String(day).padStart(2, '0')}-${String(month).padStart(2, '0')}-${year}`;
}

function readLabels(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	label: string,
): string[] {
	const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [raw];
	return list
		.map((entry, index) => {
			if (entry !== null && typeof entry === 'object') {
				throw invalidField(ctx, itemIndex, label, `label ${index + 1} is an object, not text`);
			}
			return text(entry);
		})
		.filter((entry) => entry !== '');
}

function readExtraFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
	label: string,
): IDataObject {
	const fields: IDataObject = {};
	readEntries(ctx, itemIndex, path).forEach((entry, index) => {
		const key = text(entry.key);
		if (!key) throw invalidField(ctx, itemIndex, `${label} › Key`, `field ${index + 1} has no key`);
		if (/\s/.test(key))
			throw invalidField(
				ctx,
				itemIndex,
				`${label} › Key`,
				`"${key}" contains a space; Sobot allows none in keys`,
			);
		if (key in fields)
			throw invalidField(ctx, itemIndex, `${label} › Key`, `"${key}" is given twice`);
		fields[key] = entry.value === null || entry.value === undefined ? '' : String(entry.value);
	});
	return fields;
}

/** The body fields from one item's collection (`collection` is its parameter name, `title` its display name). */
export function readCustomerFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	collection: string,
	title: string,
): IDataObject {
	const raw = ctx.getNodeParameter(collection, itemIndex, {}) as IDataObject;
	const label = (field: string) => `${title} › ${field}`;
	const body: IDataObject = {};
	if (raw.customerName !== undefined) {
		body.name = readString(ctx, itemIndex, `${collection}.customerName`, label('Customer Name'), {
			maxLength: SOBOT.customerNameLength,
		});
	}
	if (raw.email !== undefined) {
		const email = readString(ctx, itemIndex, `${collection}.email`, label('Email'));
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
			throw invalidField(ctx, itemIndex, label('Email'), `"${email}" is not an email address`);
		body.email = email;
	}
	if (raw.gender !== undefined)
		body.gender = readGender(ctx, itemIndex, raw.gender, label('Gender'));
	if (raw.dateOfBirth !== undefined)
		body.date_of_birth = readDateOfBirth(ctx, itemIndex, raw.dateOfBirth, label('Date of Birth'));
	const profiles: Array<[string, string, string]> = [
		['facebookProfile', 'facebook_profile', 'Facebook Profile'],
		['linkedinProfile', 'linkedin_profile', 'LinkedIn Profile'],
		['twitterProfile', 'twitter_profile', 'Twitter Profile'],
	];
	for (const [field, key, name] of profiles) {
		if (raw[field] !== undefined)
			body[key] = readString(ctx, itemIndex, `${collection}.${field}`, label(name));
	}
	if (raw.extraFields !== undefined) {
		body.extra_fields = readExtraFields(
			ctx,
			itemIndex,
			`${collection}.extraFields.field`,
			label('Extra Fields'),
		);
	}
	if (raw.labels !== undefined)
		body.labels = readLabels(ctx, itemIndex, raw.labels, label('Labels'));
	return body;
}
