/**
 * Stage 3 for one message that nothing paces (a reply from a trigger, a note to one person): no send window, no
 * sender limit, no delay or per-minute cap. It goes out at once through sendMessage.ts, as in the loop, without the
 * loop's pacer, workers and circuit breaker, which have nothing to do for one message.
 */
import { notSentAfterSignal } from '../accountSignal';
import type { Memory } from './alreadySent';
import type { SendRun } from './run';
import type { LoopEnd } from './sendLoop';
import { sendMessage } from './sendMessage';

/** Whether the run is one message that nothing paces, so sendSingle gives what the loop would. */
export function isSingleUnpaced<Prepared>(run: SendRun<Prepared>): boolean {
	const { options, guard } = run;
	return (
		run.count === 1 &&
		!guard.active &&
		options.delay.mode === 'none' &&
		options.messagesPerMinute === 0
	);
}

export async function sendSingle<Prepared>(
	run: SendRun<Prepared>,
	memory: Memory,
): Promise<LoopEnd> {
	const cancelSignal = run.ctx.getExecutionCancelSignal?.();
	const stopped = () => cancelSignal?.aborted === true;
	// Prepared and not already sent (or skipped): the one message to send.
	const queue = run.outcomes[0] === undefined ? [0] : [];
	const end: LoopEnd = {
		queue,
		notTaken: 0,
		stopped: false,
		stopReason: undefined,
		accountStop: undefined,
		fatal: undefined,
		held: new Map(),
		resumeAt: Number.POSITIVE_INFINITY,
	};
	if (queue.length === 1 && !stopped()) {
		end.notTaken = 1;
		const result = await sendMessage(run, memory, 0, { halted: stopped });
		if (result.kind === 'failed') {
			if (result.signal) {
				end.accountStop = result.signal;
				end.stopReason = notSentAfterSignal(result.signal);
			}
			if (!run.continueOnFail) end.fatal = result.error;
		}
	}
	await memory.record?.finish();
	end.stopped = stopped();
	return end;
}
