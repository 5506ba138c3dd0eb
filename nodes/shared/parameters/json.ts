/**
 * A parameter that takes JSON (a "… (JSON)" field): typed as text in the UI, or an object or list handed over by
 * an expression or an AI agent. Text is parsed here so every node reports broken JSON the same way.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { invalidField } from '../execution/items';

/** The parameter's value as JSON; `whenEmpty` for empty text. Broken JSON is an error naming field and item. */
export function readJsonParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	whenEmpty: unknown,
): unknown {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return whenEmpty;
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		throw invalidField(ctx, itemIndex, label, `is not valid JSON (${(error as Error).message})`);
	}
}
