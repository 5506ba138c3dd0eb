/**
 * Status batching (Options › Status Batch Window): statuses posted at once start one execution per batch, each
 * webhook is answered only once its batch's execution exists, and a batch whose leader lost its connection answers
 * 503 to everyone else (a resend then is a duplicate, never a status lost after a 200). Through n8n-core's
 * WebhookContext and WorkflowExecute over loopback HTTP (endpoint.ts).
 */
import type { INodeParameters } from 'n8n-workflow';

import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { forgetOpenBatches, openBatchSizes } from '../../nodes/shared/webhook/batch';
import { TriggerEndpoint } from './endpoint';

const status = (n: number, value = 'delivered') => ({
	id: `wamid.batch-${n}`,
	status: value,
	timestamp: '1692947519',
});

async function post(url: string, body: unknown, signal?: AbortSignal) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal,
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const endpoints: TriggerEndpoint[] = [];
async function sobotEndpoint(
	options: INodeParameters,
	events = 'status',
	typeVersion?: number,
): Promise<TriggerEndpoint> {
	const endpoint = await new TriggerEndpoint({
		node: new SobotTrigger(),
		typeVersion,
		parameters: { events, options },
	}).start();
	endpoints.push(endpoint);
	return endpoint;
}

afterEach(async () => {
	await Promise.all(endpoints.splice(0).map(async (endpoint) => await endpoint.stop()));
	forgetOpenBatches();
});

/** Waits (by condition, not time) until the open batch holds `size` statuses. */
async function untilBatchHolds(size: number): Promise<void> {
	while (!openBatchSizes().some((held) => held >= size))
		await new Promise((resolve) => setImmediate(resolve));
}

const messageIdsOf = (endpoint: TriggerEndpoint) =>
	endpoint.executions.map((run) => run.map((item) => item.json.messageId as string));

describe('Status batching', () => {
	it('starts one execution for statuses posted at once, answering each 200 once it exists', async () => {
		// The batch closes when full: deterministic however slowly the posts arrive within the window.
		const endpoint = await sobotEndpoint({ statusBatchSeconds: 10, statusBatchMax: 20 });
		const answers = await Promise.all(
			Array.from({ length: 20 }, async (_, n) => await post(endpoint.url, status(n))),
		);
		await endpoint.idle();
		expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
		expect(answers.every((answer) => answer.body.started === true && answer.body.batched)).toBe(
			true,
		);
		expect(endpoint.started).toBe(1);
		const [run] = messageIdsOf(endpoint);
		expect([...run].sort()).toEqual(
			Array.from({ length: 20 }, (_, n) => `wamid.batch-${n}`).sort(),
		);
		expect(endpoint.executions[0].map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 20 }, (_, item) => ({ item })),
		);
	});

	it('closes a batch at Max Statuses per Batch and opens the next', async () => {
		const endpoint = await sobotEndpoint({ statusBatchSeconds: 10, statusBatchMax: 10 });
		const answers = await Promise.all(
			Array.from({ length: 30 }, async (_, n) => await post(endpoint.url, status(n))),
		);
		await endpoint.idle();
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
		expect(messageIdsOf(endpoint).map((run) => run.length)).toEqual([10, 10, 10]);
		expect(new Set(messageIdsOf(endpoint).flat()).size).toBe(30);
	});

	it('drops a repeat inside the batch and one that arrives after it', async () => {
		const endpoint = await sobotEndpoint({ statusBatchSeconds: 10, statusBatchMax: 3 });
		await Promise.all([
			post(endpoint.url, status(1)),
			post(endpoint.url, status(1)),
			post(endpoint.url, status(2)),
		]);
		await endpoint.idle();
		const again = await post(endpoint.url, status(2));
		await endpoint.idle();
		expect([again.status, again.body.reason]).toEqual([200, 'duplicate']);
		expect(messageIdsOf(endpoint).flat().sort()).toEqual(['wamid.batch-1', 'wamid.batch-2']);
	});

	it("answers 503 to the rest when the leader's connection is gone, and their resend is a duplicate", async () => {
		const endpoint = await sobotEndpoint({ statusBatchSeconds: 10, statusBatchMax: 100 });
		const leaderGone = new AbortController();
		const leader = post(endpoint.url, status(0), leaderGone.signal).catch(() => 'aborted');
		await untilBatchHolds(1);
		const followers = Array.from(
			{ length: 4 },
			async (_, n) => await post(endpoint.url, status(n + 1)),
		);
		await untilBatchHolds(5);
		leaderGone.abort();
		expect(await leader).toBe('aborted');
		const answers = await Promise.all(followers);
		expect(answers.map((answer) => answer.status)).toEqual([503, 503, 503, 503]);
		expect(String(answers[0].body.message)).toMatch(/send it again/);
		// The leader's webhook() still returns the batch, so the execution does start here.
		while (endpoint.started === 0) await new Promise((resolve) => setImmediate(resolve));
		await endpoint.idle();
		// The statuses are in it once, and the gateway's resends are dropped as duplicates: the statuses are in it once, and the gateway's resend is dropped.
		const resent = await Promise.all(
			Array.from({ length: 4 }, async (_, n) => await post(endpoint.url, status(n + 1))),
		);
		await endpoint.idle();
		expect(resent.map((answer) => [answer.status, answer.body.reason])).toEqual(
			Array(4).fill([200, 'duplicate']),
		);
		expect(messageIdsOf(endpoint).flat().sort()).toEqual(
			Array.from({ length: 5 }, (_, n) => `wamid.batch-${n}`),
		);
	});

	it('falls back to the default window when the option is not a number (an expression gone wrong)', async () => {
		// NaN as a window once held a batch until it was full; the default (1 s) closes it.
		const endpoint = await sobotEndpoint({ statusBatchSeconds: 'soon', statusBatchMax: 'many' });
		const answer = await post(endpoint.url, status(1));
		await endpoint.idle();
		expect([answer.status, answer.body.batched, answer.body.batch]).toEqual([200, true, 1]);
		expect(messageIdsOf(endpoint)).toEqual([['wamid.batch-1']]);
	});

	it('is off at version 2, on (1 s) by default from version 3, and never batches messages', async () => {
		const v2 = await sobotEndpoint({}, 'status', 2);
		await Promise.all(Array.from({ length: 5 }, async (_, n) => await post(v2.url, status(n))));
		await v2.idle();
		expect(v2.started).toBe(5);
		const v3 = await sobotEndpoint({});
		const answers = await Promise.all(
			Array.from({ length: 5 }, async (_, n) => await post(v3.url, status(n))),
		);
		await v3.idle();
		expect(answers.every((answer) => answer.status === 200 && answer.body.batched)).toBe(true);
		expect(messageIdsOf(v3).flat()).toHaveLength(5);
		const off = await sobotEndpoint({ statusBatchSeconds: 0 });
		await post(off.url, status(9));
		await off.idle();
		expect(off.started).toBe(1);
		expect(off.handled[0].response).not.toHaveProperty('batched');
		const messages = await sobotEndpoint({ statusBatchSeconds: 10, statusBatchMax: 2 }, 'all');
		const incoming = (n: number) => [
			{
				field: 'messages',
				value: {
					messaging_product: 'whatsapp',
					metadata: { display_phone_number: '919000000000' },
					contacts: [{ profile: { name: 'Priya' }, wa_id: '919812345678' }],
					messages: [
						{
							from: '919812345678',
							id: `wamid.in-${n}`,
							timestamp: '1692947519',
							type: 'text',
							text: { body: `hello ${n}` },
						},
					],
				},
			},
		];
		await Promise.all([post(messages.url, incoming(1)), post(messages.url, incoming(2))]);
		await messages.idle();
		expect(messages.started).toBe(2);
	});
});
