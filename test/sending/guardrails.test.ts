/**
 * The clock-bound logic of the guardrails with an injected clock: send windows (across midnight, weekends, zones
 * with half- and quarter-hour offsets), the recipient's zone, warm-up days, the pace presets, and the sender
 * limiter's tickets over a store that behaves like n8n's processed-data store (one row, read-modify-write).
 * Nothing here waits for real time.
 */
import type { IDeduplicationOutput } from 'n8n-workflow';

import type { LimitStore, SenderLimits } from '../../nodes/shared/sending/guardrails/limits';
import { SenderLimiter } from '../../nodes/shared/sending/guardrails/limits';
import { BULK_ITEMS, choosePace, hoursFor } from '../../nodes/shared/sending/guardrails/presets';
import { warmUpAllowance, warmUpDays } from '../../nodes/shared/sending/guardrails/warmup';
import type { WindowPeriod } from '../../nodes/shared/sending/guardrails/window';
import { isOpen, nextOpening, parseTimeOfDay } from '../../nodes/shared/sending/guardrails/window';
import { wallClock, zoneOfNumber } from '../../nodes/shared/sending/guardrails/zones';

const at = (iso: string) => Date.parse(iso);
const MON_FRI = [1, 2, 3, 4, 5];
const period = (days: number[], from: string, to: string): WindowPeriod => ({
	days,
	from: parseTimeOfDay(from)!,
	to: parseTimeOfDay(to)!,
});

describe('send window', () => {
	const office = [period(MON_FRI, '09:00', '17:00')];

	it('is open on weekdays within the hours, in the given zone', () => {
		// 2026-12-07 is a Monday. 02:00 UTC is 09:00 in Jakarta (UTC+7).
		expect(isOpen(office, 'Asia/Jakarta', at('2026-12-07T02:00:00Z'))).toBe(true);
		expect(isOpen(office, 'Asia/Jakarta', at('2026-12-07T01:59:59Z'))).toBe(false);
		expect(isOpen(office, 'Asia/Jakarta', at('2026-12-07T09:59:59Z'))).toBe(true);
		expect(isOpen(office, 'Asia/Jakarta', at('2026-12-07T10:00:00Z'))).toBe(false);
		expect(isOpen(office, 'UTC', at('2026-12-07T02:00:00Z'))).toBe(false);
	});

	it('is closed at the weekend and opens on Monday morning', () => {
		const fridayEvening = at('2026-12-11T18:00:00Z'); // Friday 18:00 UTC
		expect(isOpen(office, 'UTC', fridayEvening)).toBe(false);
		expect(new Date(nextOpening(office, 'UTC', fridayEvening)!).toISOString()).toBe(
			'2026-12-14T09:00:00.000Z',
		);
		expect(isOpen(office, 'UTC', at('2026-12-12T12:00:00Z'))).toBe(false); // Saturday noon
	});

	it('runs a period past midnight into the next day', () => {
		const night = [period([5], '22:00', '06:00')]; // Friday 22:00 to Saturday 06:00
		expect(isOpen(night, 'UTC', at('2026-12-11T23:30:00Z'))).toBe(true); // Friday
		expect(isOpen(night, 'UTC', at('2026-12-12T05:59:00Z'))).toBe(true); // Saturday morning
		expect(isOpen(night, 'UTC', at('2026-12-12T06:00:00Z'))).toBe(false);
		expect(isOpen(night, 'UTC', at('2026-12-12T23:00:00Z'))).toBe(false); // Saturday night: not a start day
		expect(isOpen(night, 'UTC', at('2026-12-11T05:00:00Z'))).toBe(false); // Friday morning: Thursday did not start one
		expect(new Date(nextOpening(night, 'UTC', at('2026-12-12T07:00:00Z'))!).toISOString()).toBe(
			'2026-12-18T22:00:00.000Z',
		);
	});

	it('takes equal start and end as the whole day', () => {
		const sundays = [period([0], '00:00', '00:00')];
		expect(isOpen(sundays, 'UTC', at('2026-12-13T00:00:00Z'))).toBe(true);
		expect(isOpen(sundays, 'UTC', at('2026-12-13T23:59:00Z'))).toBe(true);
		expect(isOpen(sundays, 'UTC', at('2026-12-14T00:00:00Z'))).toBe(false);
	});

	it('works in half- and quarter-hour zones', () => {
		const nine = [period(MON_FRI, '09:00', '09:30')];
		// India is UTC+5:30: 09:00 there is 03:30 UTC; Nepal is UTC+5:45: 03:15 UTC.
		expect(isOpen(nine, 'Asia/Kolkata', at('2026-12-07T03:29:00Z'))).toBe(false);
		expect(isOpen(nine, 'Asia/Kolkata', at('2026-12-07T03:30:00Z'))).toBe(true);
		expect(isOpen(nine, 'Asia/Kathmandu', at('2026-12-07T03:15:00Z'))).toBe(true);
		expect(isOpen(nine, 'Asia/Kathmandu', at('2026-12-07T03:45:00Z'))).toBe(false);
		expect(
			new Date(nextOpening(nine, 'Asia/Kolkata', at('2026-12-07T04:00:00Z'))!).toISOString(),
		).toBe('2026-12-08T03:30:00.000Z');
	});

	it('opens after a daylight-saving change at the right local time', () => {
		// Europe/Berlin leaves summer time on 2026-10-25: 09:00 is 07:00 UTC before, 08:00 UTC after.
		const daily = [period([0, 1, 2, 3, 4, 5, 6], '09:00', '10:00')];
		const saturday = at('2026-10-24T09:00:00Z');
		expect(new Date(nextOpening(daily, 'Europe/Berlin', saturday)!).toISOString()).toBe(
			'2026-10-25T08:00:00.000Z',
		);
	});

	it('says "never" for a window without days', () => {
		expect(nextOpening([{ days: [], from: 0, to: 60 }], 'UTC', at('2026-12-07T00:00:00Z'))).toBe(
			undefined,
		);
	});

	it('reads times of day and refuses what is not one', () => {
		expect(parseTimeOfDay('9:05')).toBe(545);
		expect(parseTimeOfDay('24:00')).toBe(1440);
		for (const bad of ['25:00', '12:60', '24:01', 'noon', '', '9'])
			expect(parseTimeOfDay(bad)).toBe(undefined);
	});
});

describe("recipient's zone", () => {
	it('comes from the calling code, longest prefix first', () => {
		expect(zoneOfNumber('6281234567890')).toBe('Asia/Jakarta');
		expect(zoneOfNumber('919876543210')).toBe('Asia/Kolkata');
		expect(zoneOfNumber('9779812345678')).toBe('Asia/Kathmandu');
		expect(zoneOfNumber('971501234567')).toBe('Asia/Dubai');
		expect(zoneOfNumber('14155550100')).toBe('America/New_York');
		expect(zoneOfNumber('999123')).toBe(undefined);
	});

	it('reads the wall clock of a zone', () => {
		const clock = wallClock(at('2026-12-07T18:45:00Z'), 'Asia/Kolkata');
		expect(clock).toEqual({ weekday: 2, minuteOfDay: 15, second: 0, date: '2026-12-08' });
	});
});

describe('warm-up', () => {
	const warmUp = { startPerDay: 20, growth: 1.8 };

	it("grows from the first day's allowance by the factor, up to the daily limit", () => {
		const days = Array.from({ length: 9 }, (_, day) => warmUpAllowance(warmUp, day, 1500));
		expect(days).toEqual([20, 36, 64, 116, 209, 377, 680, 1224, 1500]);
		expect(warmUpDays(warmUp, 1500)).toBe(8);
	});
});

describe('pace presets', () => {
	it('paces bulk sends of the web-style gateways by default, and nothing else', () => {
		const bulk = BULK_ITEMS + 1;
		expect(choosePace({}, 'n8n-nodes-whatsapp-gateways.profilora', bulk)).toEqual({
			pace: 'moderate',
			chosenBy: 'default',
		});
		expect(choosePace({}, 'n8n-nodes-whatsapp-gateways.waChatPro', bulk).pace).toBe('moderate');
		expect(choosePace({}, 'n8n-nodes-whatsapp-gateways.profilora', BULK_ITEMS).pace).toBe('custom');
		expect(choosePace({}, 'n8n-nodes-whatsapp-gateways.sobot', 5000).pace).toBe('custom');
		// A saved workflow that chose its own delay keeps it.
		expect(choosePace({ delayMode: 'none' }, 'x.profilora', bulk)).toEqual({
			pace: 'custom',
			chosenBy: 'user',
		});
		expect(choosePace({ pace: 'cautious' }, 'x.sobot', 1).pace).toBe('cautious');
	});

	it('says what a preset means for 1,000 messages', () => {
		expect(hoursFor(1000, 'moderate')).toBeCloseTo((999 * 10.75) / 3600, 5);
		expect(hoursFor(1000, 'cautious')).toBeCloseTo((999 * 45) / 3600, 5);
	});
});

/** n8n's processed-data store in entries mode: one row; `interleave` lets two calls read before either writes. */
class RowStore {
	row = new Set<string>();

	private pendingReads: Array<() => void> = [];

	/** The next two calls both read the row before either writes (so one write is lost), as two processes may. */
	interleaveNext = 0;

	async record(values: string[]): Promise<IDeduplicationOutput> {
		const snapshot = new Set(this.row);
		if (this.interleaveNext > 0) {
			this.interleaveNext--;
			await new Promise<void>((resolve) => {
				this.pendingReads.push(resolve);
				if (this.pendingReads.length === 2) for (const go of this.pendingReads.splice(0)) go();
			});
		}
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const value of values) {
			if (snapshot.has(value)) output.processed.push(value);
			else {
				output.new.push(value);
				snapshot.add(value);
			}
		}
		this.row = snapshot; // the whole row written back: the last writer wins
		return output;
	}

	async remove(values: string[]): Promise<void> {
		for (const value of values) this.row.delete(value);
	}
}

class FakeClock {
	constructor(public time: number) {}

	now = () => this.time;

	pause = async (ms: number) => {
		this.time += ms;
		await Promise.resolve();
	};
}

async function limiter(
	store: LimitStore,
	clock: FakeClock,
	limits: Partial<SenderLimits>,
	claimant: string,
	dayZone = 'UTC',
	messages?: number,
) {
	return await SenderLimiter.open({
		store,
		sender: 'profilora|cred|6285',
		limits: { perMinute: 0, perHour: 0, perDay: 0, ...limits },
		dayZone,
		claimant,
		clock,
		settleMs: 10,
		messages,
	});
}

describe('sender limiter', () => {
	it('gives each message its own slot of 60/N s, across two executions sharing the store', async () => {
		const store = new RowStore();
		const clock = new FakeClock(at('2026-12-07T10:00:00Z'));
		const a = await limiter(store, clock, { perMinute: 20 }, 'A');
		const b = await limiter(store, clock, { perMinute: 20 }, 'B');
		const starts: number[] = [];
		for (let i = 0; i < 10; i++) {
			for (const run of [a, b]) {
				const claim = await run.claim(clock.now());
				if (!('at' in claim)) throw new Error('held');
				starts.push(claim.at);
			}
		}
		const slots = starts.map((t) => Math.floor((t - at('2026-12-07T10:00:00Z')) / 3000));
		expect(new Set(slots).size).toBe(20);
		expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(19 * 3000);
	});

	it('claims tickets in blocks: a long run makes few store calls and uses every slot once', async () => {
		const store = new RowStore();
		let calls = 0;
		const counted: LimitStore = {
			record: async (values) => (calls++, await store.record(values)),
			remove: async (values) => (calls++, await store.remove(values)),
		};
		const clock = new FakeClock(at('2026-12-07T10:00:00Z'));
		const limits = { perMinute: 600, perHour: 100_000, perDay: 100_000 };
		// More messages than the largest block: the run's size caps blocks, not the other way round.
		const run = await limiter(counted, clock, limits, 'A', 'UTC', 3000);
		const starts: number[] = [];
		for (let i = 0; i < 3000; i++) {
			const claim = await run.claim(clock.now());
			if (!('at' in claim)) throw new Error('held');
			starts.push(claim.at);
			clock.time = Math.max(clock.time, claim.at) + 5; // the run waits for its slot, then works 5 ms
		}
		await run.release();
		const slots = starts.map((t) => Math.floor(t / 100));
		expect(new Set(slots).size).toBe(3000);
		for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1]);
		// One message at a time would be two calls per message (6,000); blocks need a few dozen.
		expect(calls).toBeLessThan(100);
		// An hour's limit is the row's count: 3,000 tickets of this hour used, and none left recorded unused.
		const hourTickets = [...store.row].filter((v) => v.includes('h|'));
		expect(hourTickets).toHaveLength(3000);
	});

	it('never lets two runs claiming blocks at once use one ticket; what a run gives back another uses', async () => {
		const store = new RowStore();
		const clock = new FakeClock(at('2026-12-07T10:00:00Z'));
		const a = await limiter(store, clock, { perHour: 20 }, 'A');
		const b = await limiter(store, clock, { perHour: 20 }, 'B');
		let sent = 0;
		const held = new Set<string>();
		while (held.size < 2) {
			for (const [name, run] of [
				['A', a],
				['B', b],
			] as const) {
				if (held.has(name)) continue;
				if ('at' in (await run.claim(clock.now()))) sent++;
				else held.add(name);
			}
		}
		expect(sent).toBe(20);

		const next = at('2026-12-07T11:00:00Z');
		clock.time = next;
		const c = await limiter(store, clock, { perHour: 20 }, 'C');
		expect('at' in (await c.claim(clock.now()))).toBe(true);
		await c.release();
		const d = await limiter(store, clock, { perHour: 20 }, 'D');
		let more = 0;
		while ('at' in (await d.claim(clock.now()))) more++;
		expect(more).toBe(19);
	});

	it('lets only one of two claims that read the row at once win the ticket', async () => {
		const store = new RowStore();
		const clock = new FakeClock(at('2026-12-07T10:00:00Z'));
		const a = await limiter(store, clock, { perMinute: 6 }, 'A');
		const b = await limiter(store, clock, { perMinute: 6 }, 'B');
		store.interleaveNext = 2;
		const [claimA, claimB] = await Promise.all([a.claim(clock.now()), b.claim(clock.now())]);
		const times = [claimA, claimB].map((c) => ('at' in c ? Math.floor(c.at / 10_000) : -1));
		expect(times[0]).not.toBe(times[1]);
	});

	it('holds at the hourly limit until the next clock hour', async () => {
		const store = new RowStore();
		const clock = new FakeClock(at('2026-12-07T10:30:00Z'));
		const run = await limiter(store, clock, { perHour: 3 }, 'A');
		for (let i = 0; i < 3; i++) expect('at' in (await run.claim(clock.now()))).toBe(true);
		const fourth = await run.claim(clock.now());
		expect(fourth).toEqual({
			holdUntil: at('2026-12-07T11:00:00Z'),
			reason: "the sender's limit of 3 messages an hour",
		});
		// Another execution of the same sender sees the same count.
		const other = await limiter(store, clock, { perHour: 3 }, 'B');
		expect('holdUntil' in (await other.claim(clock.now()))).toBe(true);
	});

	it("holds at the daily limit until midnight in the workflow's zone", async () => {
		const store = new RowStore();
		const clock = new FakeClock(at('2026-12-07T15:00:00Z')); // 22:00 in Jakarta, two hours to midnight
		const run = await limiter(store, clock, { perDay: 2 }, 'A', 'Asia/Jakarta');
		await run.claim(clock.now());
		await run.claim(clock.now());
		expect(await run.claim(clock.now())).toEqual({
			holdUntil: at('2026-12-07T17:00:00Z'),
			reason: "the sender's limit of 2 messages a day",
		});
	});

	it("finds where the day's free tickets begin in a few store calls, however many were used before", async () => {
		const store = new RowStore();
		const clock = new FakeClock(at('2026-12-07T08:00:00Z'));
		const limits = { perHour: 5000, perDay: 5000 };
		const bulk = await limiter(store, clock, limits, 'bulk', 'UTC', 1200);
		for (let i = 0; i < 1200; i++) expect('at' in (await bulk.claim(clock.now()))).toBe(true);
		await bulk.release();
		let calls = 0;
		const counted: LimitStore = {
			record: async (values) => (calls++, await store.record(values)),
			remove: async (values) => (calls++, await store.remove(values)),
		};
		// A one-message execution later that day (a reply workflow, say) used to walk past the 1,200 tickets one
		// store call each, and held after 1,000 rounds with "no ticket could be claimed".
		const one = await limiter(counted, clock, limits, 'one', 'UTC', 1);
		expect('at' in (await one.claim(clock.now()))).toBe(true);
		await one.release();
		expect(calls).toBeLessThan(30);
		const used = (bucket: string) =>
			[...store.row].filter((v) => v.includes(`\u0000${bucket}`)).length;
		expect(used('h|')).toBe(1201);
		expect(used('d|')).toBe(1201);
		// A run that won a block and gives most of it back after a later run took the tickets above: a hole of
		// 290 free tickets below used ones. The next run finds and uses them: the search undercounts nothing here.
		const early = await limiter(store, clock, limits, 'early', 'UTC', 300);
		for (let i = 0; i < 10; i++) expect('at' in (await early.claim(clock.now()))).toBe(true);
		const late = await limiter(store, clock, limits, 'late', 'UTC', 100);
		for (let i = 0; i < 100; i++) expect('at' in (await late.claim(clock.now()))).toBe(true);
		await late.release();
		await early.release();
		expect(used('d|')).toBe(1311);
		const many = await limiter(store, clock, limits, 'many', 'UTC', 10_000);
		let more = 0;
		while ('at' in (await many.claim(clock.now()))) more++;
		expect(more).toBe(5000 - 1311);
	});

	it("counts the warm-up from the sender's first recorded send", async () => {
		const store = new RowStore();
		const clock = new FakeClock(at('2026-12-07T08:00:00Z'));
		const warm = { perDay: 1500, warmUp: { startPerDay: 2, growth: 2 } };
		const first = await limiter(store, clock, warm, 'A');
		expect(first.dayLimit(0)).toBe(2);
		await first.claim(clock.now());
		await first.claim(clock.now());
		expect(await first.claim(clock.now())).toMatchObject({
			reason: "the sender's warm-up allowance of 2 messages today",
		});
		// Two days later a new execution finds the first day in the store: 2 x 2 x 2 = 8 today.
		clock.time = at('2026-12-09T08:00:00Z');
		const later = await limiter(store, clock, warm, 'B');
		const today = Math.round(at('2026-12-09T00:00:00Z') / 86_400_000);
		expect(later.dayLimit(today)).toBe(8);
	});
});
