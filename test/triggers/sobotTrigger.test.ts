/**
 * Sobot Trigger through n8n-core's WebhookContext, fed by the sandbox: flat status webhooks after real
 * sends through the Sobot node, and array payloads of incoming messages through the admin API.
 */
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICheckProcessedContextData, IDataObject } from 'n8n-workflow';

import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { eventKey } from '../../nodes/shared/webhook/dedupe';
import { SOBOT_BUSINESS_NUMBER } from '../../sandbox/vendors/sobot';
import { useSandbox } from '../harness/sandbox';
import { runSobot } from '../sobot/helpers';
import {
	FailingProcessedDataStore,
	ProcessedDataStore,
	RacyProcessedDataStore,
	SlowProcessedDataStore,
} from '../harness/processedData';
import { admin, AUTH_CASES, CREDENTIALS, listen, statuses } from './helpers';

const ctx = useSandbox();
const CUSTOMER = '919812345678';

async function send(to: string): Promise<string> {
	await ctx.sandbox.sobot.incoming({ from: to, name: 'Priya' });
	ctx.sandbox.webhooks.log.length = 0;
	const { items, error } = await runSobot(ctx.sandbox, 'message', 'send', {
		recipient: to,
		customerName: 'Priya',
		messageType: 'text',
		text: 'Your order has shipped',
	});
	expect(error).toBeUndefined();
	await ctx.sandbox.webhooks.idle();
	return items[0].json.messageId as string;
}

describe('Sobot Trigger: events', () => {
	it('emits sent, delivered and read for a real send, matched by wamid', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), { events: 'status' });
		const wamid = await send(CUSTOMER);
		expect(wamid).toMatch(/^wamid\./);
		expect(statuses(ctx.sandbox)).toEqual([200, 200, 200]);
		const items = endpoint.executions.map((run) => run[0].json);
		expect(items.map((item) => [item.messageId, item.status])).toEqual([
			[wamid, 'sent'],
			[wamid, 'delivered'],
			[wamid, 'read'],
		]);
		expect(items[0]).toMatchObject({ service: 'sobot', event: 'status', text: null, media: null });
		expect(items[0].timestamp).toMatch(/Z$/);
		expect(items[0].raw).toEqual(ctx.sandbox.webhooks.log[0].body);
	});

	it('reports a failed delivery (number ending in 999)', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), { events: 'status' });
		const wamid = await send('919812345999');
		expect(endpoint.executions.map((run) => [run[0].json.messageId, run[0].json.status])).toEqual([
			[wamid, 'sent'],
			[wamid, 'failed'],
		]);
	});

	it('emits an incoming text message from the array payload', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'sobot',
			from: CUSTOMER,
			name: 'Priya',
			text: 'Where is my order?',
		});
		expect(statuses(ctx.sandbox)).toEqual([200]);
		const item = endpoint.executions[0][0].json;
		expect(item).toMatchObject({
			service: 'sobot',
			event: 'message',
			status: 'received',
			from: CUSTOMER,
			to: SOBOT_BUSINESS_NUMBER,
			name: 'Priya',
			messageType: 'text',
			text: 'Where is my order?',
			media: null,
		});
		expect(item.messageId).toMatch(/^wamid\./);
		expect(Array.isArray(item.raw)).toBe(true);
	});

	it('emits one item per message when the array holds several entries with several messages', async () => {
		// The sandbox posts one message per call: the multi-message array is assembled from its own payloads.
		const capture = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			options: { dedupeWindowMinutes: 0 },
		});
		for (const [from, text] of [
			['919811111111', 'first'],
			['919811111111', 'second'],
			['919822222222', 'third'],
		]) {
			await admin(ctx.sandbox, '/incoming', {
				vendor: 'sobot',
				from,
				name: `Customer ${from}`,
				text,
			});
		}
		const [a, b, c] = capture.handled.map(
			(_, index) => (ctx.sandbox.webhooks.log[index].body as IDataObject[])[0],
		);
		const firstEntry = structuredClone(a) as { value: { messages: unknown[] } };
		firstEntry.value.messages.push((b as { value: { messages: unknown[] } }).value.messages[0]);
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await ctx.sandbox.webhooks.post('sobot', [firstEntry, c]);
		expect(endpoint.executions).toHaveLength(1);
		expect(
			endpoint.executions[0].map((item) => [item.json.from, item.json.text, item.json.name]),
		).toEqual([
			['919811111111', 'first', 'Customer 919811111111'],
			['919811111111', 'second', 'Customer 919811111111'],
			['919822222222', 'third', 'Customer 919822222222'],
		]);
	});

	it('reads media info, including a video the vendor puts under "image"', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'sobot',
			from: CUSTOMER,
			media: { type: 'video', caption: 'unboxing' },
			mediaKey: 'image',
		});
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'sobot',
			from: CUSTOMER,
			media: { type: 'document', filename: 'invoice.pdf' },
		});
		const [video, document] = endpoint.executions.map((run) => run[0].json);
		expect(video).toMatchObject({
			messageType: 'video',
			text: 'unboxing',
			media: {
				type: 'video',
				mimeType: 'video/mp4',
				caption: 'unboxing',
				url: expect.stringContaining('/sobot/media/'),
			},
		});
		expect(document).toMatchObject({
			messageType: 'document',
			media: { type: 'document', fileName: 'invoice.pdf' },
		});
		expect(video.binary).toBeUndefined();
	});
});

describe('Sobot Trigger: filter', () => {
	it('starts only for the chosen statuses and acknowledges the rest with 200', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			events: 'status',
			statuses: ['failed'],
		});
		await send('919812345999');
		await admin(ctx.sandbox, '/incoming', { vendor: 'sobot', from: CUSTOMER });
		expect(statuses(ctx.sandbox)).toEqual([200, 200, 200]);
		expect(endpoint.executions.map((run) => run[0].json.status)).toEqual(['failed']);
	});

	it('with Incoming Message only, ignores statuses', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), { events: 'message' });
		await send(CUSTOMER);
		// The customer's own message (which opens Sobot's 24-hour window) starts it; the three statuses do not.
		expect(statuses(ctx.sandbox)).toEqual([200, 200, 200]);
		expect(endpoint.executions.map((run) => run[0].json.event)).toEqual(['message']);
	});

	it('passes any other status string named in Other Statuses', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			events: 'status',
			otherStatuses: 'deleted',
		});
		await admin(ctx.sandbox, '/status', { vendor: 'sobot', id: 'wamid.X1', status: 'deleted' });
		await admin(ctx.sandbox, '/status', { vendor: 'sobot', id: 'wamid.X1', status: 'warning' });
		expect(endpoint.executions.map((run) => run[0].json.status)).toEqual(['deleted']);
	});
});

describe('Sobot Trigger: protection', () => {
	it.each(AUTH_CASES)(
		'$mode: right secret starts, wrong or missing secret gets 401',
		async ({ mode, good, bad }) => {
			const endpoint = await listen(
				ctx.sandbox,
				'sobot',
				new SobotTrigger(),
				{ authentication: mode },
				{
					credentials: CREDENTIALS[mode],
					...good,
				},
			);
			await admin(ctx.sandbox, '/incoming', { vendor: 'sobot', from: CUSTOMER });
			const base = endpoint.url.replace(/\?.*$/, '');
			ctx.sandbox.webhooks.targets.sobot = { url: base + (bad.query ?? ''), headers: bad.headers };
			await admin(ctx.sandbox, '/incoming', { vendor: 'sobot', from: CUSTOMER });
			ctx.sandbox.webhooks.targets.sobot = { url: base };
			await admin(ctx.sandbox, '/incoming', { vendor: 'sobot', from: CUSTOMER });
			expect(statuses(ctx.sandbox)).toEqual([200, 401, 401]);
			expect(endpoint.executions).toHaveLength(1);
		},
	);

	it.each([
		['not JSON', 'garbage', 'text/plain', 400],
		[
			'an object that is neither a status nor a change',
			'{"hello":"world"}',
			'application/json',
			400,
		],
		['an array of strings', '["messages"]', 'application/json', 400],
		['a change without value', '[{"field":"messages"}]', 'application/json', 400],
		[
			'messages that are not a list',
			'[{"field":"messages","value":{"messages":{}}}]',
			'application/json',
			400,
		],
		['a status without status', '{"id":"wamid.1","status":null}', 'application/json', 400],
		['broken JSON (n8n answers 422)', '[{"field":', 'application/json', 422],
	])('refuses %s and starts nothing', async (_what, payload, contentType, status) => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await ctx.sandbox.webhooks.postRaw('sobot', payload, { contentType });
		expect(statuses(ctx.sandbox)).toEqual([status]);
		expect(endpoint.executions).toHaveLength(0);
	});

	it('acknowledges an empty array or a non-message change with 200 and starts nothing', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await ctx.sandbox.webhooks.post('sobot', []);
		await ctx.sandbox.webhooks.post('sobot', [
			{ field: 'account_update', value: { event: 'VERIFIED' } },
		]);
		expect(statuses(ctx.sandbox)).toEqual([200, 200]);
		expect(endpoint.handled.map((h) => h.response)).toEqual(
			Array(2).fill({ received: true, started: false, reason: 'no events', events: 0 }),
		);
	});

	it("answers 413 above Sobot's documented 3 MB and accepts a body just under it", async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'sobot',
			from: CUSTOMER,
			text: 'x'.repeat(3 * 1024 * 1024),
		});
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'sobot',
			from: CUSTOMER,
			text: 'x'.repeat(3 * 1024 * 1024 - 1000),
		});
		expect(statuses(ctx.sandbox)).toEqual([413, 200]);
		expect(endpoint.executions).toHaveLength(1);
	});

	it('answers a wrong method with 405', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await ctx.sandbox.webhooks.postRaw('sobot', '', { method: 'GET' });
		await ctx.sandbox.webhooks.postRaw('sobot', '[]', { method: 'PUT' });
		expect(statuses(ctx.sandbox)).toEqual([405, 405]);
		expect(endpoint.executions).toHaveLength(0);
	});

	it('drops a repeated status and a repeated message, remembered in static data', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await admin(ctx.sandbox, '/status', { vendor: 'sobot', id: 'wamid.D1', status: 'delivered' });
		await admin(ctx.sandbox, '/status', { vendor: 'sobot', id: 'wamid.D1', status: 'delivered' });
		await admin(ctx.sandbox, '/status', { vendor: 'sobot', id: 'wamid.D1', status: 'read' });
		await admin(ctx.sandbox, '/incoming', { vendor: 'sobot', from: CUSTOMER, text: 'hi' });
		await ctx.sandbox.webhooks.post('sobot', ctx.sandbox.webhooks.log[3].body);
		expect(statuses(ctx.sandbox)).toEqual([200, 200, 200, 200, 200]);
		expect(endpoint.executions.map((run) => run[0].json.status)).toEqual([
			'delivered',
			'read',
			'received',
		]);
		expect(endpoint.handled[4].response).toMatchObject({ reason: 'duplicate' });
	});

	it("keeps every record when executions overlap: calls to n8n's store are queued, so no write is lost", async () => {
		// A store that, like n8n's, reads its row, awaits, and writes its copy back: overlapping calls lose writes.
		const endpoint = await listen(
			ctx.sandbox,
			'sobot',
			new SobotTrigger(),
			{},
			// Version 2: one execution per webhook, so that the executions overlap (version 3 would batch them).
			{ processedData: new RacyProcessedDataStore(), typeVersion: 2 },
		);
		const statuses = Array.from({ length: 20 }, (_, i) =>
			ctx.sandbox.sobot.statusPayload(`wamid.RACE${i}`, 'delivered'),
		);
		await Promise.all(
			statuses.map(async (status) => await ctx.sandbox.webhooks.post('sobot', status)),
		);
		await waitUntil(() => endpoint.handled.filter((h) => h.items !== undefined).length === 20);
		endpoint.restart(); // only the store can know them now
		for (const status of statuses) await ctx.sandbox.webhooks.post('sobot', status);
		await waitUntil(() => endpoint.handled.filter((h) => h.items !== undefined).length === 40);
		expect(endpoint.executions).toHaveLength(20);
		expect(new Set(endpoint.executions.map((run) => run[0].json.messageId)).size).toBe(20);
	});

	it("merges the store calls of executions that run at once: a burst costs a few of n8n's store writes, not two per event", async () => {
		const endpoint = await listen(
			ctx.sandbox,
			'sobot',
			new SobotTrigger(),
			{},
			// Version 2: one execution per webhook, so that the executions run at once (version 3 would batch them).
			{ processedData: new SlowProcessedDataStore(), typeVersion: 2 },
		);
		const statuses = Array.from({ length: 30 }, (_, i) =>
			ctx.sandbox.sobot.statusPayload(`wamid.BURST${i}`, 'delivered'),
		);
		await Promise.all(
			statuses.map(async (status) => await ctx.sandbox.webhooks.post('sobot', status)),
		);
		await waitUntil(() => endpoint.handled.filter((h) => h.items !== undefined).length === 30);
		expect(endpoint.executions).toHaveLength(30);
		const [row] = [...endpoint.processedData.rows.values()];
		expect(row).toHaveLength(30);
		// Unmerged, each execution makes two calls (record, then the second look): 60.
		const writes = endpoint.processedData.calls.filter(
			(call) => call.method === 'checkProcessedAndRecord',
		);
		expect(writes.length).toBeLessThan(60);
		expect(writes.some((call) => call.items > 1)).toBe(true);
		// And the same burst again: every copy is dropped, by webhook() or by the store.
		await Promise.all(
			statuses.map(async (status) => await ctx.sandbox.webhooks.post('sobot', status)),
		);
		await waitUntil(
			() => endpoint.handled.length === 60 && endpoint.handled.every((h) => h.status > 0),
		);
		expect(endpoint.executions).toHaveLength(30);
	});

	it("loses no event when n8n's store fails after recording it: the second look's failure leaves the first answer", async () => {
		// Call 1 records the event; every later call (the second look) fails. Had the execution failed, the event
		// would be gone from it and "processed" for any later copy.
		const endpoint = await listen(
			ctx.sandbox,
			'sobot',
			new SobotTrigger(),
			{},
			{ processedData: new FailingProcessedDataStore((call) => call > 1) },
		);
		await ctx.sandbox.webhooks.post(
			'sobot',
			ctx.sandbox.sobot.statusPayload('wamid.FLAKY1', 'read'),
		);
		expect(endpoint.executions.map((run) => run.map((item) => item.json.messageId))).toEqual([
			['wamid.FLAKY1'],
		]);
		const [row] = [...endpoint.processedData.rows.values()];
		expect(row).toHaveLength(1);
	});

	it("lets events through when n8n's store does not answer at all (a duplicate can be told apart, a lost status cannot)", async () => {
		const endpoint = await listen(
			ctx.sandbox,
			'sobot',
			new SobotTrigger(),
			{},
			{ processedData: new FailingProcessedDataStore(() => true) },
		);
		const status = ctx.sandbox.sobot.statusPayload('wamid.DOWN1', 'delivered');
		await ctx.sandbox.webhooks.post('sobot', status);
		endpoint.restart(); // the process forgets; only the (failing) store could know
		await ctx.sandbox.webhooks.post('sobot', status);
		expect(endpoint.executions.map((run) => run.map((item) => item.json.messageId))).toEqual([
			['wamid.DOWN1'],
			['wamid.DOWN1'],
		]);
		expect(
			endpoint.processedData.calls.filter((c) => c.method === 'checkProcessedAndRecord'),
		).toHaveLength(0);
	});

	describe('on a queue-mode worker (the execution runs in a process that did not take the webhook)', () => {
		it('records a claim after the event, after a pause; in regular mode there is neither', async () => {
			const regular = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
			await ctx.sandbox.webhooks.post(
				'sobot',
				ctx.sandbox.sobot.statusPayload('wamid.CLAIM1', 'read'),
			);
			expect([...regular.processedData.rows.values()][0]).toHaveLength(1);

			const worker = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {}, { onWorker: true });
			await ctx.sandbox.webhooks.post(
				'sobot',
				ctx.sandbox.sobot.statusPayload('wamid.CLAIM1', 'read'),
			);
			expect(worker.executions).toHaveLength(1);
			expect([...worker.processedData.rows.values()][0]).toHaveLength(2); // the event and its claim
		});

		it('drops the copy whose claim another worker made first, although the store had not kept the event', async () => {
			const status = ctx.sandbox.sobot.statusPayload('wamid.CLAIM2', 'delivered');
			const regular = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
			await ctx.sandbox.webhooks.post('sobot', status);
			const key = eventKey(regular.executions[0][0].json)!;

			// The other worker's copy: both read the row before either wrote it, and the other wrote last, so this
			// one's record of the event was lost, but that worker's claim made it in.
			const store = new ProcessedDataStore();
			const worker = await listen(
				ctx.sandbox,
				'sobot',
				new SobotTrigger(),
				{},
				{ onWorker: true, processedData: store },
			);
			await store.checkProcessedAndRecord(
				[`${key}!`],
				'node',
				{
					workflow: { id: 'trigger-test-workflow' },
					node: { id: 'trigger-under-test' },
				} as unknown as ICheckProcessedContextData,
				{ mode: 'entries', maxEntries: 2000 },
			);
			await ctx.sandbox.webhooks.post('sobot', status);
			expect(worker.started).toBe(1);
			expect(worker.executions).toHaveLength(0);
		});
	});

	it('drops only the repeated messages of an array that mixes new and seen ones', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await admin(ctx.sandbox, '/incoming', { vendor: 'sobot', from: CUSTOMER, text: 'one' });
		const seen = (
			ctx.sandbox.webhooks.log[0].body as Array<{ value: { messages: IDataObject[] } }>
		)[0];
		const mixed = structuredClone(seen);
		mixed.value.messages.push({
			...seen.value.messages[0],
			id: 'wamid.NEW',
			text: { body: 'two' },
		});
		await ctx.sandbox.webhooks.post('sobot', [mixed]);
		expect(endpoint.executions.map((run) => run.map((item) => item.json.text))).toEqual([
			['one'],
			['two'],
		]);
	});
});

describe('Sobot Trigger: media download', () => {
	const bytes = Buffer.from('%PDF-1.4 sandbox invoice '.repeat(200));
	const loopback = {
		downloadMedia: true,
		mediaOptions: { allowedHosts: '127.0.0.1', allowHttp: true },
	};

	async function incomingDocument(extra: IDataObject = {}) {
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'sobot',
			from: CUSTOMER,
			media: {
				type: 'document',
				filename: 'invoice.pdf',
				mime_type: 'application/pdf',
				data: bytes.toString('base64'),
				...extra,
			},
		});
	}

	it('downloads into the binary field when the loopback address is explicitly allowed', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			...loopback,
			binaryPropertyName: 'file',
		});
		await incomingDocument();
		const [item] = endpoint.executions[0];
		expect(item.json.media).toMatchObject({
			type: 'document',
			fileName: 'invoice.pdf',
			binaryProperty: 'file',
		});
		expect(item.binary?.file).toMatchObject({
			mimeType: 'application/pdf',
			fileName: 'invoice.pdf',
		});
		expect(Buffer.from(item.binary!.file.data, 'base64')).toEqual(bytes);
		expect(
			ctx.sandbox.requestsTo('sobot').filter((r) => r.path.startsWith('/media/')),
		).toHaveLength(1);
	});

	it("by default refuses the sandbox URL (http, and 127.0.0.1 is not Sobot's host) without fetching it", async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			downloadMedia: true,
		});
		await incomingDocument();
		const [item] = endpoint.executions[0];
		expect((item.json.media as IDataObject).downloadError).toBe(
			'http URLs are not downloaded (only https)',
		);
		expect(item.binary).toBeUndefined();
		expect(
			ctx.sandbox.requestsTo('sobot').filter((r) => r.path.startsWith('/media/')),
		).toHaveLength(0);
	});

	it.each([
		[
			'an internal IP literal over https',
			'https://127.0.0.1:9/secret',
			{},
			'The host 127.0.0.1 is not in the allowed media hosts',
		],
		[
			'the cloud metadata address',
			'https://169.254.169.254/latest/meta-data/',
			{},
			'The host 169.254.169.254 is not in the allowed media hosts',
		],
		[
			'a host that is not allow-listed',
			'https://cdn.example.net/file.pdf',
			{},
			'The host cdn.example.net is not in the allowed media hosts',
		],
		[
			'a look-alike of the default host',
			'https://media.sobot.in.example.net/x',
			{},
			'The host media.sobot.in.example.net is not in the allowed media hosts',
		],
		[
			'an allow-listed name that resolves to loopback',
			'http://localhost:9/x',
			{ allowedHosts: 'localhost', allowHttp: true },
			'localhost resolves to an internal address',
		],
		[
			'a URL with credentials',
			'https://user:pw@media.sobot.in/x',
			{},
			'URLs with a user name or password are not downloaded',
		],
		['a non-http scheme', 'file:///etc/passwd', {}, 'file URLs are not downloaded (only https)'],
	])(
		'refuses %s (the message still starts the workflow)',
		async (_what, url, mediaOptions, error) => {
			const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
				downloadMedia: true,
				mediaOptions,
			});
			await incomingDocument({ url });
			const [item] = endpoint.executions[0];
			expect(String((item.json.media as IDataObject).downloadError)).toContain(error);
			expect(item.binary).toBeUndefined();
		},
	);

	it('refuses a file over the size cap', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			downloadMedia: true,
			mediaOptions: { ...loopback.mediaOptions, maxSizeMb: 0.001 },
		});
		await incomingDocument();
		expect(String((endpoint.executions[0][0].json.media as IDataObject).downloadError)).toContain(
			'bytes',
		);
		expect(endpoint.executions[0][0].binary).toBeUndefined();
	});

	describe('against misbehaving media hosts', () => {
		const servers: Server[] = [];
		afterEach(async () => {
			await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
		});

		async function serve(handler: RequestListener): Promise<string> {
			const server = createServer(handler);
			servers.push(server);
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
			return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		}

		it('checks every redirect hop: a redirect to a host that is not allowed is refused', async () => {
			let fetchedTarget = false;
			const target = await serve((_req, res) => {
				fetchedTarget = true;
				res.end('internal secret');
			});
			const redirector = await serve((_req, res) => {
				res.writeHead(302, { location: target.replace('127.0.0.1', 'localhost') + '/admin' });
				res.end();
			});
			const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), loopback);
			await incomingDocument({ url: `${redirector}/file.pdf` });
			expect(String((endpoint.executions[0][0].json.media as IDataObject).downloadError)).toContain(
				'The host localhost is not in the allowed media hosts',
			);
			expect(fetchedTarget).toBe(false);
		});

		it('follows an allowed redirect', async () => {
			const target = await serve((_req, res) => {
				res.writeHead(200, { 'content-type': 'application/pdf' });
				res.end(bytes);
			});
			const redirector = await serve((_req, res) => {
				res.writeHead(301, { location: `${target}/real.pdf` });
				res.end();
			});
			const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), loopback);
			await incomingDocument({ url: `${redirector}/file.pdf` });
			expect(Buffer.from(endpoint.executions[0][0].binary!.data.data, 'base64')).toEqual(bytes);
		});

		it('gives up after the timeout', async () => {
			const slow = await serve(() => {
				// Never answers.
			});
			const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
				downloadMedia: true,
				mediaOptions: { ...loopback.mediaOptions, timeoutSeconds: 1 },
			});
			const started = Date.now();
			await incomingDocument({ url: `${slow}/never.pdf` });
			expect(Date.now() - started).toBeLessThan(5000);
			expect((endpoint.executions[0][0].json.media as IDataObject).downloadError).toEqual(
				expect.any(String),
			);
			expect(endpoint.executions[0][0].binary).toBeUndefined();
		});

		it('stops reading a body that grows past the cap without a Content-Length', async () => {
			const endless = await serve((_req, res) => {
				res.writeHead(200, { 'content-type': 'application/octet-stream' });
				const chunk = Buffer.alloc(64 * 1024, 1);
				const pump = () => {
					while (res.write(chunk)) {
						if (res.destroyed) return;
					}
					res.once('drain', pump);
				};
				res.on('close', () => res.removeAllListeners('drain'));
				pump();
			});
			const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
				downloadMedia: true,
				mediaOptions: { ...loopback.mediaOptions, maxSizeMb: 1 },
			});
			await incomingDocument({ url: `${endless}/huge.bin` });
			expect(String((endpoint.executions[0][0].json.media as IDataObject).downloadError)).toContain(
				'larger than 1048576 bytes',
			);
		});
	});
});

async function waitUntil(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
	for (const deadline = Date.now() + timeoutMs; !condition(); ) {
		if (Date.now() > deadline) throw new Error('timed out waiting for the executions');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
