/**
 * Stage 3 of a sending run: the paced loop. Workers take the items still to send in input order; each message
 * waits for the send window and the sender's limits (or holds), then its pace, then goes out with per-message
 * retries. A reply that means the sender cannot send at all (accountSignal.ts), the circuit breaker, a fatal error
 * without Continue On Fail, or a stopped execution ends the loop: the rest are reported not sent (report.ts).
 */
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AccountSignal } from '../accountSignal';
import { notSentAfterSignal } from '../accountSignal';
import { LIMITS_HINT, paceHint } from '../guardrails/presets';
import { Pacer, waitUntil } from '../pacer';
import type { Memory } from './alreadySent';
import type { SendRun } from './run';
import { sendMessage } from './sendMessage';

/** How the loop ended, for the report. */
export interface LoopEnd {
	/** The items the loop was to send, in order; those from `notTaken` on were never taken. */
	queue: number[];
	notTaken: number;
	/** The execution was stopped (n8n's Stop button, or a timeout). */
	stopped: boolean;
	stopReason: string | undefined;
	accountStop: AccountSignal | undefined;
	/** The first error that stops the node (Continue On Fail off). */
	fatal: NodeApiError | NodeOperationError | undefined;
	/** Items held for the window or a limit, with the reason; all resume at `resumeAt`. */
	held: Map<number, string>;
	resumeAt: number;
}

export async function sendPaced<Prepared>(
	run: SendRun<Prepared>,
	memory: Memory,
): Promise<LoopEnd> {
	const { ctx, options, outcomes, guard, continueOnFail } = run;
	const cancelSignal = ctx.getExecutionCancelSignal?.();
	const stopped = () => cancelSignal?.aborted === true;
	// Set by a reply that means the sender cannot send at all: nothing more goes out.
	let accountStop: AccountSignal | undefined;
	const halted = () => stopped() || accountStop !== undefined;
	const pacer = new Pacer(options, undefined, undefined, halted);
	const queue = run.prepared.map((p, i) => i).filter((i) => outcomes[i] === undefined);
	let nextInQueue = 0;
	let consecutiveFailures = 0;
	let stopReason: string | undefined;
	let fatal: NodeApiError | NodeOperationError | undefined;
	const held = new Map<number, string>();
	let resumeAt = Number.POSITIVE_INFINITY;
	const paceNote = paceHint(options.pace, run.count);
	if (paceNote) ctx.addExecutionHints?.({ message: paceNote, location: 'outputPane' });
	if (guard.limited) ctx.addExecutionHints?.({ message: LIMITS_HINT, location: 'outputPane' });

	const sendOne = async (itemIndex: number) => {
		// The window and the sender's limits decide the first attempt's start; retries keep the run's pace.
		let admitted = false;
		if (guard.active) {
			const already = guard.heldAlready(itemIndex);
			const admission = already ?? (await guard.admit(itemIndex, pacer.reserve()));
			if ('holdUntil' in admission) {
				held.set(itemIndex, admission.reason);
				resumeAt = Math.min(resumeAt, admission.holdUntil);
				return;
			}
			await waitUntil(admission.at, { stopped: halted });
			admitted = true;
		}
		// The pace's wait comes before the record says "attempted": a crash while waiting leaves the message new and
		// the next run sends it, instead of reporting it "uncertain" although it never left (found by a crash during
		// Moderate's 3-8 s wait: that recipient got nothing and was not resent).
		if (!admitted) {
			await pacer.waitForSlot();
			admitted = true;
		}
		const result = await sendMessage(run, memory, itemIndex, {
			beforeRetry: async () => {
				if (admitted) admitted = false;
				else await pacer.waitForSlot();
			},
			onRetryAfter: (until) => pacer.holdUntil(until),
			halted,
			accountStop: () => accountStop,
		});
		if (result.kind === 'sent') {
			consecutiveFailures = 0;
			return;
		}
		if (result.kind === 'halted') return;
		const { error, signal } = result;
		if (signal && !accountStop) {
			accountStop = signal;
			stopReason = notSentAfterSignal(signal);
		}
		// Only gateway failures count towards the breaker: a bad item says nothing about the gateway.
		if (result.gatewayFailure) consecutiveFailures++;
		if (!continueOnFail) fatal ??= error;
		const limit = options.stopAfterConsecutiveFailures;
		if (limit > 0 && consecutiveFailures >= limit && stopReason === undefined) {
			stopReason = `Not sent: stopped after ${consecutiveFailures} consecutive failures (last: ${error.message})`;
		}
	};

	// Workers take items in input order from one shared cursor, so with concurrency 1 the gateway sees the
	// items in order, and with more no item is taken twice.
	const worker = async () => {
		while (nextInQueue < queue.length && !fatal && stopReason === undefined && !stopped()) {
			await sendOne(queue[nextInQueue++]);
		}
	};
	try {
		await Promise.all(
			Array.from({ length: Math.min(options.concurrency, Math.max(queue.length, 1)) }, worker),
		);
	} finally {
		// Limit tickets claimed ahead for messages that will not go out in this run.
		await guard.release();
	}
	await memory.record?.finish();
	return {
		queue,
		notTaken: nextInQueue,
		stopped: stopped(),
		stopReason,
		accountStop,
		fatal,
		held,
		resumeAt,
	};
}
