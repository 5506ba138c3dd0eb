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

/**
 * Whether a node of the Held output's path leads back to this node (the Wait node loop): n8n gives a node its
 * descendants and ancestors, not the output a connection leaves from, so a node both below and above this one is
 * the loop's sign. Without it held items go nowhere, and the run ends green with messages never sent.
 */
function loopsBack(ctx: IExecuteFunctions): boolean | undefined {
	const name = ctx.getNode().name;
	if (typeof ctx.getChildNodes !== 'function' || typeof ctx.getParentNodes !== 'function')
		return undefined;
	const above = new Set(ctx.getParentNodes(name).map((node) => node.name));
	return ctx.getChildNodes(name).some((node) => above.has(node.name));
}

/** The output panel's word on a hold: how many, until when, and what brings them back. */
export function holdHint(
	ctx: IExecuteFunctions,
	count: number,
	until: number,
	reason: string,
): string {
	const what = `${count} ${count === 1 ? 'message was' : 'messages were'} held until ${new Date(until).toISOString()} (${reason}) and came out on the Held output.`;
	if (loopsBack(ctx) === false)
		return `${what} Nothing brings them back: nothing after this node leads back into it, so they will not be sent. Connect Held to a Wait node (Resume: At Specified Time, Date and Time: {{ $json.heldUntil }}) whose output goes back into this node.`;
	return `${what} A Wait node (Resume: At Specified Time, {{ $json.heldUntil }}) wired back into this node sends them then.`;
}
