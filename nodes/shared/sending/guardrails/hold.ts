/**
 * Holding: what a run does at the end of its send window or at a sender limit.
 *
 * Why a Held output and not a wait of the node's own: n8n resumes a node that called `putExecutionToWait(date)`
 * with that node *disabled* (its input passes through, docs/n8n-persistence.md §3), so the node cannot go on
 * sending after a time-based wait; a resume webhook (`restartWebhook`) runs only when something posts to it, and at
 * the window's opening nothing would. The Held output hands the items not sent, unchanged plus `heldUntil`, to a
 * Wait node ("At Specified Time", `{{ $json.heldUntil }}`) wired back into this node. n8n's Wait node keeps the
 * execution in its database while it waits (it survives a restart, and in queue mode a worker resumes it), and the
 * node runs again on the held items. A hold implies a Resume Key when none is set (`hold-<execution id>`, stable
 * across the wait), so an item that comes back after it went out is reported "already sent", never sent twice.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { HOLD_OUTPUT_CONDITION } from './properties';

/** The outputs of a send operation: one, or Sent and Held when its options can hold. */
export const SEND_OUTPUTS_EXPRESSION = `(${HOLD_OUTPUT_CONDITION}) ? [{ "type": "main", "displayName": "Sent" }, { "type": "main", "displayName": "Held" }] : ["main"]`;

const held = new WeakSet<INodeExecutionData>();

/** The key a holding run records its sends under when the user gave none. */
export const impliedResumeKey = (ctx: IExecuteFunctions) => `hold-${ctx.getExecutionId()}`;

export function heldItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	until: number,
	reason: string,
): INodeExecutionData {
	const input = ctx.getInputData()[itemIndex];
	const json: IDataObject = {
		...input.json,
		heldUntil: new Date(until).toISOString(),
		heldReason: reason,
	};
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	if (input.binary) item.binary = input.binary;
	held.add(item);
	return item;
}

/** Splits a send's items into Sent and Held; undefined when nothing was held (one output, as before). */
export function splitHeld(items: INodeExecutionData[]): INodeExecutionData[][] | undefined {
	if (!items.some((item) => held.has(item))) return undefined;
	return [items.filter((item) => !held.has(item)), items.filter((item) => held.has(item))];
}
