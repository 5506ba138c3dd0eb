/**
 * The sending layer under injected faults, end to end: the Profilora node in n8n-core's engine, the sandbox
 * failing requests on purpose, and the sandbox's own record (`accepted`, `requests`) as the judge of what
 * was delivered. No assertion is about speed; the few lower bounds on elapsed time check that a wait
 * happened at all (a slow machine can only make them longer).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { Profilora } from '../../nodes/Profilora/Profilora.node';
import type { FaultConfig } from '../../sandbox/faults';
import { FaultInjector } from '../../sandbox/faults';
import { runNode } from '../harness/engine';
import type { RunNodeOptions } from '../harness/engine';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import {
	analyseCampaign,
	CAMPAIGN_PATH,
	campaignFaults,
	campaignItems,
	campaignSendTextParameters,
	copiesAndAmbiguousFaults,
} from './campaign';

const ctx = useSandbox();
const SEED = 2026;
const MESSAGES = 2000;

function campaign(
	count: number,
	sendingOptions: Record<string, unknown>,
	extra: Partial<RunNodeOptions> = {},
) {
	return runNode({
		node: new Profilora(),
		credentials: profiloraCredentials(ctx.sandbox),
		parameters: campaignSendTextParameters(sendingOptions),
		items: campaignItems(count),
		continueOnFail: true,
		...extra,
	});
}

/** A fault seed whose first decisions for the campaign path are exactly `pattern` (undefined: no fault). */
function seedWhere(config: Omit<FaultConfig, 'seed'>, pattern: Array<string | undefined>): number {
	for (let seed = 1; seed <= 100_000; seed++) {
		const probe = new FaultInjector();
		probe.configure({ ...config, seed });
		if (pattern.every((kind) => probe.decide(CAMPAIGN_PATH)?.kind === kind)) return seed;
	}
	throw new Error('no seed gives that pattern');
}

function expectOneOutputPerInput(items: INodeExecutionData[], count: number) {
	expect(items).toHaveLength(count);
	expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
		Array.from({ length: count }, (_, i) => i),
	);
	for (const item of items) expect(typeof item.json.attempts).toBe('number');
}

// Small waits so that 2,000 messages with ~200 faults take seconds: the client timeout (200 ms) is well
// below the sandbox's hold on "timeout" replies (1 s), so a held reply is always a client timeout.
/**
 * A 1 s client timeout, and `timeout` faults that hold the reply 2.5 s: a request the client gives up on is then
 * one the sandbox meant to hold (and records as ambiguous), not a slow one on a busy machine, which would be a
 * duplicate nobody can explain (seen with a 200 ms timeout under load).
 */
const FAST = { retryBaseDelayMs: 2, timeoutMs: 1000, maxAttempts: 4 };
const HOLD = { holdMs: 2500 };

describe('2,000 sends with ~10% faults of every kind (seeded)', () => {
	test('default options: retry-safe failures retried, uncertain ones reported, no message delivered twice', async () => {
		ctx.sandbox.faults.configure(campaignFaults(SEED, HOLD));
		const result = await campaign(MESSAGES, FAST);

		expect(result.error).toBeUndefined();
		expectOneOutputPerInput(result.items, MESSAGES);
		const report = analyseCampaign(ctx.sandbox, MESSAGES, result.items);
		for (const kind of ['429', '500', '502', '503', 'refuse', 'drop', 'timeout', 'latency']) {
			expect(report.faultsInjected[kind]).toBeGreaterThan(0);
		}
		// Without the opt-in nothing that may have reached the gateway is sent again.
		expect(report.extraCopies).toBe(0);
		expect(report.reportedSentButNotDelivered).toBe(0);
		// Every failure left is one where delivery is uncertain (reset, timeout, 500): retry-safe ones were retried.
		const failed = result.items.filter((item) => item.json.error !== undefined);
		expect(failed.length).toBe(report.reportedFailed);
		for (const item of failed) {
			// (An earlier attempt may have met a 429 or 503 and been retried; the last one was uncertain.)
			expect(
				item.json.statusCode === 500 ||
					/dropped the connection|did not answer in time/.test(String(item.json.error)),
			).toBe(true);
		}
		expect(report.reportedSent).toBeGreaterThanOrEqual(MESSAGES * 0.9);
		// Retries happened: some items needed more than one attempt, none more than allowed.
		expect(Object.keys(report.attempts ?? {}).sort()).toEqual(expect.arrayContaining(['1', '2']));
		for (const item of result.items) expect(item.json.attempts as number).toBeLessThanOrEqual(4);
	});

	test('with "Retry When Delivery Is Uncertain": at least 99.9% sent, duplicates only after ambiguous faults', async () => {
		ctx.sandbox.faults.configure(campaignFaults(SEED, HOLD));
		const result = await campaign(MESSAGES, { ...FAST, retryAmbiguous: true });

		expect(result.error).toBeUndefined();
		expectOneOutputPerInput(result.items, MESSAGES);
		const report = analyseCampaign(ctx.sandbox, MESSAGES, result.items);
		expect(report.reportedSent).toBeGreaterThanOrEqual(Math.ceil(MESSAGES * 0.999));
		expect(report.delivered).toBeGreaterThanOrEqual(Math.ceil(MESSAGES * 0.999));
		expect(report.reportedSentButNotDelivered).toBe(0);
		// A message can go out twice only if one of its requests was answered by a drop, a timeout or a 500
		// after the gateway had accepted it; the retry-safe kinds (429, 502, 503, refuse) never cause one.
		expect(report.duplicatesWithoutAmbiguousFault).toBe(0);
		for (const { copies, ambiguous } of copiesAndAmbiguousFaults(ctx.sandbox, MESSAGES)) {
			expect(copies).toBeLessThanOrEqual(1 + ambiguous);
		}
		// The sent item reports the delivery the gateway confirmed, not one whose reply was lost.
		const acceptedIds = new Set(ctx.sandbox.accepted.map((a) => a.id));
		for (const item of result.items.filter((i) => i.json.error === undefined)) {
			expect(acceptedIds.has(String(item.json.eventId))).toBe(true);
		}
	});
});

describe('focused fault behaviour', () => {
	test('Retry-After is honoured even with a 1 ms base delay', async () => {
		const faults = {
			rate: 0.5,
			kinds: { '429': 1 },
			retryAfterSeconds: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		};
		ctx.sandbox.faults.configure({ ...faults, seed: seedWhere(faults, ['429', undefined]) });
		const result = await campaign(1, { retryBaseDelayMs: 1, maxAttempts: 3 });

		expect(result.items.map((i) => [i.json.status, i.json.attempts])).toEqual([['accepted', 2]]);
		const [first, second] = ctx.sandbox.requestsTo('profilora', CAMPAIGN_PATH);
		expect([first.status, second.status]).toEqual([429, 200]);
		// The retry waited for Retry-After (1 s), not for the 1 ms backoff. A lower bound only: noise can only add.
		expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(1000);
	});

	test('the breaker stops after N consecutive failures; the rest are "not sent" with 0 attempts', async () => {
		ctx.sandbox.faults.configure({
			rate: 1,
			kinds: { '503': 1 },
			seed: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		});
		const result = await campaign(10, {
			retryBaseDelayMs: 1,
			maxAttempts: 2,
			stopAfterConsecutiveFailures: 3,
		});

		expect(result.error).toBeUndefined();
		expectOneOutputPerInput(result.items, 10);
		expect(
			result.items.slice(0, 3).map((i) => [i.json.statusCode, i.json.attempts, i.json.notSent]),
		).toEqual([
			[503, 2, undefined],
			[503, 2, undefined],
			[503, 2, undefined],
		]);
		for (const item of result.items.slice(3)) {
			expect(item.json).toMatchObject({
				attempts: 0,
				notSent: true,
				to: expect.stringMatching(/@s\.whatsapp\.net$/),
			});
			expect(item.json.error).toMatch(
				/^Not sent: stopped after 3 consecutive failures \(last: Profilora rejected the request \(HTTP 503\)/,
			);
		}
		// 3 messages × 2 attempts reached the gateway; nothing after the breaker tripped.
		expect(ctx.sandbox.requestsTo('profilora', CAMPAIGN_PATH)).toHaveLength(6);
	});

	test('a success resets the breaker count', async () => {
		const faults = { rate: 0.5, kinds: { '503': 1 }, pathPattern: `^${CAMPAIGN_PATH}$` };
		ctx.sandbox.faults.configure({
			...faults,
			seed: seedWhere(faults, ['503', '503', undefined, '503', '503', undefined]),
		});
		const result = await campaign(6, { maxAttempts: 1, stopAfterConsecutiveFailures: 3 });
		// Four failures, but never three in a row: everything was attempted.
		expect(result.items.map((i) => i.json.statusCode ?? i.json.status)).toEqual([
			503,
			503,
			'accepted',
			503,
			503,
			'accepted',
		]);
		expect(result.items.some((i) => i.json.notSent)).toBe(false);
	});

	test('concurrency 4 keeps the shared pace: one start per slot, at most 4 in flight', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const server = (ctx.sandbox as unknown as { server: import('node:http').Server }).server;
		const track = (
			req: import('node:http').IncomingMessage,
			res: import('node:http').ServerResponse,
		) => {
			if (!req.url?.endsWith(CAMPAIGN_PATH)) return;
			maxInFlight = Math.max(maxInFlight, ++inFlight);
			res.on('close', () => inFlight--);
		};
		server.on('request', track);
		// Every request takes 400 ms and slots are 200 ms apart, so two workers overlap while starts stay paced.
		ctx.sandbox.faults.configure({
			rate: 1,
			kinds: { latency: 1 },
			latencyMs: 400,
			seed: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		});
		const started = Date.now();
		const result = await campaign(6, { concurrency: 4, messagesPerMinute: 300 });
		const elapsed = Date.now() - started;
		server.off('request', track);

		expect(result.items.map((i) => i.json.status)).toEqual(new Array(6).fill('accepted'));
		expect(maxInFlight).toBeGreaterThan(1);
		expect(maxInFlight).toBeLessThanOrEqual(4);
		// Paced, the 6th start comes 5 × 200 ms after the first and then takes 400 ms: at least 1,400 ms.
		// Four unpaced workers would be done in two rounds of 400 ms. (A lower bound: noise only adds.)
		expect(elapsed).toBeGreaterThanOrEqual(1400);
	});

	test('classification through the real HTTP stack: refused connections are retried, resets only on opt-in', async () => {
		const closed = {
			profiloraApi: {
				...profiloraCredentials(ctx.sandbox).profiloraApi,
				baseUrl: 'http://127.0.0.1:1/profilora',
			},
		};
		const refused = await campaign(
			1,
			{ retryBaseDelayMs: 1, maxAttempts: 3 },
			{ credentials: closed },
		);
		expect(refused.items[0].json).toMatchObject({
			attempts: 3,
			error: 'Profilora could not be reached (connection refused)',
		});

		ctx.sandbox.faults.configure({
			rate: 1,
			kinds: { drop: 1 },
			seed: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		});
		const dropped = await campaign(1, { retryBaseDelayMs: 1, maxAttempts: 3 });
		expect(dropped.items[0].json).toMatchObject({
			attempts: 1,
			error: 'Profilora dropped the connection (connection reset)',
		});
		// The drop came after the gateway had accepted it: this is exactly the message a retry would duplicate.
		expect(ctx.sandbox.accepted).toHaveLength(1);

		ctx.sandbox.reset();
		ctx.sandbox.faults.configure({
			rate: 1,
			kinds: { timeout: 1 },
			holdMs: 1000,
			seed: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		});
		const optedIn = await campaign(1, {
			retryBaseDelayMs: 1,
			maxAttempts: 2,
			timeoutMs: 100,
			retryAmbiguous: true,
		});
		expect(optedIn.items[0].json).toMatchObject({
			attempts: 2,
			error: 'Profilora did not answer in time (no answer within the timeout)',
		});
		expect(ctx.sandbox.accepted).toHaveLength(2);
	});

	test("n8n's own Retry On Fail re-runs the node, but items that already went out are not sent again", async () => {
		// A failure at item 2 makes n8n run the whole node again; the run's ledger (the execution's node context)
		// returns items 0 and 1 as already sent, and only item 2 onwards reaches the gateway on the second run.
		const faults = { rate: 0.5, kinds: { '503': 1 }, pathPattern: `^${CAMPAIGN_PATH}$` };
		ctx.sandbox.faults.configure({
			...faults,
			seed: seedWhere(faults, [
				undefined,
				undefined,
				'503',
				undefined,
				undefined,
				undefined,
				undefined,
				undefined,
			]),
		});
		const result = await campaign(
			5,
			{ maxAttempts: 1 },
			{
				continueOnFail: false,
				nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
			},
		);

		expect(result.error).toBeUndefined();
		const fate = copiesAndAmbiguousFaults(ctx.sandbox, 5).map((f) => f.copies);
		expect(fate).toEqual([1, 1, 1, 1, 1]);
		expect(result.items.map((item) => item.json.alreadySent ?? false)).toEqual([
			true,
			true,
			false,
			false,
			false,
		]);
		expect(result.items.map((item) => item.json.status)).toEqual(Array(5).fill('accepted'));
	});

	test('Retry On Fail does not resend a message whose delivery was uncertain, unless the user opted in', async () => {
		const faults = { rate: 1, kinds: { drop: 1 }, seed: 1, pathPattern: `^${CAMPAIGN_PATH}$` };
		ctx.sandbox.faults.configure(faults);
		const result = await campaign(
			1,
			{ maxAttempts: 1 },
			{
				continueOnFail: false,
				nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 },
			},
		);
		expect(result.error?.message).toMatch(
			/^Not sent again: an earlier run of this node may already have delivered it/,
		);
		// The drop came after the gateway accepted the message: one copy, and n8n's two re-runs added none.
		expect(ctx.sandbox.accepted).toHaveLength(1);
	});
});

describe('one message (stages/sendSingle.ts) ends as the same message inside the paced loop', () => {
	const faults = {
		rate: 0.5,
		kinds: { '503': 1, timeout: 1, refuse: 1 },
		retryAfterSeconds: 0,
		holdMs: 2500,
		pathPattern: `^${CAMPAIGN_PATH}$`,
	};
	/** What a line says, without what differs from run to run (ids, times). */
	const line = (item: INodeExecutionData) => ({
		status: item.json.status,
		attempts: item.json.attempts,
		error: item.json.error,
		notSent: item.json.notSent,
	});

	test.each([
		['accepted at once', [undefined]],
		['a 503, then accepted', ['503', undefined]],
		['two 503s, then accepted', ['503', '503', undefined]],
		['refused by the gateway: not retried', ['refuse']],
		['a timeout: uncertain, not retried', ['timeout']],
	])('%s', async (_, pattern) => {
		const seed = seedWhere(faults, pattern as Array<string | undefined>);
		const options = { ...FAST, maxAttempts: 3 };

		ctx.sandbox.faults.configure({ ...faults, seed });
		const alone = await campaign(1, options);
		const acceptedAlone = ctx.sandbox.accepted.length;
		ctx.sandbox.reset();

		// The same first message, now the first of two in the loop (concurrency 1: it meets the same faults).
		ctx.sandbox.faults.configure({ ...faults, seed });
		const inLoop = await campaign(2, { ...options, concurrency: 1 });
		const acceptedFirst = ctx.sandbox.accepted.filter(
			(a) => a.content === campaignItems(1)[0].json.text,
		).length;

		expect(alone.items).toHaveLength(1);
		expect(line(alone.items[0])).toEqual(line(inLoop.items[0]));
		expect(acceptedAlone).toBe(acceptedFirst);
		expect(alone.items[0].json.attempts).toBe(pattern.length);
	});
});
