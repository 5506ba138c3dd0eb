/**
 * Reading gateway replies whose shape a vendor does not document: tolerant of a bare value, an object, or a
 * list wrapped under a known field. Webhook bodies are read with the same `isObject`.
 */
import type { IDataObject } from 'n8n-workflow';

/** A JSON object: not null, not a list. */
export function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A reply as an output item's fields: an object as it came, anything else (text, a number) under `reply`. */
export function replyAsObject(body: unknown): IDataObject {
	return isObject(body) ? body : { reply: body as IDataObject[string] };
}

/**
 * The list inside a reply: the reply itself when it is an array, else the first array found under one of
 * `fields` (checked in order, one level deep, then under `data`). Non-object elements become `{value}`.
 * Returns undefined when no list is found, so callers can say so instead of returning nothing silently.
 */
export function extractList(body: unknown, fields: string[]): IDataObject[] | undefined {
	const asItems = (list: unknown[]) =>
		list.map((element) =>
			isObject(element) ? element : { value: element as IDataObject[string] },
		);
	if (Array.isArray(body)) return asItems(body);
	if (!isObject(body)) return undefined;
	for (const field of fields) {
		if (Array.isArray(body[field])) return asItems(body[field] as unknown[]);
	}
	return isObject(body.data) ? extractList(body.data, fields) : undefined;
}
