/**
 * Sender limits shared by every execution of the workflow, on every queue worker: at most N messages a minute,
 * an hour and a day, with an optional warm-up of the daily limit.
 *
 * n8n gives a node one store that all its processes share, the processed-data store (scope "workflow": one row
 * for the whole workflow, so two send nodes of one sender count together). It can only say whether a value was
 * recorded before, and it is a read-modify-write of that row with no lock (docs/n8n-persistence.md). So a message
 * claims tickets, each a value only one message may record:
 * - per minute, a time slot on a grid of 60/N seconds (`m<gap>|<slot>`): one message per slot is exactly N a
 *   minute over any stretch of time, with no burst at a minute's boundary;
 * - per hour and per day, a numbered ticket of the clock hour (UTC) or the day (workflow time zone):
 *   `h|<hour>|<k>`, `d|<day>|<k>` for k below the limit (the day's limit is the warm-up's allowance).
 * A ticket is this message's when the store says it was new *and* the claim survives: the claim's values are
 * written together with a marker of this claim, and after `settleMs` a second look checks the marker is still
 * there. Two processes that both read the row before either wrote both see the ticket "new", but the row keeps
 * only the last write, so only one marker survives. A write that started before ours and ends after our second
 * look (longer than `settleMs`) could still let two claims win; the settle time is far above a row write's.
 * A lost write only ever loses tickets (fewer messages), never grants one twice.
 *
 * What cannot be reached: another workflow sending from the same number has its own row (docs/keep-your-number-safe.md says so).
 */
import type { IDeduplicationOutput } from 'n8n-workflow';

import type { WarmUp } from './warmup';
import { warmUpAllowance, warmUpDays } from './warmup';
import { dayNumber, wallClock } from './zones';

export interface SenderLimits {
	/** 0 = no limit. */
	perMinute: number;
	perHour: number;
	perDay: number;
	warmUp?: WarmUp;
}

export const hasLimits = (limits: SenderLimits) =>
	limits.perMinute > 0 || limits.perHour > 0 || limits.perDay > 0;

/** The limits that can make a run wait longer than a minute, and so hold (the Held output). */
export const canHold = (limits: SenderLimits) => limits.perHour > 0 || limits.perDay > 0;

export interface LimitStore {
	record(values: string[]): Promise<IDeduplicationOutput>;
	remove(values: string[]): Promise<void>;
}

export interface LimiterClock {
	now: () => number;
	pause: (ms: number) => Promise<void>;
}

export type Claim = { at: number } | { holdUntil: number; reason: string };

const HOUR_MS = 3_600_000;

/** Waits for a ticket up to this long in the execution; beyond it the run holds. */
export const LONGEST_WAIT_MS = 60_000;

/** Rows are cut to this many values, oldest first: a day of tickets and claims for the largest daily limit. */
export const limitStoreEntries = (limits: SenderLimits) =>
	Math.max(20_000, 6 * Math.max(limits.perDay, limits.perHour * 24));

export class SenderLimiter {
	private nextSlot = Number.NEGATIVE_INFINITY;

	private readonly cursors = new Map<string, number>();

	/** Tickets recorded by this limiter and not used yet → the marker written with them. */
	private readonly mine = new Map<string, string>();

	private claims = 0;

	private chain: Promise<unknown> = Promise.resolve();

	private firstDay: number | undefined;

	private constructor(
		private readonly store: LimitStore,
		private readonly prefix: string,
		private readonly limits: SenderLimits,
		private readonly dayZone: string,
		private readonly claimant: string,
		private readonly clock: LimiterClock,
		private readonly settleMs: number,
	) {}

	static async open(input: {
		store: LimitStore;
		sender: string;
		limits: SenderLimits;
		/** The zone whose midnight starts a day (the workflow's). */
		dayZone: string;
		/** Unique per run (execution id and a random part). */
		claimant: string;
		clock: LimiterClock;
		settleMs?: number;
	}): Promise<SenderLimiter> {
		const limiter = new SenderLimiter(
			input.store,
			`limits\u0000${input.sender}\u0000`,
			input.limits,
			input.dayZone,
			input.claimant,
			input.clock,
			input.settleMs ?? 500,
		);
		await limiter.findFirstDay();
		return limiter;
	}

	private day(time: number): number {
		return dayNumber(wallClock(time, this.dayZone).date);
	}

	private activeValue(day: number) {
		return `${this.prefix}active|${day}`;
	}

	/**
	 * The sender's first day, for the warm-up: the earliest day with a recorded send, looked up no further back than
	 * the warm-up lasts (a sender older than that is warmed up). The store has no read: record, then remove the new.
	 */
	private async findFirstDay(): Promise<void> {
		const { warmUp, perDay } = this.limits;
		if (!warmUp || perDay <= 0) return;
		const today = this.day(this.clock.now());
		const back = warmUpDays(warmUp, perDay);
		const days = Array.from({ length: back + 1 }, (_, i) => today - back + i);
		const values = new Map(days.map((day) => [this.activeValue(day), day]));
		const found = await this.store.record([...values.keys()]);
		await this.store.remove(found.new.map(String));
		const active = found.processed.map((value) => values.get(String(value)) as number);
		this.firstDay = active.length > 0 ? Math.min(...active) : undefined;
	}

	/** Messages allowed on `day`; the warm-up counts from the first recorded send (today, for a new sender). */
	dayLimit(day: number): number {
		const { warmUp, perDay } = this.limits;
		if (!warmUp || perDay <= 0) return perDay;
		return warmUpAllowance(warmUp, day - (this.firstDay ?? day), perDay);
	}

	private nextDayStart(time: number): number {
		const clock = wallClock(time, this.dayZone);
		return time - (time % 1000) - clock.second * 1000 + (1440 - clock.minuteOfDay) * 60_000;
	}

	/** Claims tickets for one message starting no earlier than `earliest`. Calls run one at a time. */
	async claim(earliest: number): Promise<Claim> {
		const next = this.chain.then(async () => await this.claimNow(earliest));
		this.chain = next.catch(() => undefined);
		return await next;
	}

	private async claimNow(earliest: number): Promise<Claim> {
		const { perMinute, perHour } = this.limits;
		const gap = perMinute > 0 ? 60_000 / perMinute : 0;
		const base = Math.max(earliest, this.clock.now());
		let time = base;
		let reason = '';
		// Only hourly and daily limits hold (the Held output exists then); a minute's slot is always waited for.
		const longest = canHold(this.limits) ? LONGEST_WAIT_MS : Number.POSITIVE_INFINITY;
		for (let round = 0; round < 1000; round++) {
			if (time - base > longest) return { holdUntil: time, reason };
			const wanted: Array<{ key: string; bump: () => void }> = [];
			if (gap > 0) {
				const slot = Math.max(this.nextSlot, Math.floor(time / gap));
				time = Math.max(time, slot * gap);
				wanted.push({
					key: `${this.prefix}m${gap}|${slot}`,
					bump: () => (this.nextSlot = slot + 1),
				});
			}
			if (perHour > 0) {
				const hour = Math.floor(time / HOUR_MS);
				const ticket = this.cursor(`h|${hour}`);
				if (ticket >= perHour) {
					time = (hour + 1) * HOUR_MS;
					reason = `the sender's limit of ${perHour} messages an hour`;
					continue;
				}
				wanted.push(this.ticket(`h|${hour}`, ticket));
			}
			const day = this.day(time);
			const dayLimit = this.dayLimit(day);
			if (dayLimit > 0) {
				const ticket = this.cursor(`d|${day}`);
				if (ticket >= dayLimit) {
					time = this.nextDayStart(time);
					reason =
						dayLimit < this.limits.perDay
							? `the sender's warm-up allowance of ${dayLimit} messages today`
							: `the sender's limit of ${dayLimit} messages a day`;
					continue;
				}
				wanted.push(this.ticket(`d|${day}`, ticket));
			}
			if (await this.won(wanted, day)) {
				this.firstDay ??= day;
				for (const { key, bump } of wanted) {
					this.mine.delete(key);
					bump();
				}
				return { at: time };
			}
		}
		return { holdUntil: time, reason: reason || 'no ticket could be claimed' };
	}

	private cursor(bucket: string): number {
		return this.cursors.get(bucket) ?? 0;
	}

	private ticket(bucket: string, ticket: number) {
		return {
			key: `${this.prefix}${bucket}|${ticket}`,
			bump: () => this.cursors.set(bucket, ticket + 1),
		};
	}

	/** Records the wanted tickets; true when every one is this claim's and its marker survived the second look. */
	private async won(wanted: Array<{ key: string; bump: () => void }>, day: number) {
		const fresh = wanted.filter(({ key }) => !this.mine.has(key));
		if (fresh.length > 0) {
			const marker = `${this.prefix}claim|${this.claimant}|${this.claims++}`;
			const result = await this.store.record([
				...fresh.map(({ key }) => key),
				marker,
				this.activeValue(day),
			]);
			const taken = new Set(result.processed.map(String));
			let lost = false;
			for (const { key, bump } of fresh) {
				if (taken.has(key)) {
					bump();
					lost = true;
				} else this.mine.set(key, marker);
			}
			if (lost) return false;
		}
		await this.clock.pause(this.settleMs);
		const markers = [...new Set(wanted.map(({ key }) => this.mine.get(key) as string))];
		const second = await this.store.record(markers);
		const gone = new Set(second.new.map(String));
		if (gone.size === 0) return true;
		for (const { key, bump } of wanted) {
			if (!gone.has(this.mine.get(key) as string)) continue;
			this.mine.delete(key);
			bump();
		}
		return false;
	}
}
