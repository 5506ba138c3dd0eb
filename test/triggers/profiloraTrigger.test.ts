/**
 * Profilora Trigger through n8n-core's WebhookContext, fed by the sandbox: status webhooks after real
 * sends through the Profilora node, incoming messages and single statuses through the admin API.
 */
import type { IDataObject } from 'n8n-workflow';

import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { ProfiloraTrigger } from '../../nodes/ProfiloraTrigger/ProfiloraTrigger.node';
import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import { runNode } from '../harness/engine';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { admin, AUTH_CASES, CREDENTIALS, listen, SECRET, statuses } from './helpers';

const ctx = useSandbox();
const AGENT = DEFAULT_CREDENTIALS.profilora.agents[0];

async function send(recipient: string, text = 'Your order has shipped'): Promise<string> {
	const { items, error } = await runNode({
		node: new Profilora(),
		parameters: { resource: 'message', operation: 'sendText', sender: AGENT, recipient, text },
		credentials: profiloraCredentials(ctx.sandbox),
	});
	expect(error).toBeUndefined();
	await ctx.sandbox.webhooks.idle();
	return items[0].json.eventId as string;
}

describe('Profilora Trigger: events', () => {
	it('emits sent, delivered and read for a real send, with normalised fields first and the raw payload', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		const eventId = await send('+62 812-3456-7890');

		expect(statuses(ctx.sandbox)).toEqual([200, 200, 200]);
		const items = endpoint.executions.map((run) => run[0].json);
		expect(items.map((item) => item.status)).toEqual(['sent', 'delivered', 'read']);
		const [sent] = items;
		expect(Object.keys(sent).slice(0, 4)).toEqual(['service', 'event', 'messageId', 'status']);
		expect(sent).toMatchObject({
			service: 'profilora',
			event: 'status',
			messageId: eventId,
			to: '6281234567890',
			toRaw: '6281234567890@s.whatsapp.net',
			text: 'Your order has shipped',
			messageType: 'text',
			media: null,
		});
		expect(sent.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(sent.receivedAt).toMatch(/Z$/);
		expect(sent.raw).toEqual(ctx.sandbox.webhooks.log[0].body);
		expect((sent.raw as IDataObject).eventId).toBe(eventId);
	});

	it('reports a failed delivery (recipient ending in 999)', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		const eventId = await send('6281234500999');
		expect(endpoint.executions.map((run) => [run[0].json.messageId, run[0].json.status])).toEqual([
			[eventId, 'sent'],
			[eventId, 'failed'],
		]);
	});

	it.each(['waData', 'both'] as const)(
		'finds eventId when the sandbox puts it %s',
		async (placement) => {
			ctx.sandbox.profilora.eventIdPlacement = placement;
			const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
			const eventId = await send('6281234567890');
			expect(endpoint.executions.map((run) => run[0].json.messageId)).toEqual([
				eventId,
				eventId,
				eventId,
			]);
		},
	);

	it('emits an incoming message with sender, agent, name and text; from/to as digits, the JIDs under fromRaw/toRaw', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'profilora',
			from: '6289876543210',
			text: 'Is it in stock?',
		});
		expect(endpoint.executions).toHaveLength(1);
		const item = endpoint.executions[0][0].json;
		expect(item).toMatchObject({
			service: 'profilora',
			event: 'message',
			status: 'received',
			from: '6289876543210',
			to: AGENT.replace(/@.*$/, ''),
			fromRaw: '6289876543210@s.whatsapp.net',
			toRaw: AGENT,
			name: 'Sandbox Customer',
			text: 'Is it in stock?',
			messageType: 'text',
		});
		expect(item.messageId).toEqual(expect.any(String));
	});

	it('leaves the raw payload out when Include Raw Payload is off', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			options: { includeRaw: false },
		});
		await admin(ctx.sandbox, '/incoming', { vendor: 'profilora', from: '6289876543210' });
		expect(endpoint.executions[0][0].json).not.toHaveProperty('raw');
	});
});

describe('Profilora Trigger: filter', () => {
	it('with Incoming Message only, acknowledges statuses with 200 and starts nothing for them', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			events: 'message',
		});
		await send('6281234567890');
		await admin(ctx.sandbox, '/incoming', { vendor: 'profilora', from: '6289876543210' });
		expect(statuses(ctx.sandbox)).toEqual([200, 200, 200, 200]);
		expect(endpoint.handled.slice(0, 3).map((h) => h.response)).toEqual(
			Array(3).fill({ received: true, started: false, reason: 'filtered', events: 1 }),
		);
		expect(endpoint.executions.map((run) => run[0].json.event)).toEqual(['message']);
	});

	it('with Delivery Status and "delivered", starts only for delivered', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			events: 'status',
			statuses: ['delivered'],
		});
		await send('6281234567890');
		await admin(ctx.sandbox, '/incoming', { vendor: 'profilora', from: '6289876543210' });
		expect(statuses(ctx.sandbox)).toEqual([200, 200, 200, 200]);
		expect(endpoint.executions.map((run) => run[0].json.status)).toEqual(['delivered']);
	});

	it('passes statuses beyond the four through Other Statuses (type PLAYED → played)', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			events: 'status',
			statuses: ['read'],
			otherStatuses: 'Played, deleted',
		});
		const eventId = await send('6281234567890');
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: eventId, status: 'played' });
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: eventId, status: 'starred' });
		expect(endpoint.executions.map((run) => run[0].json.status)).toEqual(['read', 'played']);
		expect((ctx.sandbox.webhooks.log[3].body as { waData: { type: string } }).waData.type).toBe(
			'PLAYED',
		);
	});
});

describe('Profilora Trigger: authentication', () => {
	const cases = AUTH_CASES;

	it.each(cases)('$mode: the right secret starts the workflow', async ({ mode, good }) => {
		const endpoint = await listen(
			ctx.sandbox,
			'profilora',
			new ProfiloraTrigger(),
			{ authentication: mode },
			{
				credentials: CREDENTIALS[mode],
				...good,
			},
		);
		await admin(ctx.sandbox, '/incoming', { vendor: 'profilora', from: '6289876543210' });
		expect(statuses(ctx.sandbox)).toEqual([200]);
		expect(endpoint.executions).toHaveLength(1);
	});

	it.each(cases)(
		'$mode: a wrong or missing secret gets 401 and starts nothing',
		async ({ mode, bad }) => {
			const endpoint = await listen(
				ctx.sandbox,
				'profilora',
				new ProfiloraTrigger(),
				{ authentication: mode },
				{
					credentials: CREDENTIALS[mode],
					...bad,
				},
			);
			await admin(ctx.sandbox, '/incoming', { vendor: 'profilora', from: '6289876543210' });
			ctx.sandbox.webhooks.targets.profilora = { url: endpoint.url.replace(/\?.*$/, '') };
			await admin(ctx.sandbox, '/incoming', { vendor: 'profilora', from: '6289876543210' });
			expect(statuses(ctx.sandbox)).toEqual([401, 401]);
			expect(endpoint.executions).toHaveLength(0);
			expect(endpoint.handled[0].response).toEqual({ message: 'Authorization failed' });
		},
	);

	it('basicAuth: asks for credentials with WWW-Authenticate', async () => {
		const endpoint = await listen(
			ctx.sandbox,
			'profilora',
			new ProfiloraTrigger(),
			{ authentication: 'basicAuth' },
			{
				credentials: CREDENTIALS.basicAuth,
			},
		);
		const response = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBe(401);
		expect(response.headers.get('www-authenticate')).toBe('Basic realm="webhook"');
	});

	it('does not accept the same query token twice (ambiguous)', async () => {
		const endpoint = await listen(
			ctx.sandbox,
			'profilora',
			new ProfiloraTrigger(),
			{ authentication: 'queryAuth' },
			{
				credentials: CREDENTIALS.queryAuth,
				query: `?token=${SECRET}&token=${SECRET}`,
			},
		);
		await admin(ctx.sandbox, '/incoming', { vendor: 'profilora', from: '6289876543210' });
		expect(statuses(ctx.sandbox)).toEqual([401]);
		expect(endpoint.executions).toHaveLength(0);
	});
});

describe('Profilora Trigger: refusals', () => {
	it.each([
		['not JSON, sent as text/plain', 'hello', 'text/plain', 400],
		['an empty body', '', 'application/json', 400],
		['JSON without waData', '{"hello":"world"}', 'application/json', 400],
		['a JSON array', '[{"waData":{}}]', 'application/json', 400],
		['waData without a type', '{"waData":{"waInfo":{}}}', 'application/json', 400],
		['a JSON string', '"MESSAGE_SENT"', 'application/json', 400],
		['broken JSON (n8n itself answers 422)', '{"waData":', 'application/json', 422],
	])('refuses %s and starts nothing', async (_what, payload, contentType, status) => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		await ctx.sandbox.webhooks.postRaw('profilora', payload, { contentType });
		expect(statuses(ctx.sandbox)).toEqual([status]);
		expect(endpoint.executions).toHaveLength(0);
	});

	it('accepts a valid body sent as text/plain (parsed from the raw body)', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		const body = {
			waData: {
				type: 'MESSAGE_DELIVERED',
				eventId: 'evt-1',
				waInfo: { fromMe: true, peer: '628123@s.whatsapp.net' },
			},
		};
		await ctx.sandbox.webhooks.postRaw('profilora', JSON.stringify(body), {
			contentType: 'text/plain',
		});
		expect(endpoint.executions[0][0].json).toMatchObject({
			messageId: 'evt-1',
			status: 'delivered',
		});
	});

	it('answers 413 to a body over the cap (3 MB by default) and starts nothing', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'profilora',
			from: '6289876543210',
			text: 'x'.repeat(3 * 1024 * 1024),
		});
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'profilora',
			from: '6289876543210',
			text: 'x'.repeat(3 * 1024 * 1024 - 1000),
		});
		expect(statuses(ctx.sandbox)).toEqual([413, 200]);
		expect(endpoint.executions).toHaveLength(1);
	});

	it('honours a smaller Max Body Size', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			options: { maxBodySizeMb: 0.001 },
		});
		await admin(ctx.sandbox, '/incoming', {
			vendor: 'profilora',
			from: '6289876543210',
			text: 'x'.repeat(1100),
		});
		expect(statuses(ctx.sandbox)).toEqual([413]);
		expect(endpoint.executions).toHaveLength(0);
	});

	it.each(['GET', 'PUT', 'PATCH', 'DELETE'])(
		'answers %s with 405 and Allow: POST',
		async (method) => {
			const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
			await ctx.sandbox.webhooks.postRaw('profilora', '{"waData":{"type":"MESSAGE_SENT"}}', {
				method,
			});
			expect(statuses(ctx.sandbox)).toEqual([405]);
			expect(endpoint.executions).toHaveLength(0);
			const response = await fetch(endpoint.url, { method });
			expect(response.headers.get('allow')).toBe('POST');
		},
	);

	it('checks the method before authentication and authentication before the body', async () => {
		const endpoint = await listen(
			ctx.sandbox,
			'profilora',
			new ProfiloraTrigger(),
			{ authentication: 'headerAuth' },
			{
				credentials: CREDENTIALS.headerAuth,
			},
		);
		await ctx.sandbox.webhooks.postRaw('profilora', 'garbage', {
			method: 'PUT',
			contentType: 'text/plain',
		});
		await ctx.sandbox.webhooks.postRaw('profilora', 'garbage', { contentType: 'text/plain' });
		expect(statuses(ctx.sandbox)).toEqual([405, 401]);
		expect(endpoint.executions).toHaveLength(0);
	});
});

describe('Profilora Trigger: duplicates', () => {
	it('drops the same id and status within the window, without starting an execution, and leaves static data alone', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		const eventId = await send('6281234567890');
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: eventId, status: 'delivered' });
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: eventId, status: 'delivered' });
		expect(statuses(ctx.sandbox)).toEqual([200, 200, 200, 200, 200]);
		expect(endpoint.executions.map((run) => run[0].json.status)).toEqual([
			'sent',
			'delivered',
			'read',
		]);
		expect(endpoint.handled[3].response).toEqual({
			received: true,
			started: false,
			reason: 'duplicate',
			duplicates: 1,
		});
		expect(endpoint.started).toBe(3);
		// n8n saves static data after every execution that changed it: the trigger writes none.
		expect(endpoint.staticData).toEqual({});
	});

	it("records events in n8n's processed-data store inside the execution, not in webhook()", async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: 'evt-store', status: 'read' });
		const [row] = [...endpoint.processedData.rows.values()];
		expect(row).toHaveLength(1);
		// One write, and one look after it (another process may have overwritten it: shared/persistence/processedData.ts).
		expect(endpoint.processedData.calls.map((call) => call.method)).toEqual([
			'checkProcessedAndRecord',
			'checkProcessedAndRecord',
		]);
		expect(endpoint.executions[0][0].pairedItem).toEqual({ item: 0 });
	});

	it('still drops a repeat after a restart (the process forgot it): the store decides', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		await admin(ctx.sandbox, '/status', {
			vendor: 'profilora',
			id: 'evt-lost',
			status: 'delivered',
		});
		endpoint.restart();
		await admin(ctx.sandbox, '/status', {
			vendor: 'profilora',
			id: 'evt-lost',
			status: 'delivered',
		});
		// The webhook's first look cannot know it, so an execution starts, and ends at the trigger with no items.
		expect(endpoint.started).toBe(2);
		expect(endpoint.executions).toHaveLength(1);
		expect(endpoint.handled[1].items).toEqual([]);
	});

	it('lets the event through again once the window has passed', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			options: { dedupeWindowMinutes: 0.002 },
		});
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: 'evt-window', status: 'read' });
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: 'evt-window', status: 'read' });
		await new Promise((resolve) => setTimeout(resolve, 200));
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: 'evt-window', status: 'read' });
		expect(endpoint.executions).toHaveLength(2);
	});

	it('forgets the oldest events beyond Max Remembered Events', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			options: { dedupeMaxEntries: 2 },
		});
		for (const id of ['a', 'b', 'c', 'a', 'c']) {
			await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: `evt-${id}`, status: 'read' });
		}
		// a, b, c pass; a was forgotten when c arrived, so it passes again; c is still remembered.
		expect(endpoint.executions.map((run) => run[0].json.messageId)).toEqual([
			'evt-a',
			'evt-b',
			'evt-c',
			'evt-a',
		]);
		const [row] = [...endpoint.processedData.rows.values()];
		expect(row).toHaveLength(2);
	});

	it('with a window of 0 lets duplicates through and keeps no state', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			options: { dedupeWindowMinutes: 0 },
		});
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: 'evt-x', status: 'read' });
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: 'evt-x', status: 'read' });
		expect(endpoint.executions).toHaveLength(2);
		expect(endpoint.processedData.calls).toHaveLength(0);
	});

	it('does not count a filtered-out event as seen', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			events: 'status',
			statuses: ['read'],
		});
		await admin(ctx.sandbox, '/status', { vendor: 'profilora', id: 'evt-f', status: 'delivered' });
		expect(endpoint.processedData.calls).toHaveLength(0);
	});
});
