/** Profilora and Profilora Trigger in real n8n, against the sandbox. */
import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import type { E2eContext } from '../context';
import { adminPost, execute, onlyRequest } from '../context';
import { expect, expectFields } from '../harness';
import { nodeOutput } from '../n8n';
import type { TriggerUnderTest } from './triggers';
import {
	expectMessageExecution,
	expectRefusedStoreNothing,
	expectStatusExecutions,
} from './triggers';
import { webhookTarget } from '../../scripts/dev/provision';

const AGENT = DEFAULT_CREDENTIALS.profilora.agents[0];
const TRIGGER: TriggerUnderTest = {
	vendor: 'profilora',
	workflowId: 'exProfiloraTrig1',
	node: 'Profilora Trigger',
};

export async function profiloraChecks(ctx: E2eContext): Promise<void> {
	const { suite, sandbox } = ctx;
	let eventId: string | undefined;

	await suite.check(
		'Profilora: Send Text (example workflow) — output item and the request the sandbox got, field by field',
		async () => {
			const { run, requests } = await execute(ctx, 'exProfiloraText1');
			const items = nodeOutput(run, 'Send Text');
			expect(items.length === 1, `expected 1 output item, got ${items.length}`);
			const request = onlyRequest(requests, 'profilora', '/whatsapp/send-message');
			const { apiKey, apiSecret } = sandbox.credentials.profilora;
			expectFields('request', request, { method: 'POST', status: 200 });
			expectFields('request headers', request.headers, {
				authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
				'content-type': /^application\/json/,
			});
			expect(
				JSON.stringify(Object.keys(request.body as object).sort()) === '["message","sender","to"]',
				`request body fields: ${JSON.stringify(request.body)}`,
			);
			expectFields('request body', request.body, {
				sender: AGENT,
				to: '6281234567890@s.whatsapp.net',
				message: 'Hello from n8n! Your order has shipped.',
			});
			const accepted = sandbox.accepted.filter((a) => a.vendor === 'profilora').at(-1);
			expect(accepted, 'the sandbox accepted no Profilora message');
			expectFields('output item', items[0].json, {
				eventId: accepted.id,
				message: 'Message will be processed',
				status: 'accepted',
				sender: AGENT,
				to: '6281234567890@s.whatsapp.net',
				attempts: 1,
			});
			expectFields('output item', items[0], { pairedItem: { item: 0 } });
			eventId = accepted.id;
			suite.note(`eventId ${eventId}`);
		},
	);

	await suite.check(
		'Profilora Trigger (published, header secret): the status webhooks of that send are stored executions',
		async () => {
			expect(eventId, 'no eventId: the send failed');
			await expectStatusExecutions(ctx, TRIGGER, eventId, ['sent', 'delivered', 'read'], {
				service: 'profilora',
				event: 'status',
				to: '6281234567890',
				toRaw: '6281234567890@s.whatsapp.net',
			});
		},
	);

	await suite.check(
		'Profilora Trigger: an incoming message (POST /__admin/incoming) is a stored execution',
		async () => {
			const delivery = await adminPost(ctx, '/incoming', {
				vendor: 'profilora',
				from: '6281298765432',
				text: 'Halo dari e2e',
			});
			expect(
				delivery.status === 200,
				`n8n answered the webhook with ${JSON.stringify(delivery.status ?? delivery.error)}`,
			);
			const { item, run } = await expectMessageExecution(
				ctx,
				TRIGGER,
				'the incoming message',
				(i) => i.json.text === 'Halo dari e2e',
			);
			expectFields('stored item', item.json, {
				service: 'profilora',
				event: 'message',
				status: 'received',
				from: '6281298765432',
				fromRaw: '6281298765432@s.whatsapp.net',
				to: AGENT.replace(/@.*$/, ''),
				toRaw: AGENT,
				name: 'Sandbox Customer',
				messageType: 'text',
				text: 'Halo dari e2e',
				media: null,
			});
			suite.note(`execution ${run.executionId}`);
		},
	);

	await suite.check(
		'Profilora Trigger: a wrong or missing header secret gets 401, GET gets 405, and n8n stores nothing',
		async () => {
			const trigger = ctx.examples.find((e) => e.workflow.id === TRIGGER.workflowId)!.trigger!;
			const right = webhookTarget(trigger, ctx.n8n.url, ctx.webhookSecrets);
			const header = ctx.webhookSecrets.header.name;
			await expectRefusedStoreNothing(ctx, TRIGGER, [
				{
					label: 'wrong secret',
					target: { url: right.url, headers: { [header]: 'wrong-secret-wrong-secret' } },
					expectStatus: 401,
				},
				{ label: 'no secret', target: { url: right.url }, expectStatus: 401 },
				{ label: 'GET with the right secret', target: right, method: 'GET', expectStatus: 405 },
			]);
		},
	);
}
