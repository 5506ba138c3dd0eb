import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { splitHeld } from '../sending/guardrails/hold';

/** What an operation with outputs of its own (Send and Wait for Reply: No Reply, Reply) returns. */
export interface NodeOutputs {
	outputs: INodeExecutionData[][];
}

export type OperationExecute = (
	this: IExecuteFunctions,
) => Promise<INodeExecutionData[] | NodeOutputs>;

/** resource → operation → the operation's `execute`, as each node's `actions/router.ts` lists them. */
export type OperationTable = Record<string, Record<string, OperationExecute>>;

/** Builds a node's `execute`: runs the selected operation over all items, on the single main output unless it has its own. */
export function routerFor(operations: OperationTable) {
	return async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const execute = operations[resource]?.[operation];
		if (!execute) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" of "${resource}" is not supported`,
			);
		}
		const result = await execute.call(this);
		// A send that held items (window, limits) puts them on its second output, Held.
		return Array.isArray(result) ? (splitHeld(result) ?? [result]) : result.outputs;
	};
}
