/**
 * What this node's current run has already sent, kept in the execution's node context.
 *
 * n8n's "Retry On Fail" re-runs the whole node inside the same execution (and, with Continue On Fail, also
 * whenever the first output item is an error item), so without this every message before the failure would
 * go out again. n8n keeps `getContext('node')` for the whole execution and across those re-runs, while the
 * run index tells a re-run (same index) from a later pass through the node in a loop (new index).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

interface LedgerEntry {
	/** Who the message was for, so a changed item is never mistaken for the one sent. */
	fingerprint: string;
	/** `sent`: the gateway accepted it. `uncertain`: it may have (timeout, dropped reply, 500). */
	state: 'sent' | 'uncertain';
	json: IDataObject;
}

interface LedgerData {
	runIndex: number;
	entries: Record<string, LedgerEntry>;
}

const CONTEXT_KEY = 'whatsappGatewaysSentLedger';

export class SentLedger {
	private constructor(private readonly data: LedgerData) {}

	static open(ctx: IExecuteFunctions): SentLedger {
		const context = ctx.getContext('node');
		const runIndex =
			ctx.getInputData().length > 0 ? Number(ctx.getWorkflowDataProxy(0).$runIndex ?? 0) : 0;
		const existing = context[CONTEXT_KEY] as LedgerData | undefined;
		if (!existing || existing.runIndex !== runIndex)
			context[CONTEXT_KEY] = { runIndex, entries: {} };
		return new SentLedger(context[CONTEXT_KEY] as LedgerData);
	}

	lookup(itemIndex: number, fingerprint: string): LedgerEntry | undefined {
		const entry = this.data.entries[itemIndex];
		return entry?.fingerprint === fingerprint ? entry : undefined;
	}

	record(
		itemIndex: number,
		fingerprint: string,
		state: LedgerEntry['state'],
		json: IDataObject,
	): void {
		this.data.entries[itemIndex] = { fingerprint, state, json };
	}

	/** After a run without failures n8n re-runs nothing, so the entries need not weigh on the saved execution. */
	clear(): void {
		this.data.entries = {};
	}
}
