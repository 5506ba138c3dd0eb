/**
 * Resource locators: a field where the user picks a thing from a searchable list (`listSearch`), or gives it by
 * name, number or ID (typed, or from an expression or an AI agent's `$fromAI()`). n8n saves the field as
 * `{__rl: true, mode, value}`; a plain value (an AI tool's argument, a workflow written by hand) is accepted as the
 * field's default typed mode.
 */
import type {
	IExecuteFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeProperties,
	INodePropertyMode,
} from 'n8n-workflow';

import { isLocatorValue, readString } from './fields';

export interface Located {
	/** The mode's name, e.g. `list`, `name`, `id`. */
	mode: string;
	value: string;
}

/** One item's locator: its mode and its value, read as any text field (trimmed, required). */
export function readLocator(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	plainValueMode: string,
): Located {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const mode =
		isLocatorValue(raw) && typeof raw.mode === 'string' && raw.mode !== ''
			? raw.mode
			: plainValueMode;
	return { mode, value: readString(ctx, itemIndex, name, label) };
}

export interface LocatorField {
	displayName: string;
	name: string;
	description: string;
	/** The list search behind "From List", and what its box says before anything is picked. */
	searchListMethod: string;
	listPlaceholder: string;
	/** The typed modes ("By Name", "By ID", "Number"). */
	modes: INodePropertyMode[];
	/** Shown first and the default: `list`, or the first typed mode where values mostly come from expressions. */
	firstMode: 'list' | 'typed';
}

/** A required locator field with a searchable "From List" mode and the given typed modes. */
export function locatorProperty(field: LocatorField): INodeProperties {
	const property: INodeProperties = {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: field.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: field.listPlaceholder,
				typeOptions: { searchListMethod: field.searchListMethod, searchable: true },
			},
		],
	};
	if (field.firstMode === 'list') {
		property.modes!.push(...field.modes);
	} else {
		property.modes!.unshift(...field.modes);
		property.default = { mode: field.modes[0].name, value: '' };
	}
	return property;
}

/** A locator for a person's number: picked from a list, or typed in any form the phone normaliser reads. */
export function phoneNumberLocator(
	field: Omit<LocatorField, 'modes'> & {
		/** The typed mode: `phone` ("Number") or, for Sobot's customers, `mobile` ("Mobile"; short: n8n's mode menu shows about seven characters). */
		typedMode: 'phone' | 'mobile';
		placeholder: string;
	},
): INodeProperties {
	const { typedMode, placeholder, ...rest } = field;
	return locatorProperty({
		...rest,
		modes: [
			{
				displayName: typedMode === 'mobile' ? 'Mobile' : 'Number',
				name: typedMode,
				type: 'string',
				placeholder,
				hint: 'In any common form; a local number gets the Default Country Code',
			},
		],
	});
}

/**
 * A search over a list the gateway returns whole: the entries whose name or value contain the filter (any
 * case), sorted by name.
 */
export function searchEntries(
	entries: INodeListSearchItems[],
	filter?: string,
): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = entries
		.filter(
			(entry) =>
				wanted === '' ||
				[entry.name, String(entry.value)].some((text) => text.toLowerCase().includes(wanted)),
		)
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
