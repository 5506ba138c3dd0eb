/**
 * List operations: "Return All" or "Limit", and tolerant reading of list replies whose shape a vendor does
 * not document (a bare array, or an object wrapping one under a known field).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from './items';

/** "Return All" and "Limit" for one operation; pass the operation's displayOptions. */
export function returnAllOrLimit(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		},
	];
}

/** The number of results wanted for one item: `Infinity` for Return All. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw invalidField(ctx, itemIndex, 'Limit', `"${limit}" must be a whole number of at least 1`);
	}
	return limit;
}

/**
 * The list inside a reply: the reply itself when it is an array, else the first array found under one of
 * `fields` (checked in order, one level deep, then under `data`). Non-object elements become `{value}`.
 * Returns undefined when no list is found, so callers can say so instead of returning nothing silently.
 */
export function extractList(body: unknown, fields: string[]): IDataObject[] | undefined {
	const asItems = (list: unknown[]) =>
		list.map((element) =>
			element !== null && typeof element === 'object' && !Array.isArray(element)
				? (element as IDataObject)
				: { value: element as IDataObject[string] },
		);
	if (Array.isArray(body)) return asItems(body);
	if (body === null || typeof body !== 'object') return undefined;
	const object = body as IDataObject;
	for (const field of fields) {
		if (Array.isArray(object[field])) return asItems(object[field] as unknown[]);
	}
	const data = object.data;
	if (data && typeof data === 'object' && !Array.isArray(data)) return extractList(data, fields);
	return undefined;
}
