/**
 * Opt-out and stop-on-signal guardrails in a real n8n (single mode and queue mode alike):
 *   1. a customer writes "Stop 🙏": the sandbox posts it as a Sobot webhook to the published opt-out example
 *      (examples/sobot-optout-1-capture.json), whose Sobot Trigger marks it `optOut` and writes the number to the
 *      `sobot_opt_outs` data table; the campaign example (sobot-optout-2-campaign.json) reads the table into
 *      Do Not Send To and the customer gets nothing ("opted out", no request), the others get the template;
 *   2. "START" from the same customer removes the row (optIn);
 *   3. a Do Not Send To list typed in other number forms than the recipients holds them back;
 *   4. the sandbox bans the Sobot sender after 30 of 100 messages: exactly 30 accepted, no request after the refusal,
 *      70 "not sent" (one output line per input); after "unban" a re-run with the same Campaign ID sends the 70, once.
 */
import {
	OPT_OUT_TABLES,
	PACKAGE_NAME,
	ensureDataTables,
	wireWebhookCopies,
} from '../../scripts/dev/provision';
import type { DataTableRef } from '../../scripts/dev/provision';
import type { E2eContext } from '../context';
import { adminPost } from '../context';
import { expect, expectFields, fail, waitFor } from '../harness';
import type { Item, RunData } from '../n8n';
import type { QueueE2eContext } from '../queue-tools';
import { startRun, waitForExecution, workerOf } from '../queue-tools';

const CAPTURE_WORKFLOW = 'exSobotOptOutIn1';
const CAMPAIGN_WORKFLOW = 'exSobotOptOutCmp';
/** Arjun in the campaign example, as the Sobot webhook names him (digits). */
const ARJUN = '919812345612';

type Row = Record<string, unknown>;

interface WorkflowJson {
	name: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown>; [key: string]: unknown }>;
	connections: unknown;
	settings: unknown;
}

async function rows(ctx: E2eContext, table: DataTableRef): Promise<Row[]> {
	const page = await ctx.rest.get<{ count: number; data: Row[] }>(
		`/rest/projects/${table.projectId}/data-tables/${table.id}/rows?take=1000`,
	);
	return page.data;
}

/** Runs a workflow from its manual trigger through REST; in queue mode it must have run on a worker. */
async function run(ctx: E2eContext, workflowId: string): Promise<RunData> {
	const executionId = await startRun(ctx.rest, workflowId);
	const execution = await waitForExecution(ctx.stored, executionId);
	const error = execution.run.data?.resultData?.error?.message;
	if (execution.summary.status !== 'success' || error)
		fail(`workflow ${workflowId}: ${String(execution.summary.status)} ${error ?? ''}`);
	const stack = (ctx as Partial<QueueE2eContext>).stack;
	if (stack)
		ctx.suite.note(`execution ${executionId} ran on ${(await workerOf(stack, executionId)).name}`);
	return execution.run;
}

function output(run: RunData, node: string): Item[] {
	const tasks = run.data?.resultData?.runData?.[node];
	if (!tasks?.length) return [];
	const task = tasks[tasks.length - 1];
	if (task.error) fail(`node "${node}" failed: ${task.error.message}`);
	return task.data?.main?.[0] ?? [];
}

/** A copy of a stored workflow with some of its nodes' parameters changed, saved as a new workflow. */
async function copyWorkflow(
	ctx: E2eContext,
	id: string,
	name: string,
	change: (node: WorkflowJson['nodes'][number]) => WorkflowJson['nodes'][number],
): Promise<string> {
	const workflow = await ctx.rest.get<WorkflowJson>(`/rest/workflows/${id}`);
	const copy = await ctx.rest.post<{ id: string }>('/rest/workflows', {
		name: `${workflow.name} (e2e: ${name})`,
		nodes: workflow.nodes.map(change),
		connections: workflow.connections,
		settings: workflow.settings,
	});
	return copy.id;
}

/** 100 recipients from one Set node, a Sobot campaign with no delay (the sandbox's clock, not pacing, is judged). */
async function bannedCampaignWorkflow(ctx: E2eContext, campaignName: string): Promise<string> {
	const customers = `={{ { customers: Array.from({ length: 100 }, (_, i) => ({ mobile: '+91 98765 ' + String(i).padStart(3, '0') + '21', name: 'Customer ' + i })) } }}`;
	const created = await ctx.rest.post<{ id: string }>('/rest/workflows', {
		name: 'e2e: campaign of 100 whose sender is banned after 30',
		nodes: [
			{
				id: 'b1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b2',
				name: 'Recipients',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: customers, options: {} },
			},
			{
				id: 'b3',
				name: 'One Item per Customer',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'customers', options: {} },
			},
			{
				id: 'b4',
				name: 'Campaign',
				type: `${PACKAGE_NAME}.sobot`,
				typeVersion: 1,
				position: [660, 0],
				parameters: {
					resource: 'campaign',
					operation: 'send',
					recipient: '={{ $json.mobile }}',
					customerName: '={{ $json.name }}',
					defaultCountryCode: '91',
					template: { __rl: true, mode: 'list', value: 'order_update' },
					campaignName,
					parametersMode: 'ui',
					bodyParameters: {
						parameter: [{ text: '={{ $json.name }}' }, { text: 'C-1' }, { text: 'Friday' }],
					},
					sendingOptions: { delayMode: 'none' },
				},
				credentials: { sobotApi: { id: 'sbxSobotApi00001', name: 'Sobot (sandbox)' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Recipients', type: 'main', index: 0 }]] },
			Recipients: { main: [[{ node: 'One Item per Customer', type: 'main', index: 0 }]] },
			'One Item per Customer': { main: [[{ node: 'Campaign', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	});
	return created.id;
}

/**
 * The numbers the campaign's templates went to after request `mark`. Only templates: the AI agent example's trigger
 * gets a copy of the customer's message too and answers it with a free-form text, on a worker, whenever it gets to it.
 */
function templatesSentAfter(ctx: E2eContext, mark: number): string[] {
	return ctx.sandbox
		.requestsTo('sobot', '/message/')
		.filter((r) => r.id > mark)
		.map((r) => r.body as { customer_number?: string; template_name?: string })
		.filter((body) => typeof body.template_name === 'string')
		.map((body) => String(body.customer_number));
}

const statuses = (items: Item[]) => items.map((i) => String(i.json.status));
const count = (list: string[], value: string) => list.filter((s) => s === value).length;

export async function optOutGuardrailChecks(
	ctx: E2eContext,
	{ webhookBaseUrl }: { webhookBaseUrl: () => string },
): Promise<void> {
	const { suite, sandbox } = ctx;
	// The executions these checks start (the agent's answers to STOP and START among them) begin after this.
	const checksBegan = Date.now() - 5000;
	let table: DataTableRef | undefined;
	const ready = await suite.check(
		'opt-out: the example data table exists (created through REST)',
		async () => {
			[table] = await ensureDataTables(ctx.rest, OPT_OUT_TABLES);
			expect(table?.name === 'sobot_opt_outs', `got ${JSON.stringify(table)}`);
		},
	);

	if (ready && table) {
		const optOuts = table;
		const copied = wireWebhookCopies(sandbox, ctx.examples, webhookBaseUrl(), ctx.webhookSecrets);
		try {
			const captured = await suite.check(
				'opt-out: "Stop 🙏" posted by the sandbox as a Sobot webhook is marked optOut and written to the table by the published example',
				async () => {
					const captureTrigger = ctx.examples.find((e) => e.workflow.id === CAPTURE_WORKFLOW)
						?.trigger?.webhookId;
					expect(
						captureTrigger && copied.some((url) => url.includes(captureTrigger)),
						`the opt-out example's trigger gets no copy of the Sobot webhooks (${copied.join(', ')})`,
					);
					// n8n registers published webhooks a little after it reports ready: wait until this one answers.
					// The probe is no Sobot payload, so the trigger refuses it (400) without starting an execution.
					const target = sandbox.webhooks.copies.sobot?.find((c) =>
						c.url.includes(captureTrigger!),
					);
					await waitFor(
						"the opt-out example's webhook to be registered",
						async () => {
							const probe = await fetch(target!.url, {
								method: 'POST',
								headers: { 'content-type': 'application/json', ...target!.headers },
								body: JSON.stringify({ probe: true }),
							});
							await probe.text();
							return probe.status === 404 ? undefined : probe.status;
						},
						120_000,
						1000,
					);
					const delivery = await sandbox.sobot.incoming({
						from: ARJUN,
						name: 'Arjun',
						text: 'Stop 🙏',
					});
					expect(
						delivery?.copies?.some((c) => c.url.includes(captureTrigger!) && c.status === 200),
						`the opt-out example did not take the webhook: ${JSON.stringify(delivery)}`,
					);
					const row = await waitFor(
						'the opt-out row',
						async () => (await rows(ctx, optOuts)).find((r) => r.number === ARJUN),
						120_000,
						500,
					);
					expectFields('opt-out row', row, { number: ARJUN, name: 'Arjun', text: 'Stop 🙏' });
					// The trigger item itself carried the flag (the filter let it through on it).
					const runs = await ctx.stored.settle(CAPTURE_WORKFLOW, 1500, 60_000);
					expect(runs.length > 0, 'no execution of the opt-out example');
					const stack = (ctx as Partial<QueueE2eContext>).stack;
					if (stack)
						suite.note(
							`the webhook's execution ${runs[0].id} ran on ${(await workerOf(stack, String(runs[0].id))).name}`,
						);
				},
			);

			if (captured) {
				await suite.check(
					'opt-out: the next campaign reads the table into Do Not Send To: the customer who wrote STOP gets nothing, the others get the template',
					async () => {
						const mark = sandbox.requests.at(-1)?.id ?? 0;
						const campaign = output(await run(ctx, CAMPAIGN_WORKFLOW), 'Campaign');
						expectFields(
							'campaign report',
							{ statuses: statuses(campaign) },
							{ statuses: ['sent', 'opted out', 'sent'] },
						);
						expectFields('opted-out line', campaign[1].json, {
							status: 'opted out',
							optedOut: true,
							to: ARJUN,
							attempts: 0,
						});
						const sentTo = templatesSentAfter(ctx, mark);
						expectFields(
							'numbers the sandbox was asked to message',
							{ sentTo },
							{ sentTo: ['919812345611', '919812345613'] },
						);
					},
				);

				await suite.check(
					'opt-out: "START" from the same customer (optIn) removes the row',
					async () => {
						await sandbox.sobot.incoming({ from: ARJUN, name: 'Arjun', text: 'START' });
						await waitFor(
							'the opt-out row to go',
							async () =>
								(await rows(ctx, optOuts)).some((r) => r.number === ARJUN) ? undefined : true,
							120_000,
							500,
						);
					},
				);
			}
		} finally {
			delete sandbox.webhooks.copies.sobot;
		}
	}

	await suite.check(
		'opt-out: a Do Not Send To list written in other number forms than the recipients holds them back',
		async () => {
			const id = await copyWorkflow(ctx, CAMPAIGN_WORKFLOW, 'typed list', (node) =>
				node.name === 'Campaign'
					? {
							...node,
							parameters: {
								...node.parameters,
								campaignName: 'opt-out-forms',
								// Recipients are "+91 98123 45611" and "+91 98123 45613".
								sendingOptions: { doNotSendTo: '098123-45611\n(+91) 9812 345 613, 9198123456 99' },
							},
						}
					: node,
			);
			const mark = sandbox.requests.at(-1)?.id ?? 0;
			const campaign = output(await run(ctx, id), 'Campaign');
			expectFields(
				'campaign report',
				{ statuses: statuses(campaign) },
				{ statuses: ['opted out', 'sent', 'opted out'] },
			);
			const sentTo = templatesSentAfter(ctx, mark);
			expectFields('numbers messaged', { sentTo }, { sentTo: ['919812345612'] });
		},
	);

	await suite.check(
		'stop on signal: the sandbox bans the sender after 30 of 100 messages → 30 accepted, no request after the refusal, 70 "not sent"; after unban a re-run with the same Campaign ID sends the 70 once',
		async () => {
			const campaignName = `ban-e2e-${Date.now()}`;
			const id = await bannedCampaignWorkflow(ctx, campaignName);
			// The AI agent example answers the customer's STOP and START above on a worker, in its own time; its replies
			// would count towards the sandbox's "after 30 messages". Let every execution that answers webhooks finish.
			await sandbox.webhooks.idle();
			for (const workflowId of ctx.examples.filter((e) => e.trigger).map((e) => e.workflow.id))
				await ctx.stored.settle(workflowId, 2000, 120_000, checksBegan);
			await adminPost(ctx, '/account', { vendor: 'sobot', signal: 'banned', afterMessages: 30 });
			try {
				const mark = sandbox.requests.at(-1)?.id ?? 0;
				const acceptedBefore = sandbox.accepted.length;
				const first = output(await run(ctx, id), 'Campaign');
				const acceptedTemplates = () =>
					sandbox.accepted
						.slice(acceptedBefore)
						.filter((m) => m.vendor === 'sobot' && m.type === 'template');
				const sends = sandbox.requestsTo('sobot', '/message/').filter((r) => r.id > mark);
				const refusedAt = sends.findIndex((r) => r.status === 403);
				expect(first.length === 100, `${first.length} output items for 100 inputs`);
				expect(
					first.every((item, index) => (item.pairedItem as { item: number }).item === index),
					'pairedItem does not follow the input',
				);
				const firstStatuses = statuses(first);
				expectFields(
					'first run',
					{
						sent: count(firstStatuses, 'sent'),
						notSent: count(firstStatuses, 'not sent'),
						accepted: acceptedTemplates().length,
						acceptedOfAnyKind: sandbox.accepted.length - acceptedBefore,
						requests: sends.length,
						refusedAt,
					},
					{
						sent: 30,
						notSent: 70,
						accepted: 30,
						acceptedOfAnyKind: 30,
						requests: 31,
						refusedAt: 30,
					},
				);
				expect(
					String(first[60].json.error).includes(
						'the run stopped because Sobot says the sending number is banned',
					),
					`line 60 says: ${String(first[60].json.error)}`,
				);
				suite.note(`line 30: ${String(first[30].json.error).slice(0, 160)}`);

				await adminPost(ctx, '/account', { vendor: 'sobot', signal: 'none' });
				const markAgain = sandbox.requests.at(-1)?.id ?? 0;
				const second = output(await run(ctx, id), 'Campaign');
				const again = statuses(second);
				const resent = sandbox.requestsTo('sobot', '/message/').filter((r) => r.id > markAgain);
				const everyone = acceptedTemplates().map((m) => m.to);
				expectFields(
					'second run',
					{
						alreadySent: count(again, 'already sent'),
						sent: count(again, 'sent'),
						requests: resent.length,
						acceptedInAll: everyone.length,
						distinct: new Set(everyone).size,
					},
					{ alreadySent: 30, sent: 70, requests: 70, acceptedInAll: 100, distinct: 100 },
				);
			} finally {
				await adminPost(ctx, '/account', { vendor: 'sobot', signal: 'none' });
			}
		},
	);
}
