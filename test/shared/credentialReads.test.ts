/**
 * The transport reads a credential once per node run and hands it to n8n's helper, instead of reading it for
 * our base URL and secrets and letting the helper read it again on every request (in n8n each read is a
 * database query and a decryption). Auth must still be applied by n8n's helper through the credential's
 * `authenticate`, so every request here is also checked for the auth the gateway requires.
 */
import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import { runNode } from '../harness/engine';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { ACCESS_KEY, runSobot, SECRET_KEY } from '../sobot/helpers';
import { KEY, run as runWaChatPro } from '../wachatpro/helpers';

const ctx = useSandbox();

const items = (count: number) =>
	Array.from({ length: count }, (_, i) => ({
		json: { to: `62812345678${String(i).padStart(2, '0')}`, text: `Message ${i}` },
	}));

describe('one credential read per node run', () => {
	test('Profilora: 5 sends, one read, and n8n applied Basic auth to each request', async () => {
		const result = await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: DEFAULT_CREDENTIALS.profilora.agents[0],
				recipient: '={{ $json.to }}',
				text: '={{ $json.text }}',
			} as never,
			items: items(5),
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		expect(result.credentialReads).toBe(1);
		const { apiKey, apiSecret } = DEFAULT_CREDENTIALS.profilora;
		const basic = `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`;
		const requests = ctx.sandbox.requestsTo('profilora', '/whatsapp/send-message');
		expect(requests.map((r) => r.headers.authorization)).toEqual(Array(5).fill(basic));
	});

	test('WAChatPro: 5 sends, one read, and the key in every body', async () => {
		const result = await runWaChatPro(
			ctx.sandbox,
			'message',
			'sendText',
			{ recipient: '={{ $json.to }}', text: '={{ $json.text }}' },
			{ items: items(5) },
		);
		expect(result.error).toBeUndefined();
		expect(result.credentialReads).toBe(1);
		expect(
			ctx.sandbox.requestsTo('wachatpro', '/wa/send').map((r) => (r.body as { key?: string }).key),
		).toEqual(Array(5).fill(KEY));
	});

	test('Sobot: a list over two pages, one read, and both key headers on every page', async () => {
		for (let i = 0; i < 30; i++) {
			ctx.sandbox.sobot.templates.push({
				...ctx.sandbox.sobot.templates[0],
				id: 500 + i,
				entity_name: `t_${i}`,
			});
		}
		const result = await runSobot(ctx.sandbox, 'template', 'getAll', {
			status: 'approved',
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.credentialReads).toBe(1);
		const pages = ctx.sandbox.requestsTo('sobot', '/api/template/');
		expect(pages).toHaveLength(2);
		expect(pages.map((r) => [r.headers['x-api-key'], r.headers['x-api-secret']])).toEqual([
			[ACCESS_KEY, SECRET_KEY],
			[ACCESS_KEY, SECRET_KEY],
		]);
	});

	test("n8n's Retry On Fail re-runs the node, and each run reads the credential afresh", async () => {
		ctx.sandbox.faults.configure({
			rate: 1,
			seed: 1,
			kinds: { '503': 1 },
			pathPattern: '^/whatsapp/send-message$',
		});
		const result = await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: DEFAULT_CREDENTIALS.profilora.agents[0],
				recipient: '={{ $json.to }}',
				text: '={{ $json.text }}',
				sendingOptions: { maxAttempts: 1 },
			} as never,
			items: items(1),
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		expect(result.error).toBeDefined();
		expect(result.credentialReads).toBe(2);
	});
});
