/**
 * Stop on account-level signals (nodes/shared/sending/accountSignal.ts, runSends): for every gateway and every signal
 * the sandbox can give (sandbox/accountSignals.ts), the run stops at the reply that says so, makes no request after
 * it, returns every remaining item "not sent" with the reason (one output per input), and a re-run under the same
 * Resume Key / Campaign ID after the fix ("unban") sends exactly the rest.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { GatewayError } from '../../nodes/shared/http/transport';
import { accountSignalOf } from '../../nodes/shared/sending/accountSignal';
import type { AccountSignalKind } from '../../sandbox/accountSignals';
import { ACCOUNT_SIGNAL_KINDS } from '../../sandbox/accountSignals';
import type { GatewayVendor } from '../../sandbox/credentials';
import { DEFAULT_CREDENTIALS } from '../../sandbox/credentials';
import { runNode } from '../harness/engine';
import { ProcessedDataStore } from '../harness/processedData';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { runSobot } from '../sobot/helpers';
import { run as runWaChatPro } from '../wachatpro/helpers';

const ctx = useSandbox();

const SEND_PATH: Record<GatewayVendor, string> = {
	profilora: '/whatsapp/send-message',
	wachatpro: '/wa/send',
	sobot: '/message/',
};

// Ends in 5: the sandbox refuses numbers ending in 0000 (not on WhatsApp).
const number = (i: number) => `628123${String(i).padStart(4, '0')}5`;
const items = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ json: { to: number(i), name: `C${i}` } }));

const FAST = { retryBaseDelayMs: 1, delayMode: 'none' };

async function send(
	vendor: GatewayVendor,
	count: number,
	{ key, store }: { key: string; store: ProcessedDataStore },
) {
	if (vendor === 'profilora') {
		return await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: DEFAULT_CREDENTIALS.profilora.agents[0],
				recipient: '={{ $json.to }}',
				text: 'Promo',
				sendingOptions: { ...FAST, resumeKey: key },
			} as never,
			items: items(count),
			continueOnFail: true,
			processedData: store,
		});
	}
	if (vendor === 'wachatpro') {
		return await runWaChatPro(
			ctx.sandbox,
			'message',
			'sendText',
			{
				recipient: { __rl: true, mode: 'phone', value: '={{ $json.to }}' },
				text: 'Promo',
				sendingOptions: { ...FAST, resumeKey: key },
			},
			{ items: items(count), continueOnFail: true, processedData: store },
		);
	}
	// Sobot: a campaign, which reports every line whatever Continue On Fail says.
	return await runSobot(
		ctx.sandbox,
		'campaign',
		'send',
		{
			recipient: '={{ $json.to }}',
			customerName: '={{ $json.name }}',
			template: { __rl: true, mode: 'list', value: 'order_update' },
			campaignName: key,
			bodyParameters: {
				parameter: [{ text: '={{ $json.name }}' }, { text: 'A-1' }, { text: 'Friday' }],
			},
			sendingOptions: FAST,
		},
		{ items: items(count), processedData: store },
	);
}

const requests = (vendor: GatewayVendor) => ctx.sandbox.requestsTo(vendor, SEND_PATH[vendor]);
const accepted = (vendor: GatewayVendor) => ctx.sandbox.accepted.filter((m) => m.vendor === vendor);
const notSent = (list: INodeExecutionData[]) => list.filter((i) => i.json.notSent === true);

const cases: Array<[GatewayVendor, AccountSignalKind]> = (
	['profilora', 'wachatpro', 'sobot'] as GatewayVendor[]
).flatMap((vendor) =>
	ACCOUNT_SIGNAL_KINDS.map((kind) => [vendor, kind] as [GatewayVendor, AccountSignalKind]),
);

describe('a signal after 3 of 10 messages stops the run at once', () => {
	test.each(cases)('%s, %s', async (vendor, signal) => {
		const store = new ProcessedDataStore();
		ctx.sandbox.accountSignals.configure({ vendor, signal, afterMessages: 3 });
		const first = await send(vendor, 10, { key: `k-${vendor}-${signal}`, store });

		expect(first.error).toBeUndefined();
		expect(first.items.map((i) => i.pairedItem)).toEqual(
			Array.from({ length: 10 }, (_, item) => ({ item })),
		);
		expect(accepted(vendor)).toHaveLength(3);
		// The 4th request met the signal; none after it.
		expect(requests(vendor)).toHaveLength(4);
		const stopped = notSent(first.items);
		expect(stopped).toHaveLength(7);
		expect(first.items.slice(3).every((i) => i.json.notSent === true)).toBe(true);
		for (const item of stopped) expect(typeof item.json.accountSignal).toBe('string');
		expect(first.items[5].json.error).toMatch(/^Not sent: the run stopped because /);
		if (vendor === 'sobot')
			expect(first.items.map((i) => i.json.status)).toEqual([
				...Array(3).fill('sent'),
				...Array(7).fill('not sent'),
			]);

		// Fixed ("unban"): the same key sends the 7 that did not go out, once.
		ctx.sandbox.accountSignals.configure({ vendor, signal: 'none' });
		const second = await send(vendor, 10, { key: `k-${vendor}-${signal}`, store });
		expect(second.error).toBeUndefined();
		expect(accepted(vendor)).toHaveLength(10);
		expect(new Set(accepted(vendor).map((m) => m.to)).size).toBe(10);
		expect(second.items.filter((i) => i.json.alreadySent === true)).toHaveLength(3);
		expect(notSent(second.items)).toHaveLength(0);
	});
});

describe('what each signal is read as', () => {
	const kindOf: Record<AccountSignalKind, string> = {
		banned: 'banned',
		restricted: 'banned',
		loggedOut: 'disconnected',
		disconnected: 'disconnected',
		unauthorized: 'credentials',
		rateLimited: 'rateLimited',
	};
	test.each(cases)('%s, %s', async (vendor, signal) => {
		ctx.sandbox.accountSignals.configure({ vendor, signal });
		const result = await send(vendor, 2, {
			key: `read-${vendor}-${signal}`,
			store: new ProcessedDataStore(),
		});
		if (vendor === 'sobot' && signal === 'unauthorized') {
			// A campaign reads its template first: refused keys fail the node before any message.
			expect(result.error?.message).toMatch(/401|Invalid API key/);
			expect(requests(vendor)).toHaveLength(0);
			return;
		}
		expect(result.items[0].json.accountSignal).toBe(kindOf[signal]);
		expect(result.items[1].json.error).toContain(
			vendor === 'profilora'
				? 'Profilora says'
				: vendor === 'wachatpro'
					? 'WAChatPro says'
					: 'Sobot says',
		);
	});

	test('WAChatPro refusing with HTTP 200 and status false is read the same', async () => {
		ctx.sandbox.accountSignals.configure({
			vendor: 'wachatpro',
			signal: 'loggedOut',
			inBody: true,
		});
		const result = await send('wachatpro', 3, { key: 'in-body', store: new ProcessedDataStore() });
		expect(result.items.map((i) => i.json.accountSignal)).toEqual([
			'disconnected',
			'disconnected',
			'disconnected',
		]);
		expect(requests('wachatpro')).toHaveLength(1);
	});

	test('without Continue On Fail the node fails at the signal, and nothing more is sent', async () => {
		ctx.sandbox.accountSignals.configure({
			vendor: 'profilora',
			signal: 'banned',
			afterMessages: 2,
		});
		const result = await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: DEFAULT_CREDENTIALS.profilora.agents[0],
				recipient: '={{ $json.to }}',
				text: 'Promo',
				sendingOptions: { ...FAST, concurrency: 3 },
			} as never,
			items: items(20),
		});
		expect(result.error?.message).toMatch(/banned/);
		expect(accepted('profilora')).toHaveLength(2);
		// Three in flight at most when the signal came: none started after it.
		expect(requests('profilora').length).toBeLessThanOrEqual(2 + 3);
		const firstRefused = requests('profilora').findIndex((r) => r.status === 403);
		expect(
			requests('profilora')
				.slice(firstRefused + 1)
				.every((r) => r.at <= requests('profilora')[firstRefused].at || r.status === 403),
		).toBe(true);
	});
});

describe("replies that are one message's problem do not stop the run", () => {
	const error = (statusCode: number, body: unknown) =>
		new GatewayError({ name: 'x' } as never, 'x', {
			service: 'WAChatPro',
			statusCode,
			body,
			retry: 'never',
		});
	test.each([
		[400, { status: false, message: 'Number 6281200000000 is not registered on WhatsApp' }],
		[200, { message: 'Invalid mobile number', code: 400 }],
		[400, { message: '"to" is required' }],
		[422, { message: 'Free-form messages need the customer to have written within 24 hours' }],
		[500, { message: 'Internal server error' }],
		[404, { message: 'Template not found' }],
	])('HTTP %s %j', (status, body) => {
		expect(accountSignalOf(error(status, body))).toBeUndefined();
	});
	test.each([
		[400, { status: false, message: 'Instance tidak berjalan' }, 'disconnected'],
		[400, { status: false, message: 'Perangkat terputus' }, 'disconnected'],
		[200, { status: false, message: 'No active session, scan QR' }, 'disconnected'],
		[
			400,
			{ message: 'Sender 62811@s.whatsapp.net is not an active agent of this account' },
			'disconnected',
		],
		[400, { error: { code: 131031, message: 'Business Account locked' } }, 'banned'],
		[400, { error: { code: 131048, message: 'Spam rate limit hit' } }, 'rateLimited'],
		[403, { message: 'Forbidden' }, 'credentials'],
		[429, 'Too Many Requests', 'rateLimited'],
	])('HTTP %s %j is %s', (status, body, kind) => {
		expect(accountSignalOf(error(status, body))?.kind).toBe(kind);
	});
	test('no reply at all (a timeout) says nothing about the account', () => {
		const timeout = new GatewayError({ name: 'x' } as never, 'x', {
			service: 'Sobot',
			code: 'ETIMEDOUT',
			retry: 'ambiguous',
		});
		expect(accountSignalOf(timeout)).toBeUndefined();
	});
});
