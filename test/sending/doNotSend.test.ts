/**
 * Sending Options › Do Not Send To (nodes/shared/sending/doNotSend.ts): list parsing (forms, bad entries with their
 * positions, 100,000 entries), and through the engine for every gateway: an opted-out recipient gets one "opted out"
 * line and no request; a bad entry stops the run before anything is sent, Continue On Fail or not.
 */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { Profilora } from '../../nodes/Profilora/Profilora.node';
import {
	DoNotSend,
	parseDoNotSendList,
	readsItem,
	recipientKey,
} from '../../nodes/shared/sending/doNotSend';
import { DEFAULT_CREDENTIALS } from '../../sandbox/credentials';
import { runNode } from '../harness/engine';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { runSobot } from '../sobot/helpers';
import { run as runWaChatPro } from '../wachatpro/helpers';

const ctx = useSandbox();

const keys = (value: unknown, cc = '62') => [...parseDoNotSendList(value, cc).list.keys].sort();

describe('parsing the list', () => {
	test('every common form of a number becomes the digits a recipient is looked up by', () => {
		expect(
			keys(
				'0812-3456-7890\n+62 812 3456 7891, 62812345678 92; 6281234567893@s.whatsapp.net\r\nwa.me/6281234567894',
			),
		).toEqual([
			'6281234567890',
			'6281234567891',
			'6281234567892',
			'6281234567893',
			'6281234567894',
		]);
		expect(keys(['0812 3456 7890', 6281234567891, '(0812) 3456-7892'])).toEqual([
			'6281234567890',
			'6281234567891',
			'6281234567892',
		]);
		expect(keys('["0812 3456 7890", "+91 98123 45601"]')).toEqual([
			'6281234567890',
			'919812345601',
		]);
		expect(keys('98123 45601', '91')).toEqual(['919812345601']);
		expect(keys('120363025555555555@g.us')).toEqual(['120363025555555555@g.us']);
	});

	test('a number that lost its leading 0 (a spreadsheet did it) still protects the person, with the country code', () => {
		// "812…" alone reads as +81 (Japan) by the recipient rules; on a list of people who said stop, both are kept.
		expect(keys('812-3456-7890')).toEqual(['6281234567890', '81234567890']);
		expect(keys([81234567890])).toEqual(['6281234567890', '81234567890']);
	});

	test('blank lines, spaces and empty cells are no entries', () => {
		const parsed = parseDoNotSendList('\n\n0812 3456 7890,, ,\n\n', '62');
		expect(parsed.count).toBe(1);
		expect(parseDoNotSendList(['', null, undefined, '0812 3456 7890'], '62').count).toBe(1);
		expect(parseDoNotSendList('', '62').count).toBe(0);
		expect(parseDoNotSendList(undefined, '62').count).toBe(0);
	});

	test('entries that are not numbers are named with their position and line', () => {
		const parsed = parseDoNotSendList('0812 3456 7890\nhello, 0812 3456 7891\n12\n{x}', '62');
		expect(parsed.bad.map(({ position, line, entry }) => ({ position, line, entry }))).toEqual([
			{ position: 2, line: 2, entry: 'hello' },
			{ position: 4, line: 3, entry: '12' },
			{ position: 5, line: 4, entry: '{x}' },
		]);
		const objects = parseDoNotSendList(['0812 3456 7890', { number: '0812' }], '62');
		expect(objects.bad[0]).toMatchObject({ position: 2, problem: expect.stringMatching(/object/) });
	});

	test('100,000 entries: parsed once into a set, each lookup one Set query', () => {
		// Written the way people keep them: local form with dashes.
		const list = Array.from({ length: 100_000 }, (_, i) => {
			const digits = String(i).padStart(8, '0');
			return `0812-${digits.slice(0, 4)}-${digits.slice(4)}`;
		});
		const started = process.hrtime.bigint();
		const parsed = parseDoNotSendList(list.join('\n'), '62');
		const parseMs = Number(process.hrtime.bigint() - started) / 1e6;
		expect(parsed.count).toBe(100_000);
		expect(parsed.bad).toEqual([]);
		const lookups = 10_000;
		const lookupStart = process.hrtime.bigint();
		let found = 0;
		for (let i = 0; i < lookups; i++)
			if (
				parsed.list.keys.has(recipientKey(`62812${String(i * 7).padStart(8, '0')}@s.whatsapp.net`))
			)
				found++;
		const lookupNs = Number(process.hrtime.bigint() - lookupStart) / lookups;
		// Measured, not asserted (no timed assertions): the numbers go to the test log.
		console.log(
			`Do Not Send To: 100,000 entries parsed in ${parseMs.toFixed(0)} ms; ${lookupNs.toFixed(0)} ns per lookup`,
		);
		expect(found).toBe(lookups);
	});
});

describe('when the list is read', () => {
	test.each([
		["={{ $('Opt-outs').all().map(r => r.json.number) }}", false],
		['0812 3456 7890', false],
		['={{ $vars.optOuts }}', false],
		['={{ $json.blocked }}', true],
		["={{ $('Customers').item.json.blocked }}", true],
		['={{ $input.item.json.x }}', true],
		['={{ $itemIndex > 3 ? [] : [] }}', true],
	])('%s read per item: %s', (expression, perItem) => {
		expect(readsItem(expression)).toBe(perItem);
	});

	test('a list that is the same for every item is evaluated once; one that reads the item, per item', () => {
		const calls: string[] = [];
		const fake = (stored: string) =>
			({
				getNode: () =>
					({ parameters: { sendingOptions: { doNotSendTo: stored } } }) as unknown as INode,
				getNodeParameter: (name: string, itemIndex: number) => {
					calls.push(`${name}#${itemIndex}`);
					return `0812 3456 789${itemIndex}`;
				},
			}) as unknown as IExecuteFunctions;

		const same = DoNotSend.open(fake("={{ $('Opt-outs').all() }}"), {
			doNotSendTo: '0812 3456 7890',
		})!;
		expect([0, 1, 2].map((i) => same.isListed(i, `628123456789${i}`, '62'))).toEqual([
			true,
			false,
			false,
		]);
		expect(calls).toEqual([]);

		const perItem = DoNotSend.open(fake('={{ $json.blocked }}'), { doNotSendTo: 'x' })!;
		expect([0, 1, 2].map((i) => perItem.isListed(i, `628123456789${i}`, '62'))).toEqual([
			true,
			true,
			true,
		]);
		expect(calls).toEqual([0, 1, 2].map((i) => `sendingOptions.doNotSendTo#${i}`));
	});
});

const AGENT = DEFAULT_CREDENTIALS.profilora.agents[0];
const recipients = ['+62 812 3456 7890', '0812 3456 7891', '62812-3456-7892', '+91 98123 45601'];
const items = recipients.map((to, i) => ({ json: { to, text: `Hello ${i}` } }));

function profilora(sendingOptions: Record<string, unknown>, continueOnFail = false) {
	return runNode({
		node: new Profilora(),
		credentials: profiloraCredentials(ctx.sandbox),
		parameters: {
			resource: 'message',
			operation: 'sendText',
			sender: AGENT,
			recipient: '={{ $json.to }}',
			text: '={{ $json.text }}',
			sendingOptions,
		} as never,
		items,
		continueOnFail,
	});
}

describe('through the engine', () => {
	test('Profilora: listed recipients (in other forms than the list) get "opted out" and no request', async () => {
		const result = await profilora({ doNotSendTo: '0812-3456-7890\n+6281234567892' });
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.status)).toEqual([
			'opted out',
			'accepted',
			'opted out',
			'accepted',
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(result.items[0].json).toMatchObject({
			optedOut: true,
			skipped: true,
			attempts: 0,
			to: '6281234567890@s.whatsapp.net',
			error: expect.stringMatching(/^Sending Options › Do Not Send To \(item 0\)/),
		});
		const sentTo = ctx.sandbox.profilora.sent.map((m) => m.to);
		expect(sentTo).toEqual(['6281234567891@s.whatsapp.net', '919812345601@s.whatsapp.net']);
	});

	test('an entry that is not a number stops the run before anything is sent, even with Continue On Fail', async () => {
		for (const continueOnFail of [false, true]) {
			const result = await profilora(
				{ doNotSendTo: '0812-3456-7890\n0812 34S6 7891\n+62 812' },
				continueOnFail,
			);
			expect(result.error?.message).toMatch(
				/^Sending Options › Do Not Send To \(item 0\): entries are not a phone number.*entry 2 \(line 2\) "0812 34S6 7891".*entry 3 \(line 3\) "\+62 812"/,
			);
		}
		expect(ctx.sandbox.requestsTo('profilora', '/whatsapp/send-message')).toHaveLength(0);
	});

	test('with "skip entries that are not numbers" the run goes on, and every line counts the skipped entries', async () => {
		const result = await profilora({
			doNotSendTo: '0812-3456-7890\nnot a number\n12',
			doNotSendToSkipInvalid: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.status)).toEqual([
			'opted out',
			'accepted',
			'accepted',
			'accepted',
		]);
		expect(result.items.map((i) => i.json.skippedDoNotSendEntries)).toEqual([2, 2, 2, 2]);
	});

	test('a list from an expression that reads the item applies to that item only', async () => {
		const result = await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: AGENT,
				recipient: '={{ $json.to }}',
				text: 'Hi',
				sendingOptions: { doNotSendTo: '={{ $json.blocked }}' },
			} as never,
			items: [
				{ json: { to: '0812 3456 7890', blocked: ['+62 812 3456 7890'] } },
				{ json: { to: '0812 3456 7891', blocked: ['+62 812 3456 7890'] } },
				{ json: { to: '0812 3456 7892', blocked: [] } },
			],
		});
		expect(result.items.map((i) => i.json.status)).toEqual(['opted out', 'accepted', 'accepted']);
	});

	test('100,000 numbers from one expression: evaluated once, every listed recipient held back', async () => {
		const count = 300;
		const many = await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: AGENT,
				recipient: '={{ $json.to }}',
				text: 'Hi',
				sendingOptions: {
					// Unpaced: a bulk send through Profilora would otherwise go at the Moderate default (guardrails/presets.ts).
					pace: 'custom',
					// Every even recipient of the items is among 100,000 numbers, written in local form.
					doNotSendTo: `={{ Array.from({ length: 100000 }, (_, i) => '0812' + String(i * 2).padStart(8, '0')) }}`,
				},
			} as never,
			items: Array.from({ length: count }, (_, i) => ({
				json: { to: `+62 812 ${String(i).padStart(8, '0')}` },
			})),
		});
		expect(many.error).toBeUndefined();
		const statuses = many.items.map((i) => i.json.status);
		expect(statuses.filter((s) => s === 'opted out')).toHaveLength(count / 2);
		expect(statuses.filter((_, i) => i % 2 === 0).every((s) => s === 'opted out')).toBe(true);
		expect(ctx.sandbox.profilora.sent).toHaveLength(count / 2);
	});

	test('cost per item: 1,000 sends with and without a 100,000-number list from one expression (measured, logged)', async () => {
		const sendAll = async (sendingOptions: Record<string, unknown>) => {
			ctx.sandbox.reset();
			const started = process.hrtime.bigint();
			const result = await runNode({
				node: new Profilora(),
				credentials: profiloraCredentials(ctx.sandbox),
				parameters: {
					resource: 'message',
					operation: 'sendText',
					sender: AGENT,
					recipient: '={{ $json.to }}',
					text: 'Hi',
					// Unpaced, as the cost per item is what is measured.
					sendingOptions: { pace: 'custom', ...sendingOptions },
				} as never,
				items: Array.from({ length: 1000 }, (_, i) => ({
					json: { to: `+62 812 ${String(i).padStart(8, '0')}` },
				})),
			});
			expect(result.error).toBeUndefined();
			expect(ctx.sandbox.profilora.sent).toHaveLength(1000);
			return Number(process.hrtime.bigint() - started) / 1e6;
		};
		const without = await sendAll({});
		// 100,000 numbers none of which is a recipient: every item is looked up, every item is sent.
		const withList = await sendAll({
			doNotSendTo: `={{ Array.from({ length: 100000 }, (_, i) => '0813' + String(i).padStart(8, '0')) }}`,
		});
		console.log(
			`1,000 sends: ${without.toFixed(0)} ms without Do Not Send To, ${withList.toFixed(0)} ms with 100,000 numbers (${((withList - without) / 1000).toFixed(2)} ms per item more, the list's one-time parse included)`,
		);
	});

	test("WAChatPro Send Text: the node's Default Country Code reads the list's local numbers", async () => {
		const result = await runWaChatPro(
			ctx.sandbox,
			'message',
			'sendText',
			{
				recipient: { __rl: true, mode: 'phone', value: '={{ $json.to }}' },
				text: 'Namaste',
				defaultCountryCode: '91',
				sendingOptions: { doNotSendTo: '98123 45601, 098123 45602' },
			},
			{
				items: [
					{ json: { to: '+91 98123 45601' } },
					{ json: { to: '919812345602' } },
					{ json: { to: '+91 98123 45603' } },
				],
			},
		);
		expect(result.items.map((i) => i.json.optedOut === true)).toEqual([true, true, false]);
		expect(
			ctx.sandbox
				.requestsTo('wachatpro', '/wa/send')
				.map((r) => (r.body as { phone: string }).phone),
		).toEqual(['919812345603']);
	});

	test('Sobot campaign: an opted-out recipient\'s report line says "opted out"', async () => {
		const result = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{
				recipient: '={{ $json.mobile }}',
				customerName: '={{ $json.name }}',
				defaultCountryCode: '91',
				template: { __rl: true, mode: 'list', value: 'order_update' },
				campaignName: 'opt-out-test',
				bodyParameters: {
					parameter: [{ text: '={{ $json.name }}' }, { text: 'A-1' }, { text: 'Friday' }],
				},
				sendingOptions: {
					delayMode: 'none',
					doNotSendTo: "={{ ['098123 45602'] }}",
				},
			},
			{
				items: [
					{ json: { mobile: '+91 98123 45601', name: 'Priya' } },
					{ json: { mobile: '919812345602', name: 'Arjun' } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.status)).toEqual(['sent', 'opted out']);
		expect(result.items[1].json).toMatchObject({
			optedOut: true,
			to: '919812345602',
			name: 'Arjun',
			campaign: expect.stringContaining('opt-out-test'),
			recipient: '919812345602',
		});
		expect(ctx.sandbox.sobot.sent.map((m) => m.to)).toEqual(['919812345601']);
	});
});
