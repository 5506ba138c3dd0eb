/**
 * The sending layer's pieces without the engine: the pacer's slot arithmetic on a fake clock, backoff and
 * Retry-After, and which failures count as retry-safe. No real waiting anywhere (`pause` is a fake that
 * moves the fake clock), so these say nothing about timing and cannot be flaky.
 */
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { GatewayErrorDetails } from '../../nodes/shared/http/transport';
import {
	findCode,
	GatewayError,
	retryAfterMs,
	retrySafetyOfCode,
	retrySafetyOfStatus,
} from '../../nodes/shared/http/transport';
import { Pacer, waitUntil } from '../../nodes/shared/sending/pacer';
import { backoffMs, isRetryable, retryWaitMs, withRetries } from '../../nodes/shared/sending/retry';

const node: INode = {
	id: 'n',
	name: 'Node',
	type: 'test.node',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function gatewayError(
	details: Partial<GatewayErrorDetails> & Pick<GatewayErrorDetails, 'retry'>,
): GatewayError {
	return new GatewayError(node, 'failed', { service: 'Test', ...details });
}

/** A clock that only moves when the code under test "sleeps". */
function fakeClock(start = 1_000_000) {
	const clock = { now: start, sleeps: [] as number[] };
	return {
		clock,
		now: () => clock.now,
		pause: async (ms: number) => {
			clock.sleeps.push(ms);
			clock.now += ms;
		},
	};
}

const retryOptions = {
	maxAttempts: 4,
	retryBaseDelayMs: 100,
	maxRetryWaitMs: 60_000,
	retryAmbiguous: false,
};

describe('retry classification (transport)', () => {
	test.each([
		[429, 'safe'],
		[408, 'safe'],
		[502, 'safe'],
		[503, 'safe'],
		[504, 'safe'],
		[500, 'ambiguous'],
		[501, 'ambiguous'],
		[400, 'never'],
		[401, 'never'],
		[404, 'never'],
	] as const)('HTTP %i is %s', (status, safety) => {
		expect(retrySafetyOfStatus(status)).toBe(safety);
	});

	test.each([
		['ECONNREFUSED', 'safe'],
		['ENOTFOUND', 'safe'],
		['EAI_AGAIN', 'safe'],
		['EHOSTUNREACH', 'safe'],
		// A reset looks the same whether the gateway read the request or not: never "safe".
		['ECONNRESET', 'ambiguous'],
		['EPIPE', 'ambiguous'],
		['ECONNABORTED', 'ambiguous'],
		['ETIMEDOUT', 'ambiguous'],
		['ERR_CANCELED', 'never'],
		['ERR_INVALID_URL', 'never'],
		[undefined, 'never'],
	] as const)('network code %s is %s', (code, safety) => {
		expect(retrySafetyOfCode(code)).toBe(safety);
	});

	test('finds the socket code under n8n wrapping before reading any message', () => {
		// The shape n8n-core throws: NodeApiError(axios error(cause: socket error)), with a paraphrased message.
		const socket = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const axiosError = Object.assign(new Error('socket hang up'), {
			code: 'ECONNRESET',
			isAxiosError: true,
			cause: socket,
		});
		const wrapped = new NodeApiError(node, axiosError as never);
		expect(findCode(wrapped)).toBe('ECONNRESET');

		const timeout = Object.assign(new Error('timeout of 200ms exceeded'), {
			code: 'ECONNABORTED',
			isAxiosError: true,
		});
		expect(findCode(new NodeApiError(node, timeout as never))).toBe('ECONNABORTED');
	});

	test('falls back to messages only for known network words', () => {
		expect(findCode(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe('ECONNREFUSED');
		expect(findCode(new Error('socket hang up'))).toBe('ECONNRESET');
		expect(findCode(new Error('ERROR: something else'))).toBeUndefined();
		expect(findCode('not an error')).toBeUndefined();
	});

	test('Retry-After as seconds or HTTP date; junk is ignored, not read as 0', () => {
		const now = Date.parse('2026-11-22T10:00:00Z');
		expect(retryAfterMs('2', now)).toBe(2000);
		expect(retryAfterMs(['0'], now)).toBe(0);
		expect(retryAfterMs('1.5', now)).toBe(1500);
		expect(retryAfterMs('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
		expect(retryAfterMs('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
		expect(retryAfterMs('', now)).toBeUndefined();
		expect(retryAfterMs(' ', now)).toBeUndefined();
		expect(retryAfterMs('-5', now)).toBeUndefined();
		expect(retryAfterMs(undefined, now)).toBeUndefined();
	});
});

describe('isRetryable, backoff and Retry-After', () => {
	test('ambiguous failures are retried only when the user opted in', () => {
		expect(isRetryable(gatewayError({ retry: 'safe' }), { retryAmbiguous: false })).toBe(true);
		expect(isRetryable(gatewayError({ retry: 'ambiguous' }), { retryAmbiguous: false })).toBe(
			false,
		);
		expect(isRetryable(gatewayError({ retry: 'ambiguous' }), { retryAmbiguous: true })).toBe(true);
		expect(isRetryable(gatewayError({ retry: 'never' }), { retryAmbiguous: true })).toBe(false);
		expect(isRetryable(new Error('bug'), { retryAmbiguous: true })).toBe(false);
	});

	test('backoff doubles per attempt, jittered within the upper half', () => {
		expect(backoffMs(1, 100, () => 0)).toBe(50);
		expect(backoffMs(1, 100, () => 1)).toBe(100);
		expect(backoffMs(3, 100, () => 0)).toBe(200);
		expect(backoffMs(3, 100, () => 1)).toBe(400);
		for (let i = 0; i < 100; i++) {
			const wait = backoffMs(2, 1000);
			expect(wait).toBeGreaterThanOrEqual(1000);
			expect(wait).toBeLessThanOrEqual(2000);
		}
	});

	test('Retry-After replaces the backoff; one longer than the cap means "give up", not "retry early"', () => {
		const options = { retryBaseDelayMs: 100, maxRetryWaitMs: 10_000 };
		expect(retryWaitMs(gatewayError({ retry: 'safe', retryAfterMs: 3000 }), 1, options)).toBe(3000);
		expect(retryWaitMs(gatewayError({ retry: 'safe', retryAfterMs: 0 }), 1, options)).toBe(0);
		expect(
			retryWaitMs(gatewayError({ retry: 'safe', retryAfterMs: 20_000 }), 1, options),
		).toBeUndefined();
		expect(retryWaitMs(gatewayError({ retry: 'safe' }), 10, options, () => 1)).toBe(10_000);
	});
});

describe('withRetries', () => {
	test('retries safe failures with backoff, counts attempts, and stops at maxAttempts', async () => {
		const { clock, now, pause } = fakeClock();
		let calls = 0;
		const result = await withRetries(
			retryOptions,
			async () => {
				calls++;
				throw gatewayError({ retry: 'safe', statusCode: 503 });
			},
			undefined,
			{ now, pause, random: () => 0 },
		);
		expect(result).toMatchObject({ ok: false, attempts: 4 });
		expect(calls).toBe(4);
		expect(clock.sleeps).toEqual([50, 100, 200]);
	});

	test('an ambiguous failure is final unless opted in', async () => {
		const { now, pause } = fakeClock();
		const failOnce = () => {
			let calls = 0;
			return async (attempt: number) => {
				calls++;
				if (calls === 1) throw gatewayError({ retry: 'ambiguous', code: 'ECONNABORTED' });
				return attempt;
			};
		};
		expect(await withRetries(retryOptions, failOnce(), undefined, { now, pause })).toMatchObject({
			ok: false,
			attempts: 1,
		});
		expect(
			await withRetries({ ...retryOptions, retryAmbiguous: true }, failOnce(), undefined, {
				now,
				pause,
			}),
		).toEqual({
			ok: true,
			value: 2,
			attempts: 2,
		});
	});

	test('waits exactly what Retry-After asks and tells the pacer to hold everyone', async () => {
		const { clock, now, pause } = fakeClock();
		const holds: number[] = [];
		const start = clock.now;
		const result = await withRetries(
			retryOptions,
			async (attempt) => {
				if (attempt < 3) throw gatewayError({ retry: 'safe', statusCode: 429, retryAfterMs: 2500 });
				return 'sent';
			},
			undefined,
			{ now, pause, onRetryAfter: (until) => holds.push(until - start) },
		);
		expect(result).toEqual({ ok: true, value: 'sent', attempts: 3 });
		expect(holds).toEqual([2500, 5000]);
		expect(clock.now - start).toBe(5000);
	});

	test('a stopped execution makes no further attempt', async () => {
		const { now, pause } = fakeClock();
		let stopped = false;
		let calls = 0;
		const result = await withRetries(
			retryOptions,
			async () => {
				calls++;
				stopped = true;
				throw gatewayError({ retry: 'safe', statusCode: 503 });
			},
			undefined,
			{ now, pause, stopped: () => stopped },
		);
		expect(result).toMatchObject({ ok: false, attempts: 1 });
		expect(calls).toBe(1);
	});

	test('runs beforeAttempt (the pacer) before every attempt, retries included', async () => {
		const { now, pause } = fakeClock();
		const order: string[] = [];
		await withRetries(
			retryOptions,
			async (attempt) => {
				order.push(`send ${attempt}`);
				if (attempt === 1) throw gatewayError({ retry: 'safe', statusCode: 502 });
			},
			async () => {
				order.push('slot');
			},
			{ now, pause },
		);
		expect(order).toEqual(['slot', 'send 1', 'slot', 'send 2']);
	});
});

describe('Pacer', () => {
	test('messages per minute spaces starts evenly, even when several workers ask at once', () => {
		const { clock, now } = fakeClock(0);
		const pacer = new Pacer({ delay: { mode: 'none' }, messagesPerMinute: 60 }, now);
		// Four workers claiming at the same instant (concurrency 4) still get one slot per second.
		expect([pacer.reserve(), pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([
			0, 1000, 2000, 3000,
		]);
		clock.now = 10_000;
		expect(pacer.reserve()).toBe(10_000);
	});

	test('the larger of fixed delay and rate cap wins', () => {
		const { now } = fakeClock(0);
		const fixed = new Pacer({ delay: { mode: 'fixed', ms: 3000 }, messagesPerMinute: 60 }, now);
		expect([fixed.reserve(), fixed.reserve(), fixed.reserve()]).toEqual([0, 3000, 6000]);
		const capped = new Pacer({ delay: { mode: 'fixed', ms: 100 }, messagesPerMinute: 30 }, now);
		expect([capped.reserve(), capped.reserve()]).toEqual([0, 2000]);
	});

	test('random delay stays within its range', () => {
		const { now } = fakeClock(0);
		let r = 0;
		const sequence = [0, 1, 0.5];
		const pacer = new Pacer(
			{ delay: { mode: 'random', minMs: 3000, maxMs: 8000 }, messagesPerMinute: 0 },
			now,
			() => sequence[r++],
		);
		expect([pacer.reserve(), pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([
			0, 3000, 11_000, 16_500,
		]);
	});

	test('no pacing: every slot is now', () => {
		const { now } = fakeClock(5);
		const pacer = new Pacer({ delay: { mode: 'none' }, messagesPerMinute: 0 }, now);
		expect([pacer.reserve(), pacer.reserve()]).toEqual([5, 5]);
	});

	test('holdUntil pushes every later slot past a Retry-After', () => {
		const { now } = fakeClock(0);
		const pacer = new Pacer({ delay: { mode: 'none' }, messagesPerMinute: 60 }, now);
		expect(pacer.reserve()).toBe(0);
		pacer.holdUntil(5000);
		pacer.holdUntil(2000);
		expect([pacer.reserve(), pacer.reserve()]).toEqual([5000, 6000]);
	});

	test('waitUntil sleeps in bounded chunks against the clock, and stops early when stopped', async () => {
		const { clock, now, pause } = fakeClock(0);
		await waitUntil(2500, { now, pause });
		expect(clock.sleeps).toEqual([1000, 1000, 500]);
		clock.sleeps.length = 0;
		await waitUntil(1000, { now, pause });
		expect(clock.sleeps).toEqual([]);
		let stop = false;
		await waitUntil(60_000, {
			now,
			pause: async (ms) => {
				await pause(ms);
				stop = clock.now >= 4500;
			},
			stopped: () => stop,
		});
		expect(clock.now).toBe(4500);
	});
});
