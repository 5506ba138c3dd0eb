/**
 * Stage 4 of a sending run: one output item per input item. What the loop never took is "not sent" with the
 * reason the loop stopped; held items carry `heldUntil` for the Wait node; the output panel says so.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { errorItem } from '../../execution/items';
import { heldItem, holdHint } from '../guardrails/hold';
import type { Memory } from './alreadySent';
import type { SendRun } from './run';
import { notSentOutcome } from './run';
import type { LoopEnd } from './sendLoop';

export function reportItems<Prepared>(
	run: SendRun<Prepared>,
	{ ledger }: Memory,
	end: LoopEnd,
): INodeExecutionData[] {
	const { ctx, outcomes } = run;
	if (end.fatal) throw end.fatal;
	const reason = end.stopped
		? 'Not sent: the execution was stopped'
		: (end.stopReason ?? 'Not sent');
	for (const itemIndex of end.queue.slice(end.notTaken)) {
		const outcome = notSentOutcome(run, itemIndex, reason, end.accountStop?.kind);
		if (!run.continueOnFail && 'error' in outcome) throw outcome.error;
		outcomes[itemIndex] = outcome;
	}

	// Every held item carries the same time: the Wait node reads the first item's, and the earliest is when any can go.
	for (const [itemIndex, heldReason] of end.held)
		outcomes[itemIndex] = { item: heldItem(ctx, itemIndex, end.resumeAt, heldReason) };
	if (end.held.size > 0) {
		const [heldReason] = end.held.values();
		ctx.addExecutionHints?.({
			message: holdHint(ctx, end.held.size, end.resumeAt, heldReason),
			location: 'outputPane',
		});
	}

	if (outcomes.every((outcome) => 'item' in outcome)) ledger.clear();
	const items = outcomes.map((outcome, itemIndex) =>
		'item' in outcome ? outcome.item : errorItem(outcome.error, itemIndex, outcome.extra),
	);
	// Entries of Do Not Send To that were skipped as not numbers: every line says how many, so no one misses it.
	const skippedEntries = run.doNotSend?.skippedEntries ?? 0;
	if (skippedEntries > 0)
		for (const item of items) item.json.skippedDoNotSendEntries = skippedEntries;
	return items;
}
