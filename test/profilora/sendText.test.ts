import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import { runNode } from '../harness/engine';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { everythingVisible, expectNoSecrets } from '../harness/secrets';

const ctx = useSandbox();
const AGENT = DEFAULT_CREDENTIALS.profilora.agents[0];
const { apiKey, apiSecret } = DEFAULT_CREDENTIALS.profilora;

function sendText(
	parameters: Record<string, unknown>,
	extra: Partial<Parameters<typeof runNode>[0]> = {},
) {
	return runNode({
		node: new Profilora(),
		credentials: profiloraCredentials(ctx.sandbox),
		parameters: { resource: 'message', operation: 'sendText', ...parameters } as never,
		...extra,
	});
}

describe('Profilora › Message › Send Text', () => {
	test('sends one message with Basic auth and normalised JIDs, and returns the eventId', async () => {
		const result = await sendText({
			sender: '0811 0000 0001',
			recipient: '+62 812-3456-7890',
			text: 'Halo, pesanan Anda sudah dikirim',
		});

		expect(result.error).toBeUndefined();
		const requests = ctx.sandbox.requestsTo('profilora', '/whatsapp/send-message');
		expect(requests).toHaveLength(1);
		const [request] = requests;
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.headers.authorization).toBe(
			`Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
		);
		expect(request.body).toEqual({
			sender: AGENT,
			to: '6281234567890@s.whatsapp.net',
			message: 'Halo, pesanan Anda sudah dikirim',
		});

		const [sent] = ctx.sandbox.profilora.sent;
		expect(result.items).toEqual([
			{
				json: {
					eventId: sent.eventId,
					message: 'Message will be processed',
					status: 'accepted',
					sender: AGENT,
					to: '6281234567890@s.whatsapp.net',
					attempts: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(sent.eventId).toMatch(/^[A-Za-z0-9_-]{21}$/);
	});

	test('reads fields per item from expressions and keeps group ids untouched', async () => {
		const result = await sendText(
			{ sender: AGENT, recipient: '={{ $json.to }}', text: '=Hi {{ $json.name }}' },
			{
				items: [
					{ json: { to: '120363025246125486@g.us', name: 'Group' } },
					{ json: { to: '0857 1111 2222', name: 'Sari' } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(
			ctx.sandbox.requestsTo('profilora', '/whatsapp/send-message').map((r) => r.body),
		).toEqual([
			{ sender: AGENT, to: '120363025246125486@g.us', message: 'Hi Group' },
			{ sender: AGENT, to: '6285711112222@s.whatsapp.net', message: 'Hi Sari' },
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('refuses an impossible number before any request, naming the field and the item', async () => {
		const result = await sendText(
			{ sender: AGENT, recipient: '={{ $json.to }}', text: 'x' },
			{ items: [{ json: { to: '0812 3456 7890' } }, { json: { to: '0812-CALL-ME' } }] },
		);
		expect(result.error?.message).toBe(
			'Recipient (item 1): "0812-CALL-ME" contains characters that are not digits',
		);
		// All items are validated before the first message goes out: nothing was sent.
		expect(ctx.sandbox.requestsTo('profilora', '/whatsapp/send-message')).toHaveLength(0);
	});

	test('Continue On Fail: one output item per input item, good ones sent, bad ones explained', async () => {
		const items = [
			{ json: { to: '0812 0000 0001', text: 'a' } },
			{ json: { to: 'not a number', text: 'b' } },
			{ json: { to: '0812 0000 0003', text: '' } },
			{ json: { to: '0812 0000 0004', text: 'd' } },
			{ json: { to: '0812 0000 0005', text: 'e', sender: '6289999999999' } },
		];
		const result = await sendText(
			{
				sender: `={{ $json.sender ?? "${AGENT}" }}`,
				recipient: '={{ $json.to }}',
				text: '={{ $json.text }}',
			},
			{ items, continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(result.items.map((i) => i.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(result.items[0].json).toMatchObject({
			status: 'accepted',
			to: '6281200000001@s.whatsapp.net',
			attempts: 1,
		});
		expect(result.items[1].json).toMatchObject({
			error: 'Recipient (item 1): "not a number" contains characters that are not digits',
			attempts: 0,
		});
		expect(result.items[2].json).toMatchObject({
			error: 'Text (item 2): is required but empty',
			attempts: 0,
		});
		expect(result.items[3].json).toMatchObject({
			status: 'accepted',
			to: '6281200000004@s.whatsapp.net',
		});
		// The gateway refuses a sender that is not one of the account's agents: its words reach the user.
		expect(result.items[4].json).toMatchObject({
			error:
				'Profilora rejected the request (HTTP 400): Sender 6289999999999@s.whatsapp.net is not an active agent of this account',
			statusCode: 400,
			sender: '6289999999999@s.whatsapp.net',
			to: '6281200000005@s.whatsapp.net',
			attempts: 1,
		});
		expect(ctx.sandbox.profilora.sent.map((m) => m.to)).toEqual([
			'6281200000001@s.whatsapp.net',
			'6281200000004@s.whatsapp.net',
		]);
	});

	test('a wrong secret fails with a clear message and leaks neither key nor secret', async () => {
		const result = await runNode({
			node: new Profilora(),
			credentials: {
				profiloraApi: {
					apiKey,
					apiSecret: 'wrong-secret-value',
					baseUrl: ctx.sandbox.baseUrl('profilora'),
				},
			},
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: AGENT,
				recipient: '0812 3456 7890',
				text: 'x',
			},
		});
		expect(result.error?.message).toBe(
			'Profilora rejected the request (HTTP 401): Unauthorized: invalid API key or secret',
		);
		expectNoSecrets(result, [apiKey, 'wrong-secret-value']);
	});

	test('neither key nor secret appears in outputs, errors or execution data, with Continue On Fail', async () => {
		const result = await sendText(
			{ sender: AGENT, recipient: '={{ $json.to }}', text: 'x' },
			{
				items: [
					{ json: { to: '0812 3456 7890' } },
					{ json: { to: 'bad' } },
					{ json: { to: '999' } },
				],
				continueOnFail: true,
			},
		);
		expect(result.items).toHaveLength(3);
		expectNoSecrets(result, [apiKey, apiSecret]);
		expect(everythingVisible(result)).not.toMatch(/Basic [A-Za-z0-9+/=]{10,}/);
	});

	test('an unreachable gateway is reported as such, per item', async () => {
		const result = await runNode({
			node: new Profilora(),
			credentials: { profiloraApi: { apiKey, apiSecret, baseUrl: 'http://127.0.0.1:9' } },
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: AGENT,
				recipient: '0812 3456 7890',
				text: 'x',
				sendingOptions: { maxAttempts: 2, retryBaseDelayMs: 1 },
			},
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			error: 'Profilora could not be reached (connection refused)',
			attempts: 2,
		});
	});
});

describe('Profilora › the per-run ledger of sent messages', () => {
	test('is kept in the execution only while a re-run could need it: emptied after a run without failures', async () => {
		const ok = await sendText(
			{ sender: AGENT, recipient: '={{ $json.to }}', text: 'x' },
			{ items: [{ json: { to: '0812 0000 0001' } }, { json: { to: '0812 0000 0002' } }] },
		);
		const context = ok.run.data.executionData?.contextData ?? {};
		expect(context['node:Node Under Test']).toEqual({
			whatsappGatewaysSentLedger: { runIndex: 0, entries: {} },
		});

		const mixed = await sendText(
			{ sender: `={{ $json.sender ?? "${AGENT}" }}`, recipient: '={{ $json.to }}', text: 'x' },
			{
				items: [
					{ json: { to: '0812 0000 0001' } },
					{ json: { to: '0812 0000 0002', sender: '6289999999999' } },
				],
				continueOnFail: true,
			},
		);
		const entries = (
			mixed.run.data.executionData?.contextData['node:Node Under Test'] as {
				whatsappGatewaysSentLedger: { entries: Record<string, { state: string }> };
			}
		).whatsappGatewaysSentLedger.entries;
		// Item 0 went out and stays recorded, so a re-run would not send it again; item 1 was refused (not uncertain).
		expect(Object.keys(entries)).toEqual(['0']);
		expect(entries[0].state).toBe('sent');
	});
});
