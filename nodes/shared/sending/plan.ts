/**
 * What a send operation gives the shared sending run (runSends.ts): how to read one item, send it once, and tell
 * two items apart. Everything else (validation order, pacing, retries, records, guardrails, the report) is shared.
 */
import type { IDataObject } from 'n8n-workflow';

import { fieldProblem } from '../execution/items';

/**
 * An item that is deliberately not sent (a campaign's repeated recipient): not a failure, so it never stops the
 * node, and its output line says why. Returned by `prepare` through `skipSend`.
 */
export interface SkippedSend {
	skipped: true;
	/** Why, naming the field and the item as a validation error would. */
	reason: string;
	/** Extra fields of the output line (an opted-out recipient's `status: "opted out"`). */
	fields?: IDataObject;
}

export function skipSend(
	field: string,
	itemIndex: number,
	problem: string,
	fields?: IDataObject,
): SkippedSend {
	return { skipped: true, reason: fieldProblem(field, itemIndex, problem), fields };
}

export function isSkipped(prepared: unknown): prepared is SkippedSend {
	return (
		typeof prepared === 'object' && prepared !== null && (prepared as SkippedSend).skipped === true
	);
}

export interface SendPlan<Prepared> {
	/**
	 * Reads and validates one item's parameters without any request. Every item is prepared before the first
	 * message goes out, so a bad item without Continue On Fail stops the node before anything is sent.
	 */
	prepare: (itemIndex: number) => Promise<Prepared | SkippedSend> | Prepared | SkippedSend;
	/** One attempt at sending; throws GatewayError on failure. Returns the output item's JSON. */
	send: (prepared: Prepared, itemIndex: number, timeoutMs: number) => Promise<IDataObject>;
	/**
	 * What makes two items the same message: the recipient, and the content where it varies. A re-run (n8n's
	 * Retry On Fail, or a run under the same resume key) treats an item with the same identity as already sent.
	 * It is the key of the per-run ledger and of the durable record (`identity.ts` builds it).
	 */
	identity: (prepared: Prepared) => string;
	/**
	 * Whom the message goes to, as prepared (digits, a JID or a group id): looked up in Sending Options › Do Not
	 * Send To. Required, so that no send operation can forget the opt-out list.
	 */
	recipient: (prepared: Prepared) => string;
	/**
	 * Only for the output: the fields that say whom an item concerns (e.g. the recipient), added to its error and
	 * "already sent" lines. Never used to tell items apart; that is `identity`.
	 */
	reportFields?: (prepared: Prepared) => IDataObject;
	/** The key to record sends under when the operation has one of its own (a campaign's Campaign ID). */
	resumeKey?: string;
	/**
	 * Report every failure as an output item even when the node's Continue On Fail is off: a campaign must say
	 * what happened to each recipient, and stopping halfway would hide which messages already went out.
	 */
	alwaysReportFailures?: boolean;
}
