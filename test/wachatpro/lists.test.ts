import type { ListShape } from '../../sandbox/vendors/wachatpro';
import { useSandbox } from '../harness/sandbox';
import { expectNoSecrets } from '../harness/secrets';
import { KEY, run } from './helpers';

const ctx = useSandbox();

const SHAPES: ListShape[] = ['array', 'data', 'named', 'dataNamed'];

describe('WAChatPro › Chat › Get Many', () => {
	test('one item per chat, newest first, with the fields the gateway sent', async () => {
		const result = await run(ctx.sandbox, 'chat', 'getAll', { returnAll: true });
		expect(result.error).toBeUndefined();
		const [request] = ctx.sandbox.requestsTo('wachatpro', '/wa/chats');
		expect(request.method).toBe('POST');
		expect(request.body).toEqual({ key: KEY, limit: 100_000 });
		expect(result.items.map((i) => i.json)).toEqual(ctx.sandbox.wachatpro.snapshot().chats);
		expect(result.items.map((i) => i.json.name)).toEqual(['Citra', 'Budi', 'Andi']);
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Return All gets more than the gateway default of 100; a limit is sent and applied', async () => {
		ctx.sandbox.wachatpro.addChats(150);
		const all = await run(ctx.sandbox, 'chat', 'getAll', { returnAll: true });
		expect(all.items).toHaveLength(153);
		const limited = await run(ctx.sandbox, 'chat', 'getAll', { returnAll: false, limit: 7 });
		expect(limited.items).toHaveLength(7);
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/chats').map((r) => r.body)).toEqual([
			{ key: KEY, limit: 100_000 },
			{ key: KEY, limit: 7 },
		]);
		expect(limited.items.map((i) => i.json)).toEqual(all.items.slice(0, 7).map((i) => i.json));
	});

	test('a gateway that caps the limit: Return All returns what came', async () => {
		ctx.sandbox.wachatpro.addChats(30);
		ctx.sandbox.wachatpro.maxLimit = 20;
		const result = await run(ctx.sandbox, 'chat', 'getAll', { returnAll: true });
		expect(result.items).toHaveLength(20);
	});

	test('the limit is applied even if the gateway ignores it', async () => {
		ctx.sandbox.wachatpro.addChats(10);
		ctx.sandbox.wachatpro.listShape = 'array';
		const result = await run(ctx.sandbox, 'chat', 'getAll', { limit: 2 });
		expect(result.items).toHaveLength(2);
	});

	test.each(SHAPES)('reads the list from a %s reply', async (shape) => {
		ctx.sandbox.wachatpro.listShape = shape;
		const result = await run(ctx.sandbox, 'chat', 'getAll', { returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual(ctx.sandbox.wachatpro.snapshot().chats);
	});

	test('a reply without a list is an error that says so, not an empty result', async () => {
		ctx.sandbox.wachatpro.listShape = 'none';
		const result = await run(ctx.sandbox, 'chat', 'getAll', { returnAll: true });
		expect(result.error?.message).toBe(
			`WAChatPro's reply to /wa/chats holds no list of chats (looked for an array, or one under "data" or "chats")`,
		);
		expect((result.error as { description?: string }).description).toBe(
			'The gateway answered: {"status":true,"message":"OK"}',
		);
	});

	test('a limit below 1 is refused before any request, naming field and item', async () => {
		const result = await run(ctx.sandbox, 'chat', 'getAll', { returnAll: false, limit: 0 });
		expect(result.error?.message).toBe('Limit (item 0): "0" must be a whole number of at least 1');
		expect(ctx.sandbox.requestsTo('wachatpro')).toHaveLength(0);
	});
});

describe('WAChatPro › Chat › Get Messages', () => {
	test('one item per message of one phone number; a sent message shows up', async () => {
		await run(ctx.sandbox, 'message', 'sendText', {
			recipient: '0812 1111 0002',
			text: 'Pesanan dikirim',
		});
		const result = await run(ctx.sandbox, 'chat', 'getMessages', {
			mobile: '+62 812-1111-0002',
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/messages').map((r) => r.body)).toEqual([
			{ key: KEY, phone: '6281211110002', limit: 100_000 },
		]);
		expect(result.items.map((i) => [i.json.fromMe, i.json.body])).toEqual([
			[true, 'Pesanan dikirim'],
			[false, 'Halo, saya Budi'],
		]);
		// The chat list shows the new message too.
		const chats = await run(ctx.sandbox, 'chat', 'getAll', { limit: 1 });
		expect(chats.items[0].json).toMatchObject({
			phone: '6281211110002',
			lastMessage: 'Pesanan dikirim',
		});
	});

	test.each(SHAPES)('Return All versus a limit, %s reply', async (shape) => {
		const [phone] = ctx.sandbox.wachatpro.addChats(1, 120);
		ctx.sandbox.wachatpro.listShape = shape;
		const all = await run(ctx.sandbox, 'chat', 'getMessages', { mobile: phone, returnAll: true });
		const limited = await run(ctx.sandbox, 'chat', 'getMessages', { mobile: phone, limit: 5 });
		expect(all.items).toHaveLength(120);
		expect(limited.items.map((i) => i.json.body)).toEqual([
			'Message 120',
			'Message 119',
			'Message 118',
			'Message 117',
			'Message 116',
		]);
		expect(
			ctx.sandbox
				.requestsTo('wachatpro', '/wa/messages')
				.map((r) => (r.body as { limit: number }).limit),
		).toEqual([100_000, 5]);
	});

	test('several input items: one list each, paired with its item; a bad number fails only its item', async () => {
		const result = await run(
			ctx.sandbox,
			'chat',
			'getMessages',
			{ mobile: '={{ $json.phone }}', returnAll: true },
			{
				continueOnFail: true,
				items: [
					{ json: { phone: '081211110001' } },
					{ json: { phone: 'abc' } },
					{ json: { phone: '6281211110003@c.us' } },
				],
			},
		);
		expect(result.items.map((i) => [i.pairedItem, i.json.phone ?? i.json.error])).toEqual([
			[{ item: 0 }, '6281211110001'],
			[{ item: 1 }, 'Chat (item 1): "abc" contains characters that are not digits'],
			[{ item: 2 }, '6281211110003'],
		]);
	});

	test('without Continue On Fail a bad number stops the node, naming field and item', async () => {
		const result = await run(
			ctx.sandbox,
			'chat',
			'getMessages',
			{ mobile: '={{ $json.phone }}', returnAll: true },
			{ items: [{ json: { phone: '' } }] },
		);
		expect(result.error?.message).toBe(
			'Chat (item 0): is empty: enter a phone number such as +62 812-3456-7890',
		);
		expect(ctx.sandbox.requestsTo('wachatpro')).toHaveLength(0);
	});
});

describe('WAChatPro › Contact › Get Many', () => {
	test('one item per contact, unknown fields kept; the limit is applied here, not sent', async () => {
		ctx.sandbox.wachatpro.addContacts(60);
		const all = await run(ctx.sandbox, 'contact', 'getAll', { returnAll: true });
		expect(all.items).toHaveLength(64);
		expect(all.items[0].json).toEqual({
			id: '6281211110001@s.whatsapp.net',
			phone: '6281211110001',
			name: 'Andi',
			labels: [],
		});
		expect(all.items[10].json).toMatchObject({ labels: ['bulk'] });

		const limited = await run(ctx.sandbox, 'contact', 'getAll', {});
		expect(limited.items).toHaveLength(50);
		const three = await run(ctx.sandbox, 'contact', 'getAll', { limit: 3 });
		expect(three.items.map((i) => i.json.name)).toEqual(['Andi', 'Budi', 'Citra']);
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/contacts').map((r) => r.body)).toEqual([
			{ key: KEY },
			{ key: KEY },
			{ key: KEY },
		]);
	});

	test.each(SHAPES)('reads a %s reply', async (shape) => {
		ctx.sandbox.wachatpro.listShape = shape;
		const result = await run(ctx.sandbox, 'contact', 'getAll', { returnAll: true });
		expect(result.items.map((i) => i.json.name)).toEqual(['Andi', 'Budi', 'Citra', 'Priya']);
	});

	test('a wrong key: a clear error, and no key anywhere; Continue On Fail yields one error item per input', async () => {
		const result = await run(
			ctx.sandbox,
			'contact',
			'getAll',
			{ returnAll: true },
			{
				continueOnFail: true,
				items: [{ json: {} }, { json: {} }],
				credentials: {
					waChatProApi: { secretKey: 'wrong-key-value', baseUrl: ctx.sandbox.baseUrl('wachatpro') },
				},
			},
		);
		expect(result.items.map((i) => [i.pairedItem, i.json.error, i.json.statusCode])).toEqual([
			[{ item: 0 }, 'WAChatPro rejected the request (HTTP 401): Invalid key', 401],
			[{ item: 1 }, 'WAChatPro rejected the request (HTTP 401): Invalid key', 401],
		]);
		expectNoSecrets(result, [KEY, 'wrong-key-value']);
	});
});
