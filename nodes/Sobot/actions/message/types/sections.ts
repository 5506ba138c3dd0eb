/** List and product messages take their sections from the UI, or as JSON (handy for expressions and AI tools). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../../../shared/items';
import { forTypes } from './definition';

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

export function readSectionsJson(ctx: IExecuteFunctions, itemIndex: number, name: string, label: string): IDataObject[] {
	let value = ctx.getNodeParameter(name, itemIndex, '[]') as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch (error) {
			throw invalidField(ctx, itemIndex, label, `is not valid JSON (${(error as Error).message})`);
		}
	}
	if (!Array.isArray(value) || value.some((section) => !section || typeof section !== 'object' || Array.isArray(section))) {
		throw invalidField(ctx, itemIndex, label, 'must be a list of section objects');
	}
	return value as IDataObject[];
}
