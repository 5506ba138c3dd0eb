import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readCampaignSendingOptions } from '../../nodes/Sobot/v1/actions/campaign/pacing';
import { readSendingOptions } from '../../nodes/shared/sending/options';
import { useSandbox } from '../harness/sandbox';
import { expectNoSecrets } from '../harness/secrets';
import { ACCESS_KEY, FAST, SECRET_KEY, bodiesTo, errorText, runSobot } from './helpers';

const ctx = useSandbox();

/** 60 recipients: most fine, a few bad in every way a list of customers can be bad. */
function recipients(): IDataObject[] {
	const list: IDataObject[] = Array.from({ length: 60 }, (_, i) => ({
		mobile: `+91 98${String(i).padStart(6, '0')}12`,
		name: `Customer ${i}`,
		order: `A-${100 + i}`,
	}));
	list[5].mobile = 'not a number'; // refused by the node, never sent
	list[17].mobile = '12'; // too short
	list[23].mobile = '+91 9812340000'; // Sobot: "Invalid mobile number" (not on WhatsApp)
	list[41].mobile = '+91 9812350000';
	list[30].mobile = list[2].mobile; // the same customer twice: sent once
	list[50].name = ''; // Sobot requires a name
	return list;
}

const campaign = {
	recipient: '={{ $json.mobile }}',
	customerName: '={{ $json.name }}',
	template: { __rl: true, mode: 'list', value: 'order_update' },
	bodyParameters: {
		parameter: [{ text: '={{ $json.name }}' }, { text: '={{ $json.order }}' }, { text: 'Friday' }],
	},
};

describe('Sobot › Campaign › Send', () => {
	test('60 recipients with bad numbers among them: every one accounted for, none sent twice', async () => {
		const items = recipients().map((json) => ({ json }));
		const before = new Date().toISOString();
		const result = await runSobot(ctx.sandbox, 'campaign', 'send', campaign, { items });
		const after = new Date().toISOString();

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(60);
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		const byStatus = (status: string) =>
			result.items.flatMap((item, index) => (item.json.status === status ? [index] : []));
		expect(byStatus('failed')).toEqual([5, 17, 23, 41, 50]);
		expect(byStatus('skipped')).toEqual([30]);
		expect(byStatus('sent')).toHaveLength(54);

		expect(result.items[5].json).toMatchObject({
			status: 'failed',
			error: expect.stringMatching(/^Recipient \(item 5\)/),
			attempts: 0,
		});
		// A refused number has no `to`; the line still says whom it was for, as given.
		expect(result.items[5].json.to).toBeUndefined();
		expect(result.items[5].json.recipient).toBe('not a number');
		expect(result.items[5].json.sentAt).toBeUndefined();
		expect(result.items[23].json).toMatchObject({
			status: 'failed',
			error:
				'Sobot rejected the request (HTTP 200, error code 400 in the body): Invalid mobile number',
			to: '919812340000',
			attempts: 1,
		});
		expect(result.items[50].json.error).toMatch(
			/^Customer Name \(item 50\): is required but empty/,
		);
		expect(result.items[30].json.error).toMatch(
			/^Recipient \(item 30\): 919800000212 is already the recipient of item 2/,
		);

		const first = result.items[0].json;
		expect(first).toEqual({
			status: 'sent',
			gatewayStatus: 'submitted',
			messageId: expect.stringMatching(/^wamid\./),
			message: 'Message sent successfully.',
			to: '919800000012',
			name: 'Customer 0',
			template: 'order_update',
			attempts: 1,
			campaign: 'order_update',
			sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			recipient: '+91 9800000012',
		});

		// `sentAt`: when Sobot accepted each message, in sending order.
		const sentAt = byStatus('sent').map((index) => result.items[index].json.sentAt as string);
		expect(sentAt[0] >= before && sentAt.at(-1)! <= after).toBe(true);
		expect([...sentAt].sort()).toEqual(sentAt);

		// The sandbox accepted exactly the messages reported sent, each recipient once.
		const accepted = ctx.sandbox.accepted;
		expect(accepted).toHaveLength(54);
		expect(new Set(accepted.map((message) => message.to)).size).toBe(54);
		expect(accepted.map((message) => message.id).sort()).toEqual(
			byStatus('sent')
				.map((index) => result.items[index].json.messageId)
				.sort(),
		);

		// Per-recipient parameters came from each item's own expressions.
		const sends = bodiesTo(ctx.sandbox, '/message/');
		expect(sends[0]).toEqual({
			customer_number: '919800000012',
			customer_name: 'Customer 0',
			type: 'template',
			template_name: 'order_update',
			template_lang: 'en_US',
			params: [
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'Customer 0' },
						{ type: 'text', text: 'A-100' },
						{ type: 'text', text: 'Friday' },
					],
				},
			],
		});
		expectNoSecrets(result, [ACCESS_KEY, SECRET_KEY]);
	});

	test('gateway faults: safe failures are retried, uncertain ones are not, so no recipient gets two messages', async () => {
		ctx.sandbox.faults.configure({
			rate: 0.35,
			seed: 11,
			kinds: { '429': 1, '503': 1, refuse: 1, drop: 1, '500': 1 },
			retryAfterSeconds: 0,
			pathPattern: '^/message/$',
		});
		const items = Array.from({ length: 50 }, (_, i) => ({
			json: { mobile: `91977${String(i).padStart(5, '0')}1`, name: `C${i}`, order: `B-${i}` },
		}));
		const result = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...campaign, sendingOptions: { ...FAST, maxAttempts: 5 } },
			{ items },
		);

		expect(result.items).toHaveLength(50);
		const sent = result.items.filter((item) => item.json.status === 'sent');
		const failed = result.items.filter((item) => item.json.status === 'failed');
		expect(sent.length + failed.length).toBe(50);
		expect(result.items.some((item) => (item.json.attempts as number) > 1)).toBe(true);

		const acceptedTo = ctx.sandbox.accepted.map((message) => message.to);
		expect(new Set(acceptedTo).size).toBe(acceptedTo.length);
		for (const item of sent) expect(acceptedTo).toContain(item.json.to);
		// A failure after which the gateway may have acted is reported as failed and left for a person to check.
		for (const item of failed)
			expect(item.json.error).toMatch(/Sobot (rejected|dropped|could not)/);
		expect(ctx.sandbox.faults.injected.drop ?? 0).toBeGreaterThan(0);
	});

	test('the breaker leaves the rest "not sent" after consecutive gateway failures', async () => {
		const items = Array.from({ length: 8 }, (_, i) => ({
			json: { mobile: `9198123${i}0000`, name: 'X', order: 'o' },
		}));
		const result = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...campaign, sendingOptions: { ...FAST, stopAfterConsecutiveFailures: 3 } },
			{ items },
		);
		expect(result.items.map((item) => item.json.status)).toEqual([
			'failed',
			'failed',
			'failed',
			'not sent',
			'not sent',
			'not sent',
			'not sent',
			'not sent',
		]);
		expect(result.items[3].json).toMatchObject({
			notSent: true,
			attempts: 0,
			error: expect.stringMatching(/^Not sent: stopped after 3 consecutive failures/),
		});
		expect(ctx.sandbox.requestsTo('sobot', '/message/')).toHaveLength(3);
	});

	test('a template that is not approved stops the campaign before anything is sent', async () => {
		const items = [{ json: { mobile: '919800000001', name: 'A', order: 'o' } }];
		const pending = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...campaign, template: { __rl: true, mode: 'name', value: 'diwali_sale' } },
			{ items },
		);
		expect(errorText(pending)).toMatch(/^Template \(item 0\): "diwali_sale" is pending in Sobot/);
		const unknown = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...campaign, template: { __rl: true, mode: 'name', value: 'nope' }, language: 'en' },
			{ items },
		);
		expect(errorText(unknown)).toBe('Template (item 0): Sobot lists no template named "nope"');
		expect(ctx.sandbox.requestsTo('sobot', '/message/')).toHaveLength(0);
	});

	test('with Continue On Fail a bad template is reported on every recipient instead', async () => {
		const items = [
			{ json: { mobile: '919800000001', name: 'A' } },
			{ json: { mobile: '919800000002', name: 'B' } },
		];
		const result = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{
				...campaign,
				template: { __rl: true, mode: 'name', value: 'free_money' },
				bodyParameters: {},
			},
			{ items, continueOnFail: true },
		);
		expect(result.items.map((item) => [item.json.status, item.json.error])).toEqual([
			['failed', expect.stringMatching(/^Template \(item 0\): "free_money" is rejected/)],
			['failed', expect.stringMatching(/^Template \(item 1\): "free_money" is rejected/)],
		]);
		expect(ctx.sandbox.requestsTo('sobot', '/message/')).toHaveLength(0);
	});

	test('"Skip Repeated Recipients" off sends to a repeated number again', async () => {
		const items = [
			{ json: { mobile: '919800000001', name: 'A', order: '1' } },
			{ json: { mobile: '09800000001', name: 'A', order: '2' } },
		];
		const result = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...campaign, defaultCountryCode: '91', skipRepeatedRecipients: false },
			{ items },
		);
		expect(result.items.map((item) => item.json.status)).toEqual(['sent', 'sent']);
	});
});

describe('Sobot › Campaign pacing defaults', () => {
	const fakeContext = (sendingOptions: IDataObject) =>
		({
			getNodeParameter: () => sendingOptions,
			getNode: () => ({ name: 'Sobot', type: 'n8n-nodes-whatsapp-gateways.sobot' }),
			getInputData: () => [{ json: {} }],
			getTimezone: () => 'UTC',
		}) as unknown as IExecuteFunctions;

	test('a campaign waits a random 3 to 8 s unless told otherwise; other sends keep no delay', () => {
		expect(readCampaignSendingOptions(fakeContext({})).delay).toEqual({
			mode: 'random',
			minMs: 3000,
			maxMs: 8000,
		});
		expect(readCampaignSendingOptions(fakeContext({ concurrency: 1 })).delay).toEqual({
			mode: 'random',
			minMs: 3000,
			maxMs: 8000,
		});
		expect(readCampaignSendingOptions(fakeContext({ delayMode: 'none' })).delay).toEqual({
			mode: 'none',
		});
		expect(
			readCampaignSendingOptions(fakeContext({ delayMode: 'fixed', delayMs: 500 })).delay,
		).toEqual({ mode: 'fixed', ms: 500 });
		expect(
			readCampaignSendingOptions(fakeContext({ delayMinMs: 100, delayMaxMs: 200 })).delay,
		).toEqual({ mode: 'random', minMs: 100, maxMs: 200 });
		expect(readSendingOptions(fakeContext({})).delay).toEqual({ mode: 'none' });
	});
});
