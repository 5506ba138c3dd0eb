/** List and product messages take their sections from the UI, or as JSON (handy for expressions and AI tools). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../../../../shared/execution/items';
import { forTypes } from './definition';
import { readJsonParameter } from '../../../../../shared/parameters/json';
import { isObject } from '../../../../../shared/http/replies';

export function sectionsModeProperty(type: 'list' | 'product'): INodeProperties {
	return {
		displayName: 'Define Sections',
		name: `${type}SectionsMode`,
		type: 'options',
		options: [
			{ name: 'In the UI', value: 'ui' },
			{ name: 'As JSON', value: 'json' },
		],
		default: 'ui',
		displayOptions: forTypes(type),
	};
}

export function readSectionsJson(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): IDataObject[] {
	const value = readJsonParameter(ctx, itemIndex, name, label, undefined);
	if (!Array.isArray(value) || value.some((section) => !isObject(section))) {
		throw invalidField(ctx, itemIndex, label, 'must be a list of section objects');
	}
	return value as IDataObject[];
}
