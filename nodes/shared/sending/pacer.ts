/**
 * Hands out start times for messages so that, across all concurrent workers of one execution, starts are
 * at least `delay` apart and never more than `messagesPerMinute` a minute. Waiting uses n8n's `sleep`
 * (node code may not use timers directly).
 */
import { sleep } from 'n8n-workflow';

import type { SendingOptions } from './options';

export class Pacer {
	private nextStartAt = 0;

	private started = 0;

	constructor(
		private readonly options: Pick<SendingOptions, 'delay' | 'messagesPerMinute'>,
		private readonly now: () => number = () => Date.now(),
		private readonly random: () => number = Math.random,
	) {}

	/** Resolves when the caller may start its message. Slots are claimed synchronously, so workers never share one. */
	async waitForSlot(): Promise<void> {
		const now = this.now();
		const startAt = this.started === 0 ? now : Math.max(now, this.nextStartAt);
		this.started++;
		this.nextStartAt = startAt + this.gapMs();
		const wait = startAt - now;
		if (wait > 0) await sleep(wait);
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
