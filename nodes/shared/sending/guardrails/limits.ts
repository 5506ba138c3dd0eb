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
 * Blocks: a claim asks for the tickets of the next several messages at once (the run's size at first, then enough for a few settle times at the run's pace, up to 2,048 of each kind, an
 * hour's or a day's never more than an eighth of its limit, slots no further than a minute ahead), under one marker
 * and one settle time, and the next block is claimed in the background while messages use the last one. The rules
 * above hold per ticket, so two runs never share one; a message takes one slot and one ticket of the hour and day
 * it starts in. Slots of a block are spaced by three quarters of the run's median time per message; one that ended more than
 * LATE_MS before its message could start is dropped, never used late. Tickets left unused are given back at the
 * end of the run (`release`); a run killed before that strands them: fewer messages that hour or day, never more.
 * Before, every message paid a record, the settle time (500 ms) and a second look: half a second per message.
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

/** Most tickets of one kind claimed in one store call. */
const MAX_BLOCK = 2048;

/** The seek for a bucket's first free ticket probes this many tickets a store call, and stops at a span this small. */
const SEEK_PROBES = 32;
const SEEK_SPAN = 4;

/** A block should last the run this many settle times, so the next one is won before it runs out. */
const LEAD_SETTLES = 4;

/** Before the run's own time per message is known, slots of a block are this far apart at least. */
const FIRST_SPACING_MS = 1;

/**
 * A minute slot still serves a message this long after the slot ended. Claiming one message at a time let a
 * message start a settle time (500 ms) after its slot; a block's slots are claimed ahead, so this is all the slack.
 */
const LATE_MS = 250;

interface Wanted {
	key: string;
	/** Puts the ticket in this limiter's unused tickets once the claim is won. */
	keep: () => void;
}

interface Need {
	slots?: boolean;
	hour?: number;
	day?: number;
}

export class SenderLimiter {
	private nextSlot = Number.NEGATIVE_INFINITY;

	/** Per bucket (`h|<hour>`, `d|<day>`): the next ticket number to try. */
	private readonly cursors = new Map<string, number>();

	/** Minute slots won and not used yet, in order. */
	private slots: number[] = [];

	/** Hourly and daily tickets won and not used yet, by bucket. */
	private readonly tickets = new Map<string, string[]>();

	/** Won slots dropped while still ahead (the run moved past them): given back by `release`. */
	private readonly dropped: string[] = [];

	/**
	 * Tickets of each kind the next claim asks for: at least double the last, and enough for LEAD_SETTLES settle
	 * times at the run's pace, up to MAX_BLOCK and the run's own number of messages.
	 */
	private blockSize: number;

	/** A claim made ahead, in the background, while messages use the tickets already won. */
	private refill: Promise<void> | undefined;

	/** How long the run works between two claims (the median of the last 31), to space the slots it claims ahead. */
	private workMs: number | undefined;

	private readonly samples: number[] = [];

	private lastDone: number | undefined;

	private claims = 0;

	/** Messages this limiter let start. */
	private granted = 0;

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
		private readonly messages: number,
	) {
		this.blockSize = Math.min(MAX_BLOCK, messages);
	}

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
		/** The most messages this run may send: no block is larger. */
		messages?: number;
	}): Promise<SenderLimiter> {
		const limiter = new SenderLimiter(
			input.store,
			`limits\u0000${input.sender}\u0000`,
			input.limits,
			input.dayZone,
			input.claimant,
			input.clock,
			input.settleMs ?? 500,
			Math.max(1, input.messages ?? Number.POSITIVE_INFINITY),
		);
		await limiter.findFirstDay();
		return limiter;
	}

	private get gap(): number {
		return this.limits.perMinute > 0 ? 60_000 / this.limits.perMinute : 0;
	}

	/** The last day looked up and the span of time it covers: a zone's clock costs microseconds per message. */
	private knownDay: { from: number; to: number; day: number } | undefined;

	private day(time: number): number {
		const known = this.knownDay;
		if (known && time >= known.from && time < known.to) return known.day;
		const day = dayNumber(wallClock(time, this.dayZone).date);
		// An hour short of the next midnight: a daylight-saving change that day moves it by up to an hour.
		this.knownDay = { from: time, to: this.nextDayStart(time) - HOUR_MS, day };
		return day;
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
		const next = this.chain.then(async () => await this.claimTimed(earliest));
		this.chain = next.catch(() => undefined);
		return await next;
	}

	private async claimTimed(earliest: number): Promise<Claim> {
		const entered = this.clock.now();
		if (this.lastDone !== undefined) {
			this.samples.push(Math.max(0, entered - this.lastDone));
			if (this.samples.length > 31) this.samples.shift();
			// The median: a slow message now and then (the first, a store write) must not spread a block's slots.
			const sorted = [...this.samples].sort((a, b) => a - b);
			if (sorted.length >= 8) this.workMs = sorted[Math.floor(sorted.length / 2)];
		}
		const claim = await this.claimNow(earliest);
		this.lastDone = Math.max(this.clock.now(), 'at' in claim ? claim.at : 0);
		return claim;
	}

	private pool(bucket: string): string[] {
		let pool = this.tickets.get(bucket);
		if (!pool) {
			pool = [];
			this.tickets.set(bucket, pool);
		}
		return pool;
	}

	/** Drops the slots that ended too long before `time`; those still ahead of the clock are given back later. */
	private dropStaleSlots(time: number): void {
		const gap = this.gap;
		const now = this.clock.now();
		while (this.slots.length > 0 && (this.slots[0] + 1) * gap + LATE_MS <= time) {
			const slot = this.slots.shift() as number;
			if ((slot + 1) * gap > now) this.dropped.push(this.slotKey(slot));
		}
	}

	private slotKey(slot: number): string {
		return `${this.prefix}m${this.gap}|${slot}`;
	}

	private async claimNow(earliest: number): Promise<Claim> {
		const { perHour } = this.limits;
		const gap = this.gap;
		const base = Math.max(earliest, this.clock.now());
		let time = base;
		let reason = '';
		// Only hourly and daily limits hold (the Held output exists then); a minute's slot is always waited for.
		const longest = canHold(this.limits) ? LONGEST_WAIT_MS : Number.POSITIVE_INFINITY;
		for (let round = 0; round < 1000; round++) {
			if (time - base > longest) return { holdUntil: time, reason };
			const need: Need = {};
			let at = time;
			if (gap > 0) {
				this.dropStaleSlots(time);
				if (this.slots.length === 0) need.slots = true;
				else at = Math.max(time, this.slots[0] * gap);
			}
			const hour = Math.floor(at / HOUR_MS);
			if (perHour > 0 && this.pool(`h|${hour}`).length === 0) {
				// A claim under way may be winning this bucket's last tickets: its answer first.
				if (this.refill) {
					await this.refill;
					continue;
				}
				if (this.cursor(`h|${hour}`) >= perHour) {
					time = (hour + 1) * HOUR_MS;
					reason = `the sender's limit of ${perHour} messages an hour`;
					continue;
				}
				need.hour = hour;
			}
			const day = this.day(at);
			const dayLimit = this.dayLimit(day);
			if (dayLimit > 0 && this.pool(`d|${day}`).length === 0) {
				if (this.refill) {
					await this.refill;
					continue;
				}
				if (this.cursor(`d|${day}`) >= dayLimit) {
					time = this.nextDayStart(at);
					reason =
						dayLimit < this.limits.perDay
							? `the sender's warm-up allowance of ${dayLimit} messages today`
							: `the sender's limit of ${dayLimit} messages a day`;
					continue;
				}
				need.day = day;
			}
			if (need.slots || need.hour !== undefined || need.day !== undefined) {
				if (this.refill) await this.refill;
				else await this.claimBlock(need, at);
				continue;
			}
			if (gap > 0) this.slots.shift();
			if (perHour > 0) this.pool(`h|${hour}`).shift();
			if (dayLimit > 0) this.pool(`d|${day}`).shift();
			this.firstDay ??= day;
			this.granted++;
			this.claimAhead(at);
			return { at };
		}
		return { holdUntil: time, reason: reason || 'no ticket could be claimed' };
	}

	private cursor(bucket: string): number {
		return this.cursors.get(bucket) ?? 0;
	}

	/** When the tickets won run low, the next block is claimed in the background, its settle time hidden. */
	private claimAhead(at: number): void {
		if (this.refill) return;
		const low = this.blockSize / 2;
		// What the rest of the run can use: no refill beyond it (a refill of one ticket per message is no block).
		const rest = this.remaining();
		const need: Need = {};
		const gap = this.gap;
		const lastSlot = this.slots.at(-1);
		if (
			gap > 0 &&
			this.slots.length < (this.guessedSpacing() ? 2 * rest : rest) &&
			(this.slots.length < low ||
				lastSlot === undefined ||
				lastSlot * gap - this.clock.now() < LEAD_SETTLES * this.settleMs)
		)
			need.slots = true;
		const hour = Math.floor(at / HOUR_MS);
		const { perHour } = this.limits;
		const short = (bucket: string) => this.pool(bucket).length < Math.min(low, rest);
		if (perHour > 0 && short(`h|${hour}`) && this.cursor(`h|${hour}`) < perHour) need.hour = hour;
		const day = this.day(at);
		const dayLimit = this.dayLimit(day);
		if (dayLimit > 0 && short(`d|${day}`) && this.cursor(`d|${day}`) < dayLimit) need.day = day;
		if (!need.slots && need.hour === undefined && need.day === undefined) return;
		const refill = this.claimBlock(need, at).finally(() => {
			if (this.refill === refill) this.refill = undefined;
		});
		// A failure surfaces in the claim that waits for this refill; none may go unhandled meanwhile.
		refill.catch(() => undefined);
		this.refill = refill;
	}

	/** Whether slots are spaced by a guess of the run's pace (some go unused) rather than by the limit alone. */
	private guessedSpacing(): boolean {
		return this.gap < FIRST_SPACING_MS || this.stride() > 1;
	}

	/** How many slots apart the slots of a block are: about the run's own time per message, so few go unused. */
	private stride(): number {
		// Under the run's time per message: a slot that comes too early is dropped, one that comes too late is waited for.
		const spacing = this.workMs === undefined ? FIRST_SPACING_MS : 0.75 * this.workMs;
		return Math.max(1, Math.floor(spacing / this.gap));
	}

	/** Messages the run may still ask for: no block claims more (n8n gives unused ones back one by one, slowly). */
	private remaining(): number {
		return Math.max(1, this.messages - this.granted);
	}

	/**
	 * Moves a bucket's cursor, the first time this run needs the bucket, to about where its free tickets begin.
	 * Without it a run started at ticket 0 and walked past every ticket the hour's or day's earlier runs took, one
	 * block per store call; a one-message run (a block of one) made a call per earlier message and gave up after
	 * 1,000 as if the limit were reached. The store has no read, so a probe records a few ticket values and removes
	 * those that were new (as `findFirstDay` does): first at 0, 1, 3, 7, ... then spread over the span where the
	 * first free probe fell, until the span is a few tickets; the walk does the rest. Taken tickets mostly form a
	 * prefix (a run gives back only its last block); a hole narrower than a probe spacing above it is skipped,
	 * which means fewer messages, never more. A probe briefly holds the tickets it looks at: another run claiming
	 * them that instant skips them, the same safe side.
	 */
	private async seek(bucket: string, limit: number): Promise<void> {
		if (this.cursors.has(bucket) || limit <= 1) return;
		let low = 0;
		let high = limit;
		let probes: number[] = [];
		for (let k = 1; k - 1 < limit; k *= 2) probes.push(k - 1);
		while (probes.length > 0) {
			const keys = probes.map((k) => `${this.prefix}${bucket}|${k}`);
			const result = await this.store.record(keys);
			if (result.new.length > 0) await this.store.remove(result.new.map(String));
			const fresh = new Set(result.new.map(String));
			const first = probes.findIndex((_, i) => fresh.has(keys[i]));
			if (first === 0) {
				high = probes[0];
				break;
			}
			low = probes[first === -1 ? probes.length - 1 : first - 1] + 1;
			if (first !== -1) high = probes[first];
			if (high - low <= SEEK_SPAN) break;
			const step = Math.ceil((high - low) / SEEK_PROBES);
			probes = [];
			for (let k = low; k < high; k += step) probes.push(k);
		}
		this.cursors.set(bucket, Math.min(low, high));
	}

	/** Numbered tickets of a bucket for one block: never more than an eighth of the limit (what a crash may strand). */
	private numbered(bucket: string, limit: number): Wanted[] {
		const from = this.cursor(bucket);
		const count = Math.min(
			this.blockSize,
			Math.max(1, Math.ceil(limit / 8)),
			limit - from,
			Math.max(1, this.remaining() - this.pool(bucket).length),
		);
		this.cursors.set(bucket, from + Math.max(0, count));
		return Array.from({ length: Math.max(0, count) }, (_, i) => {
			const key = `${this.prefix}${bucket}|${from + i}`;
			return { key, keep: () => this.pool(bucket).push(key) };
		});
	}

	/**
	 * One store call for a block of tickets of each kind needed, with one marker; after `settleMs` a second look
	 * checks the marker. Tickets another claim recorded first are skipped; if the marker is gone, the whole block
	 * is lost (skipped too). Either way the cursors have moved past the block.
	 */
	private async claimBlock(need: Need, at: number): Promise<void> {
		const wanted: Wanted[] = [];
		const gap = this.gap;
		if (need.slots) {
			const stride = this.stride();
			const from = Math.max(this.nextSlot, Math.floor(Math.max(at, this.clock.now()) / gap));
			// No further ahead than a minute (a wait beyond it holds, and slots that far out only crowd others), nor
			// beyond the block's lead when the spacing is a guess from the run's pace.
			const horizon = gap < FIRST_SPACING_MS ? 2 * LEAD_SETTLES * this.settleMs : LONGEST_WAIT_MS;
			const count = Math.max(
				1,
				Math.min(
					this.workMs === undefined ? MAX_BLOCK : this.blockSize,
					Math.floor(horizon / (stride * gap)),
					// Slots spaced by a guess of the run's pace may go unused (twice covers that); slots the limit spaces
					// are all used, and any more would push other executions of the sender back for nothing.
					this.guessedSpacing()
						? 2 * this.remaining()
						: Math.max(1, this.remaining() - this.slots.length),
				),
			);
			this.nextSlot = from + count * stride;
			for (let i = 0; i < count; i++) {
				const slot = from + i * stride;
				wanted.push({ key: this.slotKey(slot), keep: () => this.slots.push(slot) });
			}
		}
		if (need.hour !== undefined) {
			await this.seek(`h|${need.hour}`, this.limits.perHour);
			wanted.push(...this.numbered(`h|${need.hour}`, this.limits.perHour));
		}
		if (need.day !== undefined) {
			await this.seek(`d|${need.day}`, this.dayLimit(need.day));
			wanted.push(...this.numbered(`d|${need.day}`, this.dayLimit(need.day)));
		}
		const lead =
			this.workMs === undefined
				? 0
				: Math.ceil((LEAD_SETTLES * this.settleMs) / Math.max(this.workMs, 0.1));
		this.blockSize = Math.min(MAX_BLOCK, this.messages, Math.max(this.blockSize * 2, lead));
		if (wanted.length === 0) return;
		const marker = `${this.prefix}claim|${this.claimant}|${this.claims++}`;
		const result = await this.store.record([
			...wanted.map(({ key }) => key),
			marker,
			this.activeValue(this.day(at)),
		]);
		const taken = new Set(result.processed.map(String));
		const won = wanted.filter(({ key }) => !taken.has(key));
		if (won.length === 0) return;
		await this.clock.pause(this.settleMs);
		const second = await this.store.record([marker]);
		if (second.new.length > 0) return;
		for (const { keep } of won) keep();
	}

	/**
	 * Gives back the tickets won and not used (the run is over or holds): other executions may use them. A run that
	 * ends without this (n8n killed) strands them: fewer messages that hour or day, never more.
	 */
	async release(): Promise<void> {
		await this.chain;
		await this.refill?.catch(() => undefined);
		const now = this.clock.now();
		const gap = this.gap;
		const unused = [
			...this.dropped.splice(0),
			...this.slots.filter((slot) => (slot + 1) * gap > now).map((slot) => this.slotKey(slot)),
			...[...this.tickets.values()].flat(),
		];
		this.slots = [];
		this.tickets.clear();
		if (unused.length > 0) await this.store.remove(unused);
	}
}
