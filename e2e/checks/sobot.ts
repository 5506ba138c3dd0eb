/** Sobot and Sobot Trigger in real n8n, against the sandbox: customers, a template send, a campaign, media download. */
import { createHash } from 'crypto';

import { webhookTarget } from '../../scripts/dev/provision';
import type { E2eContext } from '../context';
import { adminPost, execute, onlyRequest } from '../context';
import { expect, expectFields, fail } from '../harness';
import { nodeOutput } from '../n8n';
import { SOBOT_WINDOW, SOBOT_WINDOW_CUSTOMERS } from '../workflows';
import type { TriggerUnderTest } from './triggers';
import {
	expectMessageExecution,
	expectRefusedStoreNothing,
	expectStatusExecutions,
} from './triggers';

const TRIGGER: TriggerUnderTest = {
	vendor: 'sobot',
	workflowId: 'exSobotTrigger01',
	node: 'Sobot Trigger',
};

/** A 1x1 PNG: the incoming image the sandbox serves and the trigger downloads. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

export async function sobotChecks(ctx: E2eContext): Promise<void> {
	const { suite, sandbox } = ctx;
	const keyHeaders = () => ({
		'x-api-key': sandbox.credentials.sobot.accessKey,
		'x-api-secret': sandbox.credentials.sobot.secretKey,
	});
	let templateMessageId: string | undefined;

	await suite.check(
		'Sobot: Add Customer, Get Many and Send Template (by name, body and URL-button parameters), field by field',
		async () => {
			const { run, requests } = await execute(ctx, 'e2eSobotOps00001');

			const add = onlyRequest(requests, 'sobot', '/api/customer', 'POST');
			expectFields('Add Customer request', add, { method: 'POST', status: 201 });
			expectFields('Add Customer headers', add.headers, keyHeaders());
			expectFields('Add Customer body', add.body, {
				mobile: '919876543210',
				name: 'Ravi Kumar',
				email: 'ravi@example.com',
				gender: 'Famale', // Sobot's own spelling
				date_of_birth: '17-05-1990',
				labels: ['vip', 'e2e'],
			});
			expectFields('Add Customer output', nodeOutput(run, 'Add Customer')[0].json, {
				mobile: '919876543210',
				action: 'added',
				code: 201,
			});
			const customers = nodeOutput(run, 'Get Customers');
			const ravi = customers.find((c) => c.json.mobile === '919876543210');
			expect(ravi, `Get Customers (${customers.length} items) lacks 919876543210`);
			expectFields('listed customer', ravi.json, {
				name: 'Ravi Kumar',
				first_name: 'Ravi',
				last_name: 'Kumar',
			});

			const sends = requests.filter((r) => r.vendor === 'sobot' && r.path === '/message/');
			expect(sends.length === 1, `expected one POST /message/, got ${sends.length}`);
			expectFields('Send Template headers', sends[0].headers, keyHeaders());
			expectFields('Send Template body', sends[0].body, {
				customer_number: '919876543210',
				customer_name: 'Ravi Kumar',
				type: 'template',
				template_name: 'track_order',
				template_lang: 'en_US',
				params: [
					{ type: 'body', parameters: [{ type: 'text', text: 'A-2001' }] },
					{
						type: 'button',
						sub_type: 'url',
						index: '0',
						parameters: [{ type: 'text', text: 'A-2001' }],
					},
				],
			});
			const sent = sandbox.sobot.sent.at(-1);
			expect(sent, 'the sandbox recorded no Sobot message');
			expectFields('Send Template output', nodeOutput(run, 'Send Template')[0].json, {
				messageId: sent.id,
				status: 'submitted',
				to: '919876543210',
				template: 'track_order',
				language: 'en_US',
				attempts: 1,
			});
			templateMessageId = sent.id;
			suite.note(`${customers.length} customers listed; template message ${sent.id}`);
		},
	);

	await suite.check(
		'Sobot Trigger (published, query token): the status webhooks of that template send are stored executions',
		async () => {
			expect(templateMessageId, 'no message id: the send failed');
			await expectStatusExecutions(ctx, TRIGGER, templateMessageId, ['sent', 'delivered', 'read'], {
				service: 'sobot',
				event: 'status',
			});
		},
	);

	await suite.check(
		'Sobot: template campaign (example workflow) — one report item per recipient, paced, the bad number failed',
		async () => {
			const before = sandbox.sobot.sent.length;
			const started = Date.now();
			const { run, requests } = await execute(ctx, 'exSobotCampaign1');
			const seconds = (Date.now() - started) / 1000;
			const report = nodeOutput(run, 'Campaign').map((item) => item.json);
			expect(
				report.length === 3,
				`expected 3 report items, got ${report.length}: ${JSON.stringify(report)}`,
			);
			expectFields('report 1', report[0], {
				status: 'sent',
				to: '919812345678',
				name: 'Priya',
				template: 'order_update',
				gatewayStatus: 'submitted',
			});
			expectFields('report 2', report[1], {
				status: 'sent',
				to: '919812340001',
				name: 'Arjun',
				template: 'order_update',
			});
			expectFields('report 3', report[2], { status: 'failed', to: '919812340000' });
			expect(
				/invalid mobile number/i.test(JSON.stringify(report[2].error)),
				`report 3 error: ${JSON.stringify(report[2].error)}`,
			);
			const sent = sandbox.sobot.sent.slice(before);
			expect(sent.length === 2, `the sandbox sent ${sent.length} messages, expected 2`);
			expectFields('first campaign message', sent[0].body, {
				customer_number: '919812345678',
				customer_name: 'Priya',
				type: 'template',
				template_name: 'order_update',
				template_lang: 'en_US',
				params: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Priya' },
							{ type: 'text', text: 'A-1001' },
							{ type: 'text', text: 'Monday' },
						],
					},
				],
			});
			const times = requests
				.filter((r) => r.vendor === 'sobot' && r.path === '/message/')
				.map((r) => Date.parse(r.at));
			const gaps = times.slice(1).map((t, i) => t - times[i]);
			expect(
				gaps.every((gap) => gap >= 2900),
				`campaign sends were not paced 3-8 s apart: gaps ${JSON.stringify(gaps)} ms`,
			);
			suite.note(
				`gaps between sends ${gaps.map((g) => (g / 1000).toFixed(1)).join(' s, ')} s; execution ${seconds.toFixed(1)} s`,
			);
		},
	);

	// The two single-send examples (examples/sobot-send-message.json, sobot-send-template.json), run as a user would.
	await suite.check(
		'Sobot: Send Message (example workflow) after the customer wrote in — the text the sandbox got and the output item',
		async () => {
			// A free-form message needs the 24-hour window the customer opens by writing (the sandbox enforces it).
			const wrote = await adminPost(ctx, '/incoming', {
				vendor: 'sobot',
				from: '919812345678',
				name: 'Priya',
				text: 'Where is my order A-1001?',
			});
			expect(
				wrote.status === 200,
				`the customer's message reached n8n with ${JSON.stringify(wrote.status ?? wrote.error)}`,
			);
			const { run, requests } = await execute(ctx, 'exSobotMessage01');
			const items = nodeOutput(run, 'Send Message');
			expect(items.length === 1, `expected 1 output item, got ${items.length}`);
			const request = onlyRequest(requests, 'sobot', '/message/', 'POST');
			expectFields('Send Message headers', request.headers, keyHeaders());
			expectFields('Send Message body', request.body, {
				customer_number: '919812345678',
				customer_name: 'Priya',
				type: 'text',
				message: 'Hi Priya, your order A-1001 has shipped. Reply here if you have a question.',
			});
			const sent = sandbox.sobot.sent.at(-1);
			expect(sent, 'the sandbox recorded no Sobot message');
			expectFields('Send Message output', items[0].json, {
				messageId: sent.id,
				to: '919812345678',
				attempts: 1,
			});
			expectFields('Send Message output item', items[0], { pairedItem: { item: 0 } });
			suite.note(`message ${sent.id}`);
		},
	);

	await suite.check(
		'Sobot: a closed window sends the fallback template once and reports it; a re-run under the Resume Key sends nothing',
		async () => {
			const { wrote, silent } = SOBOT_WINDOW_CUSTOMERS;
			const opened = await adminPost(ctx, '/incoming', {
				vendor: 'sobot',
				from: wrote,
				name: 'Meera',
				text: 'Is my parcel coming today?',
			});
			expect(
				opened.status === 200,
				`the customer's message reached n8n with ${JSON.stringify(opened.status ?? opened.error)}`,
			);
			const before = sandbox.sobot.sent.length;
			const first = await execute(ctx, SOBOT_WINDOW.id);
			const sends = first.requests.filter((r) => r.vendor === 'sobot' && r.path === '/message/');
			const asked = sends.map((r) => {
				const body = r.body as Record<string, unknown>;
				return `${String(body.customer_number)} ${String(body.type)}`;
			});
			expect(
				JSON.stringify(asked) ===
					JSON.stringify([`${wrote} text`, `${silent} text`, `${silent} template`]),
				`the requests were ${JSON.stringify(asked)}: expected the text to both, then the template to ${silent} only`,
			);
			expectFields('fallback template body', sends[2].body, {
				customer_number: silent,
				customer_name: 'Kabir',
				type: 'template',
				template_name: 'order_update',
				template_lang: 'en_US',
				params: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Kabir' },
							{ type: 'text', text: 'A-3001' },
							{ type: 'text', text: 'today' },
						],
					},
				],
			});
			const sent = sandbox.sobot.sent.slice(before);
			const delivered = sent.map((m) => `${m.to} ${m.type}`);
			expect(
				JSON.stringify(delivered) === JSON.stringify([`${wrote} text`, `${silent} template`]),
				`the sandbox accepted ${JSON.stringify(delivered)}`,
			);
			const items = nodeOutput(first.run, 'Send');
			expect(items.length === 2, `expected 2 output items, got ${items.length}`);
			expectFields('open window output', items[0].json, {
				messageId: sent[0].id,
				to: wrote,
				type: 'text',
				sent: 'text',
			});
			expectFields('closed window output', items[1].json, {
				messageId: sent[1].id,
				to: silent,
				type: 'text',
				sent: 'template',
				template: 'order_update',
				language: 'en_US',
				windowClosed: true,
				attempts: 1,
			});
			expectFields('closed window output item', items[1], { pairedItem: { item: 1 } });

			// The same workflow again: n8n's processed-data store (its database) holds both as sent.
			const second = await execute(ctx, SOBOT_WINDOW.id);
			const again = second.requests.filter((r) => r.vendor === 'sobot' && r.path === '/message/');
			expect(again.length === 0, `the re-run sent ${again.length} messages`);
			const replayed = nodeOutput(second.run, 'Send').map((item) => item.json);
			expect(
				replayed.length === 2 && replayed.every((json) => json.alreadySent === true),
				`the re-run's output: ${JSON.stringify(replayed)}`,
			);
			expect(
				sandbox.sobot.sent.length === before + 2,
				`the sandbox accepted ${sandbox.sobot.sent.length - before} messages in all`,
			);
			suite.note(
				`text ${sent[0].id} to ${wrote}; template ${sent[1].id} to ${silent} after the window refusal; the re-run: ${replayed.map((json) => String(json.status)).join(', ')}`,
			);
		},
	);

	await suite.check(
		'Sobot: Send Template (example workflow, template from the list) — the request and the output item',
		async () => {
			const { run, requests } = await execute(ctx, 'exSobotTemplate1');
			const items = nodeOutput(run, 'Send Template');
			expect(items.length === 1, `expected 1 output item, got ${items.length}`);
			const request = onlyRequest(requests, 'sobot', '/message/', 'POST');
			expectFields('Send Template body', request.body, {
				customer_number: '919812345678',
				customer_name: 'Priya',
				type: 'template',
				template_name: 'order_update',
				template_lang: 'en_US',
				params: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Priya' },
							{ type: 'text', text: 'A-1001' },
							{ type: 'text', text: 'Monday' },
						],
					},
				],
			});
			const sent = sandbox.sobot.sent.at(-1);
			expect(sent, 'the sandbox recorded no Sobot message');
			expectFields('Send Template output', items[0].json, {
				messageId: sent.id,
				to: '919812345678',
				template: 'order_update',
				language: 'en_US',
				attempts: 1,
			});
			expectFields('Send Template output item', items[0], { pairedItem: { item: 0 } });
			suite.note(`template message ${sent.id}`);
		},
	);

	await suite.check(
		'Sobot Trigger: an incoming image (POST /__admin/incoming) is a stored execution with the downloaded file',
		async () => {
			const delivery = await adminPost(ctx, '/incoming', {
				vendor: 'sobot',
				from: '919876543210',
				name: 'Ravi Kumar',
				media: {
					type: 'image',
					mime_type: 'image/png',
					caption: 'Photo of the parcel',
					data: PNG.toString('base64'),
				},
			});
			expect(
				delivery.status === 200,
				`n8n answered the webhook with ${JSON.stringify(delivery.status ?? delivery.error)}`,
			);
			const { item, run } = await expectMessageExecution(
				ctx,
				TRIGGER,
				'the incoming image',
				(i) => i.json.text === 'Photo of the parcel',
			);
			expectFields('stored item', item.json, {
				service: 'sobot',
				event: 'message',
				status: 'received',
				from: '919876543210',
				name: 'Ravi Kumar',
				messageType: 'image',
			});
			const media = item.json.media as Record<string, unknown>;
			expectFields('media', media, {
				type: 'image',
				mimeType: 'image/png',
				sha256: createHash('sha256').update(PNG).digest('hex'),
				binaryProperty: 'data',
			});
			const binary = item.binary?.data;
			expect(binary, `the stored item has no binary "data": ${JSON.stringify(item).slice(0, 600)}`);
			expectFields('binary', binary, { mimeType: 'image/png' });
			// n8n keeps the file outside the execution; read it back the way the editor's download button does (queue mode
			// reads the database: see e2e/queue.ts).
			// n8n 1.x keeps it in the execution by default (binary data mode "default"): the bytes are the item's own.
			const inline = !ctx.exec.runtime.line.has.binaryOutsideExecution;
			const id = binary.id;
			if (!id && !(inline && binary.data))
				fail(`binary data has no id (mode?): ${JSON.stringify(binary)}`);
			const bytes = !id
				? Buffer.from(String(binary.data), 'base64')
				: ctx.readBinary
					? await ctx.readBinary(id)
					: await fetch(
							`${ctx.n8n.url}/rest/binary-data?id=${encodeURIComponent(id)}&action=download`,
							{ headers: { cookie: ctx.rest.cookieHeader ?? '' } },
						).then(async (response) =>
							response.ok
								? Buffer.from(await response.arrayBuffer())
								: fail(`n8n's binary download answered HTTP ${response.status}`),
						);
			expect(bytes.equals(PNG), `the stored file differs: ${bytes.length} bytes`);
			suite.note(
				`execution ${run.executionId}, ${bytes.length} bytes read back from ${id ? "n8n's binary store" : 'the stored execution (n8n 1.x keeps binary data in it)'}`,
			);
		},
	);

	await suite.check(
		'Sobot Trigger: a wrong or missing token gets 401, GET gets 405, and n8n stores nothing',
		async () => {
			const trigger = ctx.examples.find((e) => e.workflow.id === TRIGGER.workflowId)!.trigger!;
			const right = webhookTarget(trigger, ctx.n8n.url, ctx.webhookSecrets);
			const base = right.url.replace(/\?.*$/, '');
			await expectRefusedStoreNothing(ctx, TRIGGER, [
				{
					label: 'wrong token',
					target: { url: `${base}?${ctx.webhookSecrets.query.name}=wrongtokenwrongtoken` },
					expectStatus: 401,
				},
				{ label: 'no token', target: { url: base }, expectStatus: 401 },
				{ label: 'GET with the right token', target: right, method: 'GET', expectStatus: 405 },
			]);
		},
	);
}
