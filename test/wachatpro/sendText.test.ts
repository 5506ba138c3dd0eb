import { useSandbox } from '../harness/sandbox';
import { everythingVisible, expectNoSecrets } from '../harness/secrets';
import { KEY, run, withCapturedLogs } from './helpers';

const ctx = useSandbox();

const sendText = (parameters: Record<string, unknown>, extra: Parameters<typeof run>[4] = {}) =>
	run(ctx.sandbox, 'message', 'sendText', parameters, extra);

describe('WAChatPro › Message › Send Text', () => {
	test('POSTs key, digits-only phone and text to /wa/send, and returns the reply with its unknown fields', async () => {
		const result = await sendText({
			recipient: '+62 812-3456-7890',
			text: ' Halo, pesanan Anda sudah dikirim ',
		});

		expect(result.error).toBeUndefined();
		const requests = ctx.sandbox.requestsTo('wachatpro', '/wa/send');
		expect(requests).toHaveLength(1);
		const [request] = requests;
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.headers.authorization).toBeUndefined();
		expect(request.body).toEqual({
			key: KEY,
			phone: '6281234567890',
			body: ' Halo, pesanan Anda sudah dikirim ',
		});

		const [accepted] = ctx.sandbox.accepted;
		expect(accepted).toMatchObject({ vendor: 'wachatpro', to: '6281234567890', type: 'text' });
		expect(result.items).toEqual([
			{
				json: {
					to: '6281234567890',
					status: true,
					message: 'Message sent',
					data: { id: accepted.id, phone: '6281234567890', status: 'sent' },
					attempts: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
		// The sent message shows up in that chat.
		expect(ctx.sandbox.wachatpro.messages.get('6281234567890')).toEqual([
			expect.objectContaining({
				id: accepted.id,
				fromMe: true,
				body: ' Halo, pesanan Anda sudah dikirim ',
			}),
		]);
	});

	test('reads fields per item from expressions and normalises every number form', async () => {
		const result = await sendText(
			{ recipient: '={{ $json.to }}', text: '=Hi {{ $json.name }}' },
			{
				items: [
					{ json: { to: '0812 3456 7890', name: 'Andi' } },
					{ json: { to: '6281234567891@s.whatsapp.net', name: 'Budi' } },
					{ json: { to: '+91 98123 45678', name: 'Priya' } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/send').map((r) => r.body)).toEqual([
			{ key: KEY, phone: '6281234567890', body: 'Hi Andi' },
			{ key: KEY, phone: '6281234567891', body: 'Hi Budi' },
			{ key: KEY, phone: '919812345678', body: 'Hi Priya' },
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test.each([
		[
			'0812-CALL-ME',
			'text',
			'Recipient (item 1): "0812-CALL-ME" contains characters that are not digits',
		],
		[
			'120363025246125486@g.us',
			'text',
			'Recipient (item 1): "120363025246125486@g.us" is a group id, not a phone number',
		],
		['0812 3456 7890', '', 'Text (item 1): is required but empty'],
	])(
		'refuses %j / text %j before any request, naming field and item',
		async (phone, text, message) => {
			const result = await sendText(
				{ recipient: '={{ $json.phone }}', text: '={{ $json.text }}' },
				{ items: [{ json: { phone: '0812 3456 7890', text: 'ok' } }, { json: { phone, text } }] },
			);
			expect(result.error?.message).toBe(message);
			expect(ctx.sandbox.requestsTo('wachatpro')).toHaveLength(0);
		},
	);

	test('Continue On Fail: one output item per input, good ones sent, bad and refused ones explained', async () => {
		const result = await sendText(
			{ recipient: '={{ $json.phone }}', text: '={{ $json.text }}' },
			{
				continueOnFail: true,
				items: [
					{ json: { phone: '0812 0000 0001', text: 'a' } },
					{ json: { phone: 'nope', text: 'b' } },
					{ json: { phone: '0812 1111 0000', text: 'c' } },
					{ json: { phone: '0812 0000 0004', text: 'd' } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(result.items[0].json).toMatchObject({ to: '6281200000001', status: true, attempts: 1 });
		expect(result.items[1].json).toMatchObject({
			error: 'Recipient (item 1): "nope" contains characters that are not digits',
			attempts: 0,
		});
		expect(result.items[2].json).toMatchObject({
			error:
				'WAChatPro rejected the request (HTTP 422): Number 6281211110000 is not registered on WhatsApp',
			statusCode: 422,
			to: '6281211110000',
			attempts: 1,
		});
		expect(result.items[3].json).toMatchObject({ to: '6281200000004', status: true });
		expect(ctx.sandbox.accepted.map((m) => m.to)).toEqual(['6281200000001', '6281200000004']);
	});

	test('a gateway that echoes the request in its error never gets the key into outputs, errors or logs', async () => {
		const { result: stopped, logs } = await withCapturedLogs(
			async () => await sendText({ recipient: '0812 1111 0000', text: 'x' }),
		);
		expect(logs).toContain('not registered on WhatsApp');
		expect(logs).not.toContain(KEY);
		expect(stopped.error?.message).toBe(
			'WAChatPro rejected the request (HTTP 422): Number 6281211110000 is not registered on WhatsApp',
		);
		// The sandbox did echo the key: the scrubbing is what keeps it out.
		const [request] = ctx.sandbox.requestsTo('wachatpro', '/wa/send');
		expect(request.body).toMatchObject({ key: KEY });
		expect((stopped.error as { description?: string }).description).toContain('[redacted]');
		expectNoSecrets(stopped, [KEY]);

		const continued = await sendText(
			{ recipient: '0812 1111 0000', text: 'x' },
			{ continueOnFail: true },
		);
		expect(continued.items[0].json.errorDescription).toContain('Rejected request');
		expectNoSecrets(continued, [KEY]);
	});

	test('a gateway that echoes the request in a successful reply never gets the key into the output', async () => {
		ctx.sandbox.wachatpro.echoRequests = true;
		const result = await sendText({ recipient: '0812 3456 7890', text: 'x' });
		expect(result.items[0].json.request).toEqual({
			key: '[redacted]',
			phone: '6281234567890',
			body: 'x',
		});
		expectNoSecrets(result, [KEY]);
	});

	test('a wrong key fails clearly, and the wrong key is not shown either', async () => {
		const result = await run(
			ctx.sandbox,
			'message',
			'sendText',
			{ recipient: '0812 3456 7890', text: 'x' },
			{
				credentials: {
					waChatProApi: { secretKey: 'wrong-key-value', baseUrl: ctx.sandbox.baseUrl('wachatpro') },
				},
			},
		);
		expect(result.error?.message).toBe('WAChatPro rejected the request (HTTP 401): Invalid key');
		expectNoSecrets(result, [KEY, 'wrong-key-value']);
	});

	test('a gateway that reports failures as 200 with status false is still failing', async () => {
		ctx.sandbox.wachatpro.errorStyle = 'body';
		const result = await sendText(
			{ recipient: '={{ $json.phone }}', text: 'x' },
			{
				continueOnFail: true,
				items: [{ json: { phone: '0812 1111 0000' } }, { json: { phone: '0812 3456 7890' } }],
			},
		);
		expect(result.items[0].json).toMatchObject({
			error:
				'WAChatPro rejected the request (HTTP 200, a failure in the body): Number 6281211110000 is not registered on WhatsApp',
		});
		expect(result.items[1].json).toMatchObject({ to: '6281234567890', status: true });
		expectNoSecrets(result, [KEY]);
		expect(everythingVisible(result)).toContain('[redacted]');
	});
});
