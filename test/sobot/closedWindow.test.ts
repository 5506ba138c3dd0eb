/**
 * Message › Send › Closed 24-Hour Window, through n8n-core's engine against the sandbox, which keeps each
 * customer's last message and refuses free-form messages outside 24 hours as WhatsApp does (Meta's 131047).
 */
import type { INodeParameters } from 'n8n-workflow';

import { isClosedWindow } from '../../nodes/Sobot/v1/actions/message/closedWindow';
import { GatewayError } from '../../nodes/shared/http/transport';
import { ProcessedDataStore } from '../harness/processedData';
import { useSandbox } from '../harness/sandbox';
import type { RunNodeOptions } from '../harness/engine';
import { FAST, bodiesTo, customersWrite, errorText, runSobot } from './helpers';

const ctx = useSandbox();
const WROTE = '919812345678';
const SILENT = '919812349999';
const HOUR_MS = 60 * 60 * 1000;

const fallback: INodeParameters = {
	closedWindow: 'sendTemplate',
	template: { __rl: true, mode: 'name', value: 'order_update' },
	bodyParameters: {
		parameter: [{ text: '={{ $json.name }}' }, { text: 'A-17' }, { text: 'Monday' }],
	},
};

function sendText(
	parameters: INodeParameters,
	numbers: string[],
	extra: Partial<RunNodeOptions> = {},
) {
	return runSobot(
		ctx.sandbox,
		'message',
		'send',
		{
			recipient: '={{ $json.to }}',
			customerName: '={{ $json.name }}',
			messageType: 'text',
			text: 'Your parcel is at the door',
			...parameters,
		},
		{ items: numbers.map((to) => ({ json: { to, name: `Customer ${to}` } })), ...extra },
	);
}

const accepted = () => ctx.sandbox.accepted.map(({ to, type }) => `${to} ${type}`);

describe('Sobot › Message › Send › Closed 24-Hour Window', () => {
	test('Fail (the default): outside the window the item fails with the refusal, and nothing else is sent', async () => {
		const result = await sendText({}, [SILENT]);
		expect(errorText(result)).toMatch(/Re-engagement message/);
		expect(bodiesTo(ctx.sandbox, '/message/').map((body) => body.type)).toEqual(['text']);
		expect(accepted()).toEqual([]);
	});

	test('Send a Template Instead: an open window sends the text, a closed one the template, each once, and the output says which', async () => {
		await customersWrite(ctx.sandbox, WROTE);
		const result = await sendText(fallback, [WROTE, SILENT]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.items[0].json).toMatchObject({ to: WROTE, type: 'text', sent: 'text' });
		expect(result.items[0].json).not.toHaveProperty('template');
		expect(result.items[1].json).toMatchObject({
			to: SILENT,
			type: 'text',
			sent: 'template',
			template: 'order_update',
			language: 'en_US',
			windowClosed: true,
			status: 'submitted',
			attempts: 1,
		});
		// The messageId is the template's, the one its delivery statuses will carry.
		const template = ctx.sandbox.accepted.find((message) => message.type === 'template');
		expect(result.items[1].json.messageId).toBe(template?.id);
		expect(accepted()).toEqual([`${WROTE} text`, `${SILENT} template`]);
		expect(bodiesTo(ctx.sandbox, '/message/')[2]).toEqual({
			customer_number: SILENT,
			customer_name: `Customer ${SILENT}`,
			type: 'template',
			template_name: 'order_update',
			template_lang: 'en_US',
			params: [
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: `Customer ${SILENT}` },
						{ type: 'text', text: 'A-17' },
						{ type: 'text', text: 'Monday' },
					],
				},
			],
		});
	});

	test('a customer who last wrote 25 hours ago gets the template; 23 hours ago, the text', async () => {
		ctx.sandbox.sobot.lastInbound.set(WROTE, Date.now() - 23 * HOUR_MS);
		ctx.sandbox.sobot.lastInbound.set(SILENT, Date.now() - 25 * HOUR_MS);
		const result = await sendText(fallback, [WROTE, SILENT]);
		expect(result.items.map((item) => item.json.sent)).toEqual(['text', 'template']);
		expect(accepted()).toEqual([`${WROTE} text`, `${SILENT} template`]);
	});

	test('a re-run under the same Resume Key sends neither the text nor the template again', async () => {
		const store = new ProcessedDataStore();
		const sendingOptions = { ...FAST, resumeKey: 'window-1' };
		const first = await sendText({ ...fallback, sendingOptions }, [SILENT], {
			processedData: store,
		});
		expect(first.items[0].json.sent).toBe('template');
		const second = await sendText({ ...fallback, sendingOptions }, [SILENT], {
			processedData: store,
		});
		expect(second.items[0].json).toMatchObject({ status: 'already sent', alreadySent: true });
		expect(accepted()).toEqual([`${SILENT} template`]);
		expect(bodiesTo(ctx.sandbox, '/message/')).toHaveLength(2);
	});

	test('a template refused with 429 is retried on its own: the text is not asked again, the template goes once', async () => {
		// Half the /message/ requests are refused with 429, free-form and template tries alike.
		ctx.sandbox.faults.configure({
			rate: 0.5,
			seed: 7,
			kinds: { '429': 1 },
			retryAfterSeconds: 0,
			pathPattern: '^/message',
		});
		const numbers = Array.from({ length: 6 }, (_, i) => `91981234990${i}`);
		const result = await sendText(
			{ ...fallback, sendingOptions: { ...FAST, maxAttempts: 10 } },
			numbers,
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.sent)).toEqual(Array(6).fill('template'));
		expect(ctx.sandbox.faults.injected['429']).toBeGreaterThan(0);
		const requests = ctx.sandbox.requestsTo('sobot', '/message/');
		for (const to of numbers) {
			const mine = requests.filter(
				(r) => (r.body as { customer_number?: string }).customer_number === to,
			);
			// One refusal by the window per customer, whatever the 429s before it.
			const refusals = mine.filter(
				(r) => (r.body as { type?: string }).type === 'text' && r.fault === undefined,
			);
			expect(refusals).toHaveLength(1);
			expect(
				mine.filter((r) => r.fault === undefined).map((r) => (r.body as { type: string }).type),
			).toEqual(['text', 'template']);
		}
		// The seed refuses some templates' first tries: the case this test is about happened.
		expect(
			requests.some((r) => (r.body as { type?: string }).type === 'template' && r.fault === '429'),
		).toBe(true);
		expect(accepted().sort()).toEqual(numbers.map((to) => `${to} template`).sort());
	});

	test('a bad template field fails before anything is sent, naming the field and the item; with Continue On Fail one output per input', async () => {
		const bad = { ...fallback, template: { __rl: true, mode: 'id', value: '9999' } };
		const stopped = await sendText(bad, [SILENT]);
		expect(errorText(stopped)).toMatch(
			/^Template \(item 0\): Sobot lists no template with ID "9999"/,
		);
		expect(bodiesTo(ctx.sandbox, '/message/')).toHaveLength(0);

		const unknownLanguage = {
			...fallback,
			bodyParameters: { parameter: [{ text: 'only one' }] },
		};
		const result = await sendText(unknownLanguage, [WROTE, SILENT], { continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of result.items)
			expect(String(item.json.error)).toMatch(
				/^Body Parameters \(item \d\): the template "order_update" has 3/,
			);
		expect(bodiesTo(ctx.sandbox, '/message/')).toHaveLength(0);
	});

	test("a refusal of the template itself is that item's failure, with Sobot's words", async () => {
		// A language the node cannot check (given, not looked up): Sobot refuses the template send itself.
		const result = await sendText({ ...fallback, language: 'fr' }, [SILENT], {
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(1);
		expect(String(result.items[0].json.error)).toMatch(
			/Template order_update does not exist in the language fr/,
		);
		expect(result.items[0].json).toMatchObject({ to: SILENT, type: 'text', attempts: 1 });
		expect(accepted()).toEqual([]);
	});
});

describe('isClosedWindow', () => {
	const refusal = (body: unknown, statusCode: number | undefined) =>
		new GatewayError({ name: 'Sobot' } as never, 'refused', {
			service: 'Sobot',
			statusCode,
			body,
			retry: 'never',
		});

	test.each<[string, unknown, boolean]>([
		['Meta code under error', { message: 'failed', code: 400, error: { code: 131047 } }, true],
		['Meta code under errors[0]', { errors: [{ code: '131047', title: 'x' }] }, true],
		['"Re-engagement message"', { message: 'Re-engagement message', code: 400 }, true],
		[
			'"outside the 24 hour window"',
			{ message: 'Message outside the 24 hour window', code: 400 },
			true,
		],
		['"customer service window"', { detail: 'the customer service window is closed' }, true],
		['an unusable number', { message: 'Invalid mobile number', code: 400 }, false],
		['a ban', { message: 'Account banned', code: 403, error: { code: 131031 } }, false],
	])('%s', (_, body, expected) => {
		expect(isClosedWindow(refusal(body, 200))).toBe(expected);
	});

	test('no answer at all is never a closed window (the message may have gone out)', () => {
		expect(isClosedWindow(refusal({ message: 'Re-engagement message' }, undefined))).toBe(false);
	});
});
