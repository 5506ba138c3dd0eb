/**
 * Hands out start times for messages so that, across all concurrent workers of one execution, starts are
 * at least `delay` apart and never more than `messagesPerMinute` a minute. Waiting uses n8n's `sleep`
 * (node code may not use timers directly).
 */
import { sleep } from 'n8n-workflow';

import type { SendingOptions } from './options';

/** Longest single sleep, so that a stopped execution is noticed within a second even during a long pause. */
const MAX_SLEEP_CHUNK_MS = 1000;

/**
 * Waits until `deadline` (a `now()` time) in chunks. The remaining time is measured against the clock each
 * round, so the overshoot of each `sleep` does not add up.
 */
export async function waitUntil(
	deadline: number,
	{
		now = () => Date.now(),
		stopped = () => false,
		pause = sleep,
	}: { now?: () => number; stopped?: () => boolean; pause?: (ms: number) => Promise<void> } = {},
): Promise<void> {
	// Bounded: each round either returns or sleeps at least 1 ms towards a fixed deadline.
	for (
		let remaining = deadline - now();
		remaining > 0 && !stopped();
		remaining = deadline - now()
	) {
		await pause(Math.max(1, Math.min(remaining, MAX_SLEEP_CHUNK_MS)));
	}
}

export class Pacer {
	private nextStartAt = Number.NEGATIVE_INFINITY;

	private heldUntil = Number.NEGATIVE_INFINITY;

	constructor(
		private readonly options: Pick<SendingOptions, 'delay' | 'messagesPerMinute'>,
		private readonly now: () => number = () => Date.now(),
		private readonly random: () => number = Math.random,
		private readonly stopped: () => boolean = () => false,
	) {}

	/**
	 * Claims the next start time and returns it. Claiming is synchronous, so concurrent workers never share a
	 * slot: with concurrency 4 and 60 messages a minute, the four still start one second apart.
	 */
	reserve(): number {
		const startAt = Math.max(this.now(), this.nextStartAt, this.heldUntil);
		this.nextStartAt = startAt + this.gapMs();
		return startAt;
	}

	/** Resolves when the caller may start its message. */
	async waitForSlot(): Promise<void> {
		await waitUntil(this.reserve(), { now: this.now, stopped: this.stopped });
	}

	/**
	 * No message starts before `time`. A Retry-After is about the account, not one message: without this,
	 * the other workers would keep hitting the gateway while one of them waits.
	 */
	holdUntil(time: number): void {
		this.heldUntil = Math.max(this.heldUntil, time);
	}

	private gapMs(): number {
		const { delay, messagesPerMinute } = this.options;
		let gap = 0;
		if (delay.mode === 'fixed') gap = delay.ms;
		if (delay.mode === 'random') gap = delay.minMs + this.random() * (delay.maxMs - delay.minMs);
		if (messagesPerMinute > 0) gap = Math.max(gap, 60_000 / messagesPerMinute);
		return gap;
	}
}
