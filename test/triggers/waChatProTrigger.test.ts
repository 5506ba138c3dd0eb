/** WAChatPro Trigger: poll() in n8n-core's PollContext against the sandbox's /wa/chats and /wa/messages. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { WaChatProTrigger } from '../../nodes/WaChatProTrigger/WaChatProTrigger.node';
import { STATE_KEY } from '../../nodes/WaChatProTrigger/poll';
import type { Sandbox } from '../../sandbox/server';
import { PollHarness } from '../harness/poll';
import { useSandbox } from '../harness/sandbox';
import { run, waChatProCredentials } from '../wachatpro/helpers';

const ctx = useSandbox();

function trigger(
	sandbox: Sandbox,
	parameters: INodeParameters = {},
	staticData?: IDataObject,
): PollHarness {
	return new PollHarness({
		node: new WaChatProTrigger(),
		parameters,
		credentials: waChatProCredentials(sandbox),
		staticData,
	});
}

const messageReads = (sandbox: Sandbox) => sandbox.requestsTo('wachatpro', '/wa/messages').length;

describe('WAChatPro Trigger', () => {
	it('remembers the existing chats on first activation, then emits each new incoming message once, normalised', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		expect(await poller.poll()).toBeNull(); // three seeded chats with messages: history, not replayed
		expect(await poller.poll()).toBeNull();

		const written = sandbox.wachatpro.incoming({
			from: '6281211110001',
			text: 'Pesanan saya di mana?',
		});
		const items = await poller.pollItems();
		expect(items).toHaveLength(1);
		expect(items![0]).toEqual({
			service: 'wachatpro',
			event: 'message',
			messageId: written.id,
			status: 'received',
			from: '6281211110001',
			to: null,
			fromRaw: '6281211110001',
			toRaw: null,
			name: 'Andi',
			timestamp: new Date(written.timestamp * 1000).toISOString(),
			messageType: 'text',
			text: 'Pesanan saya di mana?',
			media: null,
			choice: null,
			replyTo: null,
			optOut: false,
			optIn: false,
			receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			raw: written,
		});
		expect(await poller.poll()).toBeNull();
		expect(await poller.poll()).toBeNull();
	});

	it('polls in an n8n without getPollBudgetMs (1.x) and emits a new message once', async () => {
		const { sandbox } = ctx;
		const poller = new PollHarness({
			node: new WaChatProTrigger(),
			parameters: {},
			credentials: waChatProCredentials(sandbox),
			withoutPollBudget: true,
		});
		expect(await poller.poll()).toBeNull();
		const written = sandbox.wachatpro.incoming({ from: '6281211110001', text: 'Halo dari 1.x' });
		const items = await poller.pollItems();
		expect(items?.map((item) => [item.messageId, item.text])).toEqual([
			[written.id, 'Halo dari 1.x'],
		]);
		expect(await poller.poll()).toBeNull();
	});

	it('leaves out our own sent messages and reads only chats whose listing changed', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		await poller.poll();
		const before = messageReads(sandbox);
		expect(await poller.poll()).toBeNull();
		expect(messageReads(sandbox)).toBe(before); // nothing changed: no chat read

		const sent = await run(sandbox, 'message', 'sendText', {
			recipient: '0812 1111 0002',
			text: 'Halo Budi',
		});
		expect(sent.error).toBeUndefined();
		expect(await poller.poll()).toBeNull(); // our own message: the chat is read, nothing emitted
		expect(messageReads(sandbox)).toBe(before + 1);
	});

	it('emits a first message from a new customer, several messages in order, and media', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		await poller.poll();
		const first = sandbox.wachatpro.incoming({
			from: '6289900000001',
			text: 'Hi, new here',
			name: 'Dewi',
		});
		const second = sandbox.wachatpro.incoming({
			from: '6289900000001',
			text: 'Are you open today?',
		});
		const photo = sandbox.wachatpro.incoming({
			from: '6281211110003',
			media: {
				type: 'image',
				url: 'https://media.example/p.jpg',
				mimetype: 'image/jpeg',
				caption: 'This one',
			},
		});
		const items = await poller.pollItems();
		expect(items?.map((item) => item.messageId)).toEqual([first.id, second.id, photo.id]);
		expect(items![0]).toMatchObject({ from: '6289900000001', name: 'Dewi', text: 'Hi, new here' });
		expect(items![2]).toMatchObject({
			messageType: 'image',
			text: 'This one',
			media: {
				type: 'image',
				url: 'https://media.example/p.jpg',
				mimeType: 'image/jpeg',
				caption: 'This one',
				fileName: null,
				id: null,
				sha256: null,
			},
		});
		expect(await poller.poll()).toBeNull();
	});

	it('watches only the chosen numbers, typed in any form', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, {
			chats: 'numbers',
			numbers: '0812-1111-0002,\n+91 98123 45678',
		});
		expect(await poller.poll()).toBeNull();
		sandbox.wachatpro.incoming({ from: '6281211110001', text: 'not watched' });
		const watched = sandbox.wachatpro.incoming({ from: '6281211110002', text: 'watched' });
		const india = sandbox.wachatpro.incoming({ from: '919812345678', text: 'namaste' });
		const items = await poller.pollItems();
		expect(items?.map((item) => item.messageId)).toEqual([watched.id, india.id]);
		expect(sandbox.requestsTo('wachatpro', '/wa/chats')).toHaveLength(0);
		expect(await poller.poll()).toBeNull();
	});

	it('reads every chosen number, however many, whatever Max Chats says (it bounds All Chats only)', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, {
			chats: 'numbers',
			numbers: '6281211110001, 6281211110002, 6281211110003',
			options: { maxChats: 1 },
		});
		await poller.poll();
		const written = ['6281211110001', '6281211110002', '6281211110003'].map((from) =>
			sandbox.wachatpro.incoming({ from, text: 'hi' }),
		);
		expect((await poller.pollItems())?.map((item) => item.messageId)).toEqual(
			written.map((message) => message.id),
		);
	});

	it('refuses a bad number and no numbers with the field named', async () => {
		const { sandbox } = ctx;
		await expect(
			trigger(sandbox, { chats: 'numbers', numbers: '0812 1111 0002, 12ab' }).poll(),
		).rejects.toThrow(/^Phone Numbers: "12ab" contains characters that are not digits/);
		await expect(trigger(sandbox, { chats: 'numbers', numbers: ' , ' }).poll()).rejects.toThrow(
			/^Phone Numbers: enter at least one number/,
		);
		await expect(trigger(sandbox, { options: { maxChats: 0 } }).poll()).rejects.toThrow(
			/^Max Chats: "0" must be a whole number/,
		);
	});

	it.each(['array', 'named', 'dataNamed'] as const)('reads the %s list shape', async (shape) => {
		const { sandbox } = ctx;
		sandbox.wachatpro.listShape = shape;
		const poller = trigger(sandbox);
		await poller.poll();
		const written = sandbox.wachatpro.incoming({ from: '6281211110002', text: `shape ${shape}` });
		expect((await poller.pollItems())?.map((item) => item.messageId)).toEqual([written.id]);
	});

	it('fails a poll whose reply holds no list and changes nothing it remembers', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		await poller.poll();
		const saved = poller.saved;
		const written = sandbox.wachatpro.incoming({
			from: '6281211110001',
			text: 'during the outage',
		});
		sandbox.wachatpro.listShape = 'none';
		await expect(poller.poll()).rejects.toThrow(/holds no list of chats/);
		expect(poller.saved).toBe(saved);
		sandbox.wachatpro.listShape = 'data';
		expect((await poller.pollItems())?.map((item) => item.messageId)).toEqual([written.id]); // not lost
	});

	it('keeps its memory bounded to Max Chats and replays no history of a chat it forgot', async () => {
		const { sandbox } = ctx;
		sandbox.wachatpro.addChats(30, 3);
		const poller = trigger(sandbox, { options: { maxChats: 10 } });
		await poller.poll();
		const memory = poller.nodeStaticData[STATE_KEY] as { chats: Record<string, unknown> };
		expect(Object.keys(memory.chats)).toHaveLength(10);
		// The oldest seeded chat (beyond Max Chats, never read) gets a message: it rises to the top of the listing.
		const written = sandbox.wachatpro.incoming({ from: '6281211110001', text: 'back again' });
		expect((await poller.pollItems())?.map((item) => item.messageId)).toEqual([written.id]);
		expect(
			Object.keys((poller.nodeStaticData[STATE_KEY] as { chats: object }).chats).length,
		).toBeLessThanOrEqual(10);
		expect(JSON.stringify(poller.staticData).length).toBeLessThan(5000);
	});

	it('"Fetch Test Event" returns the latest incoming message and leaves the memory alone', async () => {
		const { sandbox } = ctx;
		const written = sandbox.wachatpro.incoming({ from: '6281211110002', text: 'the latest' });
		await run(sandbox, 'message', 'sendText', {
			recipient: '6281211110003',
			text: 'ours, newer, not a customer message',
		});
		const poller = trigger(sandbox);
		const items = await poller.pollItems('manual');
		expect(items?.map((item) => item.messageId)).toEqual([written.id]);
		expect(poller.saves).toBe(0);
		expect(await poller.poll()).toBeNull(); // the first scheduled poll is still the quiet baseline
	});

	it('"Fetch Test Event" says so when there is no incoming message', async () => {
		const { sandbox } = ctx;
		sandbox.wachatpro.chats.clear();
		sandbox.wachatpro.messages.clear();
		await expect(trigger(sandbox).poll('manual')).rejects.toThrow(
			'No incoming WAChatPro message found to show',
		);
	});

	it('emits nothing twice when the memory is loaded by another process (a restart)', async () => {
		const { sandbox } = ctx;
		const first = trigger(sandbox);
		await first.poll();
		const a = sandbox.wachatpro.incoming({ from: '6281211110001', text: 'before restart' });
		expect((await first.pollItems())?.map((item) => item.messageId)).toEqual([a.id]);
		const second = trigger(sandbox, {}, first.staticData);
		expect(await second.poll()).toBeNull();
		const b = sandbox.wachatpro.incoming({ from: '6281211110001', text: 'after restart' });
		expect((await second.pollItems())?.map((item) => item.messageId)).toEqual([b.id]);
	});

	it('skips a chat WAChatPro refuses and still emits the others', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, { chats: 'numbers', numbers: '6281211110001, 6281211110002' });
		await poller.poll();
		sandbox.wachatpro.refusedMessagePhones.add('6281211110002');
		const kept = sandbox.wachatpro.incoming({ from: '6281211110002', text: 'in the broken chat' });
		const written = sandbox.wachatpro.incoming({ from: '6281211110001', text: 'still here' });
		expect((await poller.pollItems())?.map((item) => item.messageId)).toEqual([written.id]);
		sandbox.wachatpro.refusedMessagePhones.clear();
		expect((await poller.pollItems())?.map((item) => item.messageId)).toEqual([kept.id]); // read again, not lost
	});

	it('fails the poll on a gateway error and loses nothing', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		await poller.poll();
		const written = sandbox.wachatpro.incoming({ from: '6281211110001', text: 'during a 503' });
		sandbox.faults.configure({ rate: 1, kinds: { '503': 1 }, pathPattern: '^/wa/messages$' });
		await expect(poller.poll()).rejects.toThrow();
		sandbox.faults.configure({ rate: 0 });
		expect((await poller.pollItems())?.map((item) => item.messageId)).toEqual([written.id]);
	});
});

describe('WAChatPro Trigger: opt-out keywords', () => {
	it('marks "Berhenti 🙏" optOut and "mulai lagi" optIn; configured keywords replace the defaults', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		expect(await poller.poll()).toBeNull();
		sandbox.wachatpro.incoming({ from: '6281211110001', text: 'Berhenti 🙏' });
		sandbox.wachatpro.incoming({ from: '6281211110002', text: 'jangan berhenti kirim promo ya' });
		sandbox.wachatpro.incoming({ from: '6281211110003', text: 'Mulai lagi' });
		const items = (await poller.pollItems()) ?? [];
		const byText = Object.fromEntries(items.map((i) => [i.text, [i.optOut, i.optIn]]));
		expect(byText).toEqual({
			'Berhenti 🙏': [true, false],
			'jangan berhenti kirim promo ya': [false, false],
			'Mulai lagi': [false, true],
		});

		const custom = trigger(sandbox, { options: { optOutKeywords: 'keluar' } });
		expect(await custom.poll()).toBeNull();
		sandbox.wachatpro.incoming({ from: '6281211110001', text: 'KELUAR' });
		sandbox.wachatpro.incoming({ from: '6281211110002', text: 'stop' });
		const mine = (await custom.pollItems()) ?? [];
		expect(Object.fromEntries(mine.map((i) => [i.text, i.optOut]))).toEqual({
			KELUAR: true,
			stop: false,
		});
	});
});
