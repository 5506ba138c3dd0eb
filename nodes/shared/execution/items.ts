/**
 * Per-item execution with n8n's conventions: every output item has `pairedItem`; with Continue On Fail
 * each failed input item yields exactly one error item and the others go on; without it the first failure
 * stops the node with an error that names the item.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** What is wrong with one item's field, as every message about it says it: `Field (item N): problem`. */
export function fieldProblem(field: string, itemIndex: number, problem: string): string {
	return `${field} (item ${itemIndex}): ${problem}`;
}

/** Bad input in one item: the message names the field and the item. */
export function invalidField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	problem: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), fieldProblem(field, itemIndex, problem), {
		itemIndex,
		description: `Check the "${field}" field of item ${itemIndex}.`,
	});
}

/** Any error as the error n8n should show for one item (gateway failures already are NodeApiErrors). */
export function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), message, { itemIndex });
}

/** The single output item that stands for a failed input item under Continue On Fail. */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData {
	const json: IDataObject = { error: error.message, ...extra };
	if (error.description) json.errorDescription = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.statusCode = Number(error.httpCode);
	return { json, pairedItem: { item: itemIndex } };
}

export function toItems(
	results: IDataObject | IDataObject[],
	itemIndex: number,
): INodeExecutionData[] {
	return (Array.isArray(results) ? results : [results]).map((json) => ({
		json,
		pairedItem: { item: itemIndex },
	}));
}

/**
 * Runs `handler` once per input item, in order. A handler returns one object (one output item) or a list
 * (one output item each, e.g. a list operation); an empty list yields no item for that input.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	handler: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			output.push(...toItems(await handler(itemIndex), itemIndex));
		} catch (error) {
			const nodeError = asNodeError(ctx, error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push(errorItem(nodeError, itemIndex));
		}
	}
	return output;
}
