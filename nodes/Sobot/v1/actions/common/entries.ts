/** Reading fixedCollection values, whatever shape an expression gave them. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** The entries of a fixedCollection with multiple values, as a list. */
export function readEntries(
	ctx: IExecuteFunctions,
	itemIndex: number,
	path: string,
): IDataObject[] {
	const value = ctx.getNodeParameter(path, itemIndex, []) as unknown;
	if (Array.isArray(value))
		return value.filter((entry) => entry && typeof entry === 'object') as IDataObject[];
	return value && typeof value === 'object' ? [value as IDataObject] : [];
}

/** A value as trimmed text ('' for null and undefined). */
export function text(value: unknown): string {
	return value === null || value === undefined ? '' : String(value).trim();
}
