/**
 * Inputs as they really arrive, in a real n8n (`--only inputs`): what n8n's node picker searches (the codex aliases
 * it serves), and the published Sobot Trigger refusing bodies n8n itself turns into objects (form, XML, multipart)
 * or could not store (100,000 levels deep) with 400 and no execution, and answering a started execution with JSON.
 */
import { webhookTarget } from '../../scripts/dev/provision';
import { PACKAGE_NAME } from '../../scripts/dev/provision';
import type { E2eContext } from '../context';
import { expect, expectFields } from '../harness';
import type { TriggerUnderTest } from './triggers';
import { expectMessageExecution } from './triggers';

const TRIGGER: TriggerUnderTest = {
	vendor: 'sobot',
	workflowId: 'exSobotTrigger01',
	node: 'Sobot Trigger',
};

interface Answer {
	status: number;
	type: string | null;
	text: string;
}

export async function inputChecks(ctx: E2eContext): Promise<void> {
	const { suite } = ctx;

	await suite.check(
		"n8n serves the codex aliases and the worded subtitles the editor's node picker and canvas read",
		async () => {
			const types =
				await ctx.rest.get<
					Array<{ name: string; codex?: { alias?: string[] }; subtitle?: string }>
				>('/types/nodes.json');
			const ours = types.filter(
				(t) => t.name.startsWith(`${PACKAGE_NAME}.`) && !t.name.endsWith('Tool'),
			);
			const missing = ours.filter((t) => !t.codex?.alias?.includes('WhatsApp')).map((t) => t.name);
			expect(ours.length === 7, `expected 7 node types, n8n serves ${ours.length}`);
			expect(missing.length === 0, `node types without the WhatsApp alias: ${missing.join(', ')}`);
			const sobot = ours.find((t) => t.name === `${PACKAGE_NAME}.sobot`);
			expect(
				sobot?.codex?.alias?.includes('campaign') && sobot.codex.alias.includes('template'),
				`Sobot's aliases: ${JSON.stringify(sobot?.codex)}`,
			);
			expect(
				String(sobot?.subtitle).includes('"campaign:send":"Campaign: Send"'),
				`Sobot's subtitle: ${sobot?.subtitle}`,
			);
			suite.note(
				`${ours.length} node types with aliases; Sobot: ${sobot?.codex?.alias?.length} aliases`,
			);
		},
	);

	const trigger = ctx.examples.find((e) => e.workflow.id === TRIGGER.workflowId)?.trigger;
	expect(trigger, `no example trigger ${TRIGGER.workflowId}`);
	const target = webhookTarget(trigger, ctx.n8n.url, ctx.webhookSecrets);
	const post = async (body: string, contentType?: string): Promise<Answer> => {
		const response = await fetch(target.url, {
			method: 'POST',
			headers: { ...(contentType ? { 'content-type': contentType } : {}), ...target.headers },
			body,
			signal: AbortSignal.timeout(30_000),
		});
		return {
			status: response.status,
			type: response.headers.get('content-type'),
			text: await response.text(),
		};
	};

	await suite.check(
		'Sobot Trigger (published): form, XML, multipart and 100,000-deep JSON bodies get 400, and n8n stores nothing',
		async () => {
			const before = (await ctx.stored.settle(TRIGGER.workflowId)).length;
			// Each of the first four would read as a Sobot delivery status if the trigger took the object n8n made of it.
			const cases: Array<[string, string, string | undefined]> = [
				[
					'form-encoded',
					'id=wamid.e2eform&status=delivered&timestamp=1730000000',
					'application/x-www-form-urlencoded',
				],
				[
					'XML',
					'<status><id>wamid.e2exml</id><status>delivered</status></status>',
					'application/xml',
				],
				[
					'text/xml',
					'<status><id>wamid.e2exml2</id><status>delivered</status></status>',
					'text/xml',
				],
				[
					'multipart',
					'--b\r\nContent-Disposition: form-data; name="id"\r\n\r\nwamid.e2emp\r\n--b\r\nContent-Disposition: form-data; name="status"\r\n\r\ndelivered\r\n--b--\r\n',
					'multipart/form-data; boundary=b',
				],
				[
					'JSON nested 100,000 levels',
					`{"id":"wamid.e2edeep","status":"delivered","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
					'application/json',
				],
				[
					'the same without a Content-Type',
					`{"id":"wamid.e2edeep2","status":"delivered","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
					undefined,
				],
			];
			const wrong: string[] = [];
			for (const [label, body, type] of cases) {
				const answer = await post(body, type);
				suite.note(`${label}: HTTP ${answer.status} ${answer.text.slice(0, 120)}`);
				if (answer.status !== 400)
					wrong.push(
						`${label}: expected HTTP 400, got ${answer.status} ${answer.text.slice(0, 200)}`,
					);
			}
			const after = (await ctx.stored.settle(TRIGGER.workflowId)).length;
			expect(wrong.length === 0, wrong.join('\n'));
			expect(
				after === before,
				`n8n stored ${after - before} execution(s) for refused bodies (before ${before}, after ${after})`,
			);
			suite.note(`stored executions of ${TRIGGER.workflowId}: ${before} before, ${after} after`);
		},
	);

	await suite.check(
		'Sobot Trigger (published): a started execution is answered with a small JSON body, not "firstEntryJson"',
		async () => {
			const id = `wamid.e2eanswer${Date.now()}`;
			const body = [
				{
					field: 'messages',
					value: {
						contacts: [{ wa_id: '919812345678', profile: { name: 'Ravi Kumar' } }],
						messages: [
							{
								id,
								from: '919812345678',
								timestamp: String(Math.floor(Date.now() / 1000)),
								type: 'text',
								text: { body: 'e2e answer' },
							},
						],
					},
				},
			];
			const answer = await post(JSON.stringify(body), 'application/json');
			suite.note(`HTTP ${answer.status}, ${answer.type}: ${answer.text}`);
			expect(answer.status === 200, `HTTP ${answer.status}: ${answer.text}`);
			expect(/^application\/json/.test(answer.type ?? ''), `Content-Type ${answer.type}`);
			let parsed: unknown;
			try {
				parsed = JSON.parse(answer.text);
			} catch {
				expect(false, `the answer is not JSON: ${answer.text}`);
			}
			expectFields('answer', parsed, { received: true, started: true, events: 1 });
			const { run } = await expectMessageExecution(
				ctx,
				TRIGGER,
				'the message just posted',
				(item) => item.json.messageId === id,
			);
			suite.note(`execution ${run.executionId}`);
		},
	);
}
