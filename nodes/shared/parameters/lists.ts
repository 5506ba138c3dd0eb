/** List operations: "Return All" or "Limit". The replies themselves are read by `http/replies.ts`. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../execution/items';

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
