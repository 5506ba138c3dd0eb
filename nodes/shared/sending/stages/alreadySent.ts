/**
 * Stage 2 of a sending run: what went out before is not sent again. Two memories answer: the per-run ledger (n8n's
 * Retry On Fail runs the node again in the same execution) and the durable record under a resume key (a re-run
 * after a crash, a hold or a fix; sendRecord.ts). Messages that were in flight when the earlier run ended are not
 * resent unless Retry When Delivery Is Uncertain is on.
 */
import { NodeOperationError } from 'n8n-workflow';

import { impliedResumeKey } from '../guardrails/hold';
import { SentLedger } from '../ledger';
import { SendRecord } from '../sendRecord';
import type { SendRun } from './run';

export interface Memory {
	ledger: SentLedger;
	/** The durable record, when the run has a resume key (given, the campaign's, or implied by a possible hold). */
	record: SendRecord | undefined;
	/** Each item's identity (SendPlan.identity), for the items that were prepared. */
	fingerprint: (itemIndex: number) => string;
}

export async function skipAlreadySent<Prepared>(run: SendRun<Prepared>): Promise<Memory> {
	const { ctx, plan, options, outcomes, describe, continueOnFail } = run;
	const ledger = SentLedger.open(ctx);
	const identities = new Map<number, string>();
	for (let itemIndex = 0; itemIndex < run.count; itemIndex++) {
		if (outcomes[itemIndex] === undefined)
			identities.set(itemIndex, plan.identity(run.prepared[itemIndex] as Prepared));
	}
	const fingerprint = (itemIndex: number) => identities.get(itemIndex) ?? '';
	for (let itemIndex = 0; itemIndex < run.count; itemIndex++) {
		if (outcomes[itemIndex] !== undefined) continue;
		const entry = ledger.lookup(itemIndex, fingerprint(itemIndex));
		if (entry?.state === 'sent') {
			outcomes[itemIndex] = {
				item: { json: { ...entry.json, alreadySent: true }, pairedItem: { item: itemIndex } },
			};
		} else if (entry?.state === 'uncertain' && !options.retryAmbiguous) {
			const error = new NodeOperationError(
				ctx.getNode(),
				`Not sent again: an earlier run of this node may already have delivered it (${String(entry.json.error)})`,
				{ itemIndex },
			);
			if (!continueOnFail) throw error;
			outcomes[itemIndex] = {
				error,
				extra: { ...describe(itemIndex), attempts: 0, notSent: true },
			};
		}
	}

	// A run that may hold records its sends even without a key, so what comes back through the loop is not resent.
	const resumeKey =
		plan.resumeKey || options.resumeKey || (run.guard.mayHold ? impliedResumeKey(ctx) : '');
	const record = resumeKey
		? await SendRecord.open(ctx, {
				key: resumeKey,
				identities,
				order: [...identities.keys()].filter((i) => outcomes[i] === undefined),
				options,
				startOver: options.resumeStartOver,
			})
		: undefined;
	for (const itemIndex of identities.keys()) {
		if (!record || outcomes[itemIndex] !== undefined) continue;
		const state = record.state(itemIndex);
		if (state === 'sent') {
			const json = {
				status: 'already sent',
				alreadySent: true,
				resumeKey,
				...describe(itemIndex),
				attempts: 0,
			};
			outcomes[itemIndex] = { item: { json, pairedItem: { item: itemIndex } } };
		} else if (state === 'uncertain' && !options.retryAmbiguous) {
			const error = new NodeOperationError(
				ctx.getNode(),
				`Not sent again: it was in flight when an earlier run under resume key "${resumeKey}" ended, so it may have been delivered`,
				{
					itemIndex,
					description:
						'Check with the customer or the gateway; turn on Sending Options › Retry When Delivery Is Uncertain to send it anyway.',
				},
			);
			if (!continueOnFail) throw error;
			outcomes[itemIndex] = {
				error,
				extra: { ...describe(itemIndex), attempts: 0, notSent: true, uncertain: true },
			};
		}
	}
	return { ledger, record, fingerprint };
}
