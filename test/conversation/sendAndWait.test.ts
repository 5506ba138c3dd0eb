/**
 * Send and Wait for Reply through n8n-core's engine against the sandbox, with a real Sobot Trigger endpoint as the
 * trigger it registers with, and a loopback server standing in for n8n's resume URL. Resuming itself (n8n's
 * waiting-webhook server, its wait tracker) exists only in a real n8n: e2e/checks/replies.ts proves it there.
 */
import type { IDataObject } from 'n8n-workflow';

import { sign } from '../../nodes/shared/conversation/inbox';
import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { ProfiloraTrigger } from '../../nodes/ProfiloraTrigger/ProfiloraTrigger.node';
import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { runNode } from '../harness/engine';
import { startReceiver } from '../harness/receiver';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { errorText, runSobot } from '../sobot/helpers';
import { TriggerEndpoint } from '../triggers/endpoint';
import { waChatProCredentials } from '../wachatpro/helpers';
import { WaChatPro } from '../../nodes/WaChatPro/WaChatPro.node';
import { CREDENTIALS, SECRET } from '../triggers/helpers';

const ctx = useSandbox();
const CUSTOMER = '919812300001';
const TRIGGER = 'Trigger Under Test';
const INBOX_SECRET = 'inbox-secret-for-tests-0123456789abcdef';

const ASK = {
	recipient: `+${CUSTOMER}`,
	customerName: 'Priya',
	messageType: 'quickReply',
	text: 'Shall we deliver tomorrow?',
	buttons: { button: [{ title: 'Yes' }, { title: 'No' }] },
	waitAmount: 2,
	waitUnit: 'hours',
};

const endpoints: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
	await Promise.all(endpoints.splice(0).map(async (e) => await e.stop()));
});

/** A published Sobot Trigger (query-token auth): its inbox is in static data, as publishing leaves it. */
async function publishedTrigger(webhookBaseUrl?: string, events = 'all'): Promise<TriggerEndpoint> {
	const endpoint = await new TriggerEndpoint({
		node: new SobotTrigger(),
		parameters: { authentication: 'queryAuth', events },
		credentials: CREDENTIALS.queryAuth,
		query: `?token=${SECRET}`,
		webhookBaseUrl,
	}).start();
	endpoints.push(endpoint);
	endpoint.staticData = {
		global: {
			replyInboxes: { [TRIGGER]: { service: 'sobot', url: endpoint.url, secret: INBOX_SECRET } },
		},
	};
	ctx.sandbox.webhooks.targets.sobot = {
		url: endpoint.url,
		settled: async () => await endpoint.idle(),
	};
	return endpoint;
}

/** The item a published trigger emits for a message from `customer` (its `conversation`, as conversationOf makes it). */
function fromTrigger(endpoint: TriggerEndpoint, service: string, customer: string) {
	const key = `${service}:${customer}`;
	return [
		{
			json: {
				from: customer,
				conversation: { url: endpoint.url, customer: key, key: sign(INBOX_SECRET, key) },
			},
		},
	];
}

function waits(endpoint: TriggerEndpoint): IDataObject {
	return ((endpoint.staticData.global as IDataObject | undefined)?.waitingForReply ??
		{}) as IDataObject;
}

async function post(url: string, body: unknown): Promise<{ status: number; body: IDataObject }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as IDataObject };
}

describe('Send and Wait for Reply (Sobot)', () => {
	it('sends the buttons, registers the wait with the trigger, and parks the execution until the limit', async () => {
		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, name: 'Priya' });
		// Incoming messages only: the question's delivery statuses start no executions here.
		const trigger = await publishedTrigger(undefined, 'message');
		const before = Date.now();
		const result = await runSobot(ctx.sandbox, 'message', 'sendAndWaitForReply', ASK, {
			items: fromTrigger(trigger, 'sobot', CUSTOMER),
			mode: 'webhook',
		});

		expect(result.error).toBeUndefined();
		const sent = ctx.sandbox.sobot.sent.filter((m) => m.to === CUSTOMER);
		expect(sent.map((m) => [m.type, m.body.buttons])).toEqual([['quick_reply', ['Yes', 'No']]]);
		expect(result.run.status).toBe('waiting');
		const waitTill = new Date(result.run.waitTill as Date).getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
		expect(waitTill).toBeLessThan(Date.now() + 2 * 3_600_000 + 1000);

		const wait = waits(trigger)[`sobot:${CUSTOMER}`] as IDataObject;
		expect(wait).toMatchObject({
			executionId: 'test-execution',
			until: waitTill,
			askedMessageId: sent[0].id,
		});
		expect(String(wait.url)).toMatch(
			/^http:\/\/127\.0\.0\.1:5678\/webhook-waiting\/test-execution\?signature=/,
		);
		// The registrations reached the trigger's webhook() and started no execution; the node saved no static data.
		expect(trigger.started).toBe(0);
		expect(result.outputs[1][0].json).toMatchObject({ messageId: sent[0].id, registered: true });
	});

	it('refuses, before sending anything, without a conversation from a published trigger or for another customer', async () => {
		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, name: 'Priya' });
		ctx.sandbox.requests.length = 0;
		const alone = await runSobot(ctx.sandbox, 'message', 'sendAndWaitForReply', ASK, {
			mode: 'webhook',
		});
		expect(errorText(alone)).toMatch(
			/answers a customer who wrote to the Sobot Trigger of this workflow/,
		);

		const trigger = await publishedTrigger();
		const other = await runSobot(ctx.sandbox, 'message', 'sendAndWaitForReply', ASK, {
			items: fromTrigger(trigger, 'sobot', '919812300099'),
			mode: 'webhook',
		});
		expect(errorText(other)).toMatch(
			/Recipient \(item 0\): is 919812300001, but the customer who wrote is 919812300099/,
		);
		expect(ctx.sandbox.requestsTo('sobot', '/message/')).toHaveLength(0);
	});

	it("a registration signed with another customer's key is refused by the trigger", async () => {
		const trigger = await publishedTrigger();
		const payload = JSON.stringify({
			action: 'register',
			key: `sobot:${CUSTOMER}`,
			wait: {
				url: 'http://127.0.0.1:5678/webhook-waiting/1',
				until: Date.now() + 60_000,
				executionId: '1',
				askedMessageId: null,
			},
			at: Date.now(),
		});
		const forged = await post(trigger.url, {
			n8nWaitForReply: payload,
			signature: sign(sign(INBOX_SECRET, 'sobot:919812300099'), payload),
		});
		expect(forged.status).toBe(401);
		expect(waits(trigger)).toEqual({});
	});

	it('waits for one customer per execution: more items are refused, each with an error item under Continue On Fail', async () => {
		const trigger = await publishedTrigger();
		const items = [
			...fromTrigger(trigger, 'sobot', CUSTOMER),
			...fromTrigger(trigger, 'sobot', CUSTOMER),
		];
		const refused = await runSobot(ctx.sandbox, 'message', 'sendAndWaitForReply', ASK, { items });
		expect(errorText(refused)).toMatch(/one customer per execution, but got 2 items/);

		const reported = await runSobot(ctx.sandbox, 'message', 'sendAndWaitForReply', ASK, {
			items,
			continueOnFail: true,
		});
		expect(reported.outputs[0].map((item) => [item.json.error, item.pairedItem])).toEqual([
			[expect.stringMatching(/one customer per execution/), { item: 0 }],
			[expect.stringMatching(/one customer per execution/), { item: 1 }],
		]);
		expect(reported.run.status).not.toBe('waiting');
	});

	it('names the field of a bad limit', async () => {
		const trigger = await publishedTrigger();
		const result = await runSobot(
			ctx.sandbox,
			'message',
			'sendAndWaitForReply',
			{ ...ASK, waitAmount: 31, waitUnit: 'days' },
			{ items: fromTrigger(trigger, 'sobot', CUSTOMER) },
		);
		expect(errorText(result)).toMatch(/Wait Up To \(item 0\): can be at most 30 days/);
	});

	it('a failed send does not wait: with Continue On Fail the error leaves on No Reply', async () => {
		const trigger = await publishedTrigger();
		// No message from this customer: the sandbox refuses free-form messages outside the 24-hour window.
		const result = await runSobot(
			ctx.sandbox,
			'message',
			'sendAndWaitForReply',
			{ ...ASK, recipient: '919812300077' },
			{ items: fromTrigger(trigger, 'sobot', '919812300077'), continueOnFail: true },
		);
		expect(result.run.status).not.toBe('waiting');
		expect(result.outputs[0][0].json.error).toBeDefined();
		expect(waits(trigger)).toEqual({});
	});
});

describe('Send and Wait for Reply (Profilora)', () => {
	it('refuses a group recipient: its answers could come from anyone', async () => {
		const result = await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendAndWaitForReply',
				sender: ctx.sandbox.credentials.profilora.agents[0],
				recipient: '120363025000000000@g.us',
				text: 'Who is coming?',
				waitAmount: 1,
				waitUnit: 'hours',
			},
		});
		expect(result.error?.message).toMatch(/Recipient \(item 0\): must be a person, not a group/);
	});
});

describe("the trigger's side: registrations and answers", () => {
	function registration(
		action: 'register' | 'check',
		url: string,
		{ secret = INBOX_SECRET, at = Date.now(), executionId = 'e-1' } = {},
	) {
		const payload = JSON.stringify({
			action,
			key: `sobot:${CUSTOMER}`,
			wait: { url, until: Date.now() + 60_000, executionId, askedMessageId: 'wamid.ASKED' },
			at,
		});
		return {
			n8nWaitForReply: payload,
			signature: sign(sign(secret, `sobot:${CUSTOMER}`), payload),
		};
	}

	it('stores a signed registration without starting an execution, confirms it, and refuses forged or stale ones', async () => {
		const trigger = await publishedTrigger();
		const resume = 'http://127.0.0.1:5678/webhook-waiting/e-1?signature=abc';

		expect(
			await post(trigger.url, registration('register', resume, { secret: 'not-the-secret' })),
		).toMatchObject({ status: 401 });
		expect(
			await post(trigger.url, registration('register', resume, { at: Date.now() - 3_600_000 })),
		).toMatchObject({ status: 400 });
		expect(waits(trigger)).toEqual({});

		expect(await post(trigger.url, registration('register', resume))).toMatchObject({
			status: 200,
			body: { registered: true },
		});
		expect(waits(trigger)[`sobot:${CUSTOMER}`]).toMatchObject({ url: resume, executionId: 'e-1' });
		expect(await post(trigger.url, registration('check', resume))).toMatchObject({
			body: { known: true },
		});
		expect(
			await post(trigger.url, registration('check', resume, { executionId: 'e-2' })),
		).toMatchObject({ body: { known: false } });
		expect(trigger.started).toBe(0);
	});

	it("hands the customer's tap to the waiting execution instead of starting one; the next message is ordinary again", async () => {
		const n8n = await startReceiver(200);
		endpoints.push(n8n);
		const trigger = await publishedTrigger(new URL(n8n.url).origin + '/webhook');
		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, name: 'Priya' });
		const asked = await runSobot(ctx.sandbox, 'message', 'send', {
			recipient: CUSTOMER,
			customerName: 'Priya',
			messageType: 'quickReply',
			text: 'Tomorrow?',
			buttons: { button: [{ title: 'Yes' }, { title: 'No' }] },
		});
		expect(asked.error).toBeUndefined();
		await ctx.sandbox.webhooks.idle();
		await post(trigger.url, registration('register', n8n.url));
		const startedBefore = trigger.started;

		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, choose: 'No' });
		expect(n8n.received).toHaveLength(1);
		const forwarded = n8n.received[0].body as IDataObject;
		expect(forwarded.askedMessageId).toBe('wamid.ASKED');
		expect(forwarded.reply).toMatchObject({
			service: 'sobot',
			event: 'message',
			from: CUSTOMER,
			text: 'No',
			choice: { id: `${String(asked.items[0].json.messageId)}:1`, title: 'No' },
			replyTo: asked.items[0].json.messageId,
		});
		expect((forwarded.reply as IDataObject).raw).toBeDefined();
		expect(trigger.started).toBe(startedBefore);
		expect(waits(trigger)).toEqual({});

		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, text: 'and one more thing' });
		expect(n8n.received).toHaveLength(1);
		expect(trigger.started).toBe(startedBefore + 1);
		// The ordinary message carries what a Send and Wait for Reply after the trigger needs, for this customer only.
		const key = `sobot:${CUSTOMER}`;
		expect(trigger.executions.at(-1)?.[0].json.conversation).toEqual({
			url: trigger.url,
			customer: key,
			key: sign(INBOX_SECRET, key),
		});
	});

	it('an execution that already resumed (409) or a failing n8n: the message starts an ordinary execution, nothing is lost', async () => {
		const gone = await startReceiver(409);
		endpoints.push(gone);
		const trigger = await publishedTrigger(new URL(gone.url).origin + '/webhook');
		await post(trigger.url, registration('register', gone.url));
		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, text: 'hello?' });
		expect(gone.received).toHaveLength(1);
		expect(trigger.executions.at(-1)?.[0].json).toMatchObject({ from: CUSTOMER, text: 'hello?' });
		// The entry stays: n8n does not save static data from a request that starts an execution. The next message
		// tries again, is refused again, and starts its execution too.
		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, text: 'hello again' });
		expect(gone.received).toHaveLength(2);
		expect(trigger.executions.map((run) => run[0].json.text)).toEqual(['hello?', 'hello again']);

		// n8n not answering at all: the message starts its execution as well.
		await gone.stop();
		endpoints.splice(endpoints.indexOf(gone), 1);
		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, text: 'anyone?' });
		expect(trigger.executions.at(-1)?.[0].json).toMatchObject({ text: 'anyone?' });
		expect(Object.keys(waits(trigger))).toEqual([`sobot:${CUSTOMER}`]);
	});

	it("never posts a customer's message to another host than this n8n", async () => {
		const elsewhere = await startReceiver(200);
		endpoints.push(elsewhere);
		const trigger = await publishedTrigger();
		await post(trigger.url, registration('register', elsewhere.url));
		await ctx.sandbox.sobot.incoming({ from: CUSTOMER, text: 'private' });
		expect(elsewhere.received).toHaveLength(0);
		expect(trigger.executions.at(-1)?.[0].json).toMatchObject({ text: 'private' });
	});

	it("another customer's message and delivery statuses are never handed over", async () => {
		const n8n = await startReceiver(200);
		endpoints.push(n8n);
		const trigger = await publishedTrigger(new URL(n8n.url).origin + '/webhook');
		await post(trigger.url, registration('register', n8n.url));
		await ctx.sandbox.sobot.incoming({ from: '919812300002', text: 'I am someone else' });
		await ctx.sandbox.sobot.status('wamid.SOMETHING', 'delivered');
		expect(n8n.received).toHaveLength(0);
		expect(trigger.executions.map((run) => run[0].json.event)).toEqual(['message', 'status']);
	});
});

describe('Send and Wait for Reply (WAChatPro, which has no webhooks)', () => {
	const PHONE = '6281211119001';

	it('reads the chat until the customer answers; what was there before the question does not count', async () => {
		ctx.sandbox.wachatpro.incoming({ from: PHONE, text: 'an old message' });
		const run = runNode({
			node: new WaChatPro(),
			credentials: waChatProCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendAndWaitForReply',
				recipient: `+${PHONE}`,
				text: 'Kirim besok?',
				waitMinutes: 1,
				checkEverySeconds: 5,
			},
		});
		// The answer comes after the question went out (the sandbox records the send first).
		for (let i = 0; i < 100 && !ctx.sandbox.requestsTo('wachatpro', '/wa/send').length; i++)
			await new Promise((r) => setTimeout(r, 50));
		ctx.sandbox.wachatpro.incoming({ from: PHONE, text: 'Ya, besok', name: 'Andi' });
		const result = await run;

		expect(result.error).toBeUndefined();
		expect(result.outputs[0]).toEqual([]);
		expect(
			result.outputs[1].map((item) => [
				item.json.answer,
				item.json.from,
				item.json.service,
				item.pairedItem,
			]),
		).toEqual([['Ya, besok', PHONE, 'wachatpro', { item: 0 }]]);
		expect(
			ctx.sandbox.requestsTo('wachatpro', '/wa/send').map((r) => (r.body as IDataObject).body),
		).toEqual(['Kirim besok?']);
	});

	it('waits for one customer per execution here too: two items are refused, nothing is sent', async () => {
		const result = await runNode({
			node: new WaChatPro(),
			credentials: waChatProCredentials(ctx.sandbox),
			items: [{ json: {} }, { json: {} }],
			parameters: {
				resource: 'message',
				operation: 'sendAndWaitForReply',
				recipient: PHONE,
				text: 'x',
				waitMinutes: 1,
				checkEverySeconds: 5,
			},
		});
		expect(result.error?.message).toMatch(/one customer per execution, but got 2 items/);
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/send')).toHaveLength(0);
	});

	it('names the field of a limit beyond an hour, and sends nothing', async () => {
		const result = await runNode({
			node: new WaChatPro(),
			credentials: waChatProCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendAndWaitForReply',
				recipient: PHONE,
				text: 'x',
				waitMinutes: 90,
				checkEverySeconds: 5,
			},
		});
		expect(result.error?.message).toMatch(/Wait Up To \(Minutes\) \(item 0\): must be 1 to 60/);
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/send')).toHaveLength(0);
	});
});

describe('Send and Wait for Reply (Profilora): the answer found by the digits of the JID', () => {
	it('sends to the person, registers under their digits, and the Profilora Trigger hands their next message over', async () => {
		const n8n = await startReceiver(200);
		endpoints.push(n8n);
		const trigger = await new TriggerEndpoint({
			node: new ProfiloraTrigger(),
			parameters: { authentication: 'queryAuth', events: 'message' },
			credentials: CREDENTIALS.queryAuth,
			query: `?token=${SECRET}`,
			webhookBaseUrl: new URL(n8n.url).origin + '/webhook',
		}).start();
		endpoints.push(trigger);
		trigger.staticData = {
			global: {
				replyInboxes: {
					[TRIGGER]: { service: 'profilora', url: trigger.url, secret: INBOX_SECRET },
				},
			},
		};
		ctx.sandbox.webhooks.targets.profilora = {
			url: trigger.url,
			settled: async () => await trigger.idle(),
		};

		const result = await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendAndWaitForReply',
				sender: ctx.sandbox.credentials.profilora.agents[0],
				recipient: '+62 812-3456-7001',
				text: 'Jadi pesan?',
				waitAmount: 30,
				waitUnit: 'minutes',
			},
			items: fromTrigger(trigger, 'profilora', '6281234567001'),
			mode: 'webhook',
		});
		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('waiting');
		expect(Object.keys(waits(trigger))).toEqual(['profilora:6281234567001']);

		// The registration's resume URL is the harness's; point it at the stand-in for n8n before the answer.
		const wait = waits(trigger)['profilora:6281234567001'] as IDataObject;
		trigger.staticData = {
			global: {
				...(trigger.staticData.global as IDataObject),
				waitingForReply: { 'profilora:6281234567001': { ...wait, url: n8n.url } },
			},
		};
		await ctx.sandbox.profilora.incoming({
			from: '6281234567001@s.whatsapp.net',
			text: 'Ya, jadi',
		});
		expect(n8n.received.map((r) => (r.body as IDataObject).reply)).toEqual([
			expect.objectContaining({ service: 'profilora', text: 'Ya, jadi' }),
		]);
		expect(trigger.started).toBe(0);
	});
});
