/**
 * The durable send record (Resume Key, a campaign's Campaign ID) through n8n-core's engine against the sandbox.
 * n8n's processed-data store is the harness's stand-in, shared between runs as n8n's database is between
 * executions; that it really survives a crash of n8n is proven in a real n8n by e2e/checks/resume.ts.
 */
import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { attemptBatchSize } from '../../nodes/shared/sending/sendRecord';
import { DEFAULT_SENDING_OPTIONS } from '../../nodes/shared/sending/options';
import { runNode } from '../harness/engine';
import type { RunNodeOptions } from '../harness/engine';
import { ProcessedDataStore } from '../harness/processedData';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { runSobot } from '../sobot/helpers';
import {
	CAMPAIGN_PATH,
	campaignItems,
	campaignSendTextParameters,
	copiesAndAmbiguousFaults,
} from './campaign';

const ctx = useSandbox();

function send(
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

const accepted = (messages: number) =>
	copiesAndAmbiguousFaults(ctx.sandbox, messages).map((fate) => fate.copies);

describe('Resume Key', () => {
	it('a second run under the same key sends nothing again: one "already sent" item per input, pairedItem kept', async () => {
		const store = new ProcessedDataStore();
		const first = await send(6, { resumeKey: 'promo-1' }, { processedData: store });
		expect(first.items.map((item) => item.json.status)).toEqual(Array(6).fill('accepted'));

		const second = await send(6, { resumeKey: 'promo-1' }, { processedData: store });
		expect(second.error).toBeUndefined();
		expect(second.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4, 5].map((item) => ({ item })),
		);
		expect(second.items[2].json).toEqual({
			status: 'already sent',
			alreadySent: true,
			resumeKey: 'promo-1',
			sender: '6281100000001@s.whatsapp.net',
			to: '628120000002@s.whatsapp.net',
			attempts: 0,
		});
		expect(accepted(6)).toEqual(Array(6).fill(1));
	});

	it('a new key, or Start Over With This Key, sends to everyone again; no key keeps no record', async () => {
		const store = new ProcessedDataStore();
		await send(3, { resumeKey: 'a' }, { processedData: store });
		await send(3, { resumeKey: 'b' }, { processedData: store });
		expect(accepted(3)).toEqual([2, 2, 2]);
		const again = await send(
			3,
			{ resumeKey: 'a', resumeStartOver: true },
			{ processedData: store },
		);
		expect(again.items.map((item) => item.json.status)).toEqual([
			'accepted',
			'accepted',
			'accepted',
		]);
		expect(accepted(3)).toEqual([3, 3, 3]);
		const calls = store.calls.length;
		await send(3, {}, { processedData: store });
		expect(store.calls).toHaveLength(calls);
	});

	it('a changed message to the same recipient is a new message; only the rest are skipped', async () => {
		const store = new ProcessedDataStore();
		await send(3, { resumeKey: 'k' }, { processedData: store });
		const items = campaignItems(3);
		items[1].json.text = 'A different text';
		const second = await send(3, { resumeKey: 'k' }, { processedData: store, items });
		expect(second.items.map((item) => item.json.status)).toEqual([
			'already sent',
			'accepted',
			'already sent',
		]);
	});

	it('a message left in flight (no answer) is reported uncertain on the next run, and sent only when the user allows it', async () => {
		const store = new ProcessedDataStore();
		const first = await send(2, { resumeKey: 'inflight' }, { processedData: store });
		expect(first.items.map((item) => item.json.status)).toEqual(['accepted', 'accepted']);
		// Item 2's reply is held past the client timeout: the gateway accepts it, the node cannot know.
		ctx.sandbox.faults.configure({
			rate: 1,
			kinds: { timeout: 1 },
			holdMs: 600,
			seed: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		});
		const second = await send(
			3,
			{ resumeKey: 'inflight', timeoutMs: 300, maxAttempts: 1 },
			{ processedData: store },
		);
		expect(second.items[2].json).toMatchObject({
			attempts: 1,
			error: expect.stringContaining('did not answer in time'),
		});
		ctx.sandbox.faults.configure({ rate: 0, seed: 1 });

		const third = await send(3, { resumeKey: 'inflight' }, { processedData: store });
		expect(third.items.map((item) => item.json.status ?? 'error')).toEqual([
			'already sent',
			'already sent',
			'error',
		]);
		expect(third.items[2].json).toMatchObject({ notSent: true, uncertain: true, attempts: 0 });
		expect(String(third.items[2].json.error)).toMatch(
			/^Not sent again: it was in flight when an earlier run under resume key "inflight" ended/,
		);

		const fourth = await send(
			3,
			{ resumeKey: 'inflight', retryAmbiguous: true },
			{ processedData: store },
		);
		expect(fourth.items.map((item) => item.json.status)).toEqual([
			'already sent',
			'already sent',
			'accepted',
		]);
	});

	it('without Continue On Fail an uncertain message stops the node before anything is sent', async () => {
		const store = new ProcessedDataStore();
		ctx.sandbox.faults.configure({
			rate: 1,
			kinds: { timeout: 1 },
			holdMs: 600,
			seed: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		});
		await send(
			1,
			{ resumeKey: 'strict', timeoutMs: 300, maxAttempts: 1 },
			{ processedData: store },
		);
		ctx.sandbox.faults.configure({ rate: 0, seed: 1 });
		const before = ctx.sandbox.requests.length;
		const run = await send(
			3,
			{ resumeKey: 'strict' },
			{ processedData: store, continueOnFail: false },
		);
		expect(run.error?.message).toMatch(/^Not sent again/);
		expect(ctx.sandbox.requests.length).toBe(before);
	});

	it('a message refused by the gateway is not recorded: the next run tries it again', async () => {
		const store = new ProcessedDataStore();
		// A 503 means the gateway did not take the message.
		ctx.sandbox.faults.configure({
			rate: 1,
			kinds: { '503': 1 },
			seed: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		});
		const first = await send(1, { resumeKey: 'refused', maxAttempts: 1 }, { processedData: store });
		expect(first.items[0].json).toMatchObject({ statusCode: 503, attempts: 1 });
		ctx.sandbox.faults.configure({ rate: 0, seed: 1 });
		const second = await send(2, { resumeKey: 'refused' }, { processedData: store });
		expect(second.items.map((item) => item.json.status)).toEqual(['accepted', 'accepted']);
		expect(accepted(2)).toEqual([1, 1]);
	});

	it('sending fast writes the record in batches; the items it marked ahead but never tried are unmarked', async () => {
		const store = new ProcessedDataStore();
		await send(100, { resumeKey: 'fast' }, { processedData: store });
		const writes = store.calls.filter((call) => call.method === 'checkProcessedAndRecord');
		// One probe when the run opens, then one write per batch of 100 (its `attempted`, the previous `sent`), one at the end.
		expect(writes.length).toBeLessThanOrEqual(1 + 1 + 1);
		// The first message fails for sure (503) and the breaker stops the run: 29 were marked ahead, none tried.
		ctx.sandbox.faults.configure({
			rate: 1,
			kinds: { '503': 1 },
			seed: 1,
			pathPattern: `^${CAMPAIGN_PATH}$`,
		});
		const stopped = await send(
			30,
			{ resumeKey: 'breaker', stopAfterConsecutiveFailures: 1, maxAttempts: 1 },
			{ processedData: store },
		);
		ctx.sandbox.faults.configure({ rate: 0, seed: 1 });
		expect(stopped.items.filter((item) => item.json.notSent === true)).toHaveLength(29);
		const rerun = await send(30, { resumeKey: 'breaker' }, { processedData: store });
		expect(rerun.items.filter((item) => item.json.uncertain === true)).toHaveLength(0);
	});

	it('writes per message when messages are 100 ms or more apart, in batches when faster', () => {
		const options = (extra: Partial<typeof DEFAULT_SENDING_OPTIONS>) => ({
			...DEFAULT_SENDING_OPTIONS,
			...extra,
		});
		expect(attemptBatchSize(options({ delay: { mode: 'random', minMs: 3000, maxMs: 8000 } }))).toBe(
			1,
		);
		expect(attemptBatchSize(options({ messagesPerMinute: 60 }))).toBe(1);
		expect(attemptBatchSize(options({ delay: { mode: 'fixed', ms: 100 } }))).toBe(1);
		expect(attemptBatchSize(options({ messagesPerMinute: 6000 }))).toBe(10);
		expect(attemptBatchSize(options({}))).toBe(100);
	});

	it('refuses a Resume Key with a line break, naming the field', async () => {
		const run = await send(1, { resumeKey: 'two\nlines' }, { continueOnFail: false });
		expect(run.error?.message).toMatch(/Sending Options › Resume Key/);
	});
});

describe('Campaign ID (Sobot Campaign Send)', () => {
	const campaign = {
		template: { __rl: true, mode: 'list', value: 'order_update' },
		bodyParameters: {
			parameter: [{ text: '={{ $json.name }}' }, { text: 'A-1' }, { text: 'Friday' }],
		},
	};
	const recipients = [0, 1, 2].map((i) => ({
		json: { mobile: `91981234500${i}`, name: `Customer ${i}` },
	}));

	it('records the campaign under template + name: a second run reports "already sent", a new name sends again', async () => {
		const store = new ProcessedDataStore();
		const first = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...campaign, campaignName: 'diwali' },
			{ items: recipients, processedData: store },
		);
		expect(first.items.map((item) => [item.json.status, item.json.campaign])).toEqual(
			Array(3).fill(['sent', 'order_update/diwali']),
		);
		const second = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...campaign, campaignName: 'diwali' },
			{ items: recipients, processedData: store },
		);
		expect(second.items.map((item) => item.json.status)).toEqual([
			'already sent',
			'already sent',
			'already sent',
		]);
		expect(second.items[0].json).toMatchObject({
			to: '919812345000',
			campaign: 'order_update/diwali',
			attempts: 0,
		});
		expect(second.items[0].json.resumeKey).toBeUndefined();
		const renamed = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...campaign, campaignName: 'diwali-2' },
			{ items: recipients, processedData: store },
		);
		expect(renamed.items.map((item) => item.json.status)).toEqual(['sent', 'sent', 'sent']);
		expect(ctx.sandbox.sobot.sent.filter((m) => m.to === '919812345000')).toHaveLength(2);
	});

	it('without a Campaign Name the template name is the Campaign ID', async () => {
		const store = new ProcessedDataStore();
		const run = await runSobot(ctx.sandbox, 'campaign', 'send', campaign, {
			items: recipients.slice(0, 1),
			processedData: store,
		});
		expect(run.items[0].json.campaign).toBe('order_update');
	});
});
