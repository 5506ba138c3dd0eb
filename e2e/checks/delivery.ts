/**
 * Delivery tracking with n8n's data tables, in a real n8n: the three examples/sobot-delivery-*.json workflows as they
 * ship. The campaign example sends through the sandbox and writes one row per recipient; the sandbox posts its status
 * webhooks (by the number: read, delivered only, sent only, failed) to the published status workflow, which logs each
 * event and moves the row forward; the report example counts and lists what was accepted but never delivered. The
 * table's rows are judged against what the sandbox accepted and which status webhooks the workflow answered with 200.
 */
import { DELIVERY_TABLES, ensureDataTables, wireWebhookCopies } from '../../scripts/dev/provision';
import type { DataTableRef } from '../../scripts/dev/provision';
import { statusesFor } from '../../sandbox/vendors/sobot';
import type { E2eContext } from '../context';
import { expect, expectFields, fail, waitFor } from '../harness';
import type { Item, RunData } from '../n8n';
import { startRun, waitForExecution } from '../queue-tools';

const CAMPAIGN_WORKFLOW = 'exSobotDelivery1';
const STATUS_WORKFLOW = 'exSobotDelivery2';
const REPORT_WORKFLOW = 'exSobotDelivery3';
const CAMPAIGN = 'order_update/delivery-demo';
const RANK: Record<string, number> = { accepted: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

type Row = Record<string, unknown>;

async function rows(ctx: E2eContext, table: DataTableRef): Promise<Row[]> {
	const page = await ctx.rest.get<{ count: number; data: Row[] }>(
		`/rest/projects/${table.projectId}/data-tables/${table.id}/rows?take=1000`,
	);
	expect(
		page.data.length === page.count,
		`${table.name}: ${page.count} rows, one page read ${page.data.length}`,
	);
	return page.data;
}

/** Runs a workflow from its manual trigger through REST (the editor's way; `n8n execute` loads no data-table module). */
async function run(ctx: E2eContext, workflowId: string): Promise<RunData> {
	const execution = await waitForExecution(ctx.stored, await startRun(ctx.rest, workflowId));
	const error = execution.run.data?.resultData?.error?.message;
	if (execution.summary.status !== 'success' || error)
		fail(`workflow ${workflowId}: ${String(execution.summary.status)} ${error ?? ''}`);
	return execution.run;
}

/** A node's output items, or none when the node did not run for lack of input. */
function output(run: RunData, node: string): Item[] {
	const tasks = run.data?.resultData?.runData?.[node];
	if (!tasks?.length) return [];
	const task = tasks[tasks.length - 1];
	if (task.error) fail(`node "${node}" failed: ${task.error.message}`);
	return task.data?.main?.[0] ?? [];
}

/** The highest-ranked status the sandbox posted for a message that the status workflow's trigger answered with 200. */
function deliveredStatus(
	ctx: E2eContext,
	messageId: string,
	statusUrl: string,
): { best: string | undefined; posted: string[] } {
	const posted = ctx.sandbox.webhooks.log
		.filter((d) => (d.body as { id?: string }).id === messageId)
		.filter((d) => d.copies?.some((c) => c.url === statusUrl && c.status === 200))
		.map((d) => (d.body as { status: string }).status);
	const best = [...posted].sort((a, b) => (RANK[b] ?? 0) - (RANK[a] ?? 0))[0];
	return { best, posted };
}

export async function deliveryChecks(ctx: E2eContext): Promise<void> {
	const { suite, sandbox } = ctx;
	let tables: DataTableRef[] = [];
	const table = (name: string) =>
		tables.find((t) => t.name === name) ?? fail(`no data table ${name}`);

	const ready = await suite.check(
		'delivery tracking: its data tables are created through REST, and again changes nothing',
		async () => {
			const first = await ensureDataTables(ctx.rest);
			const again = await ensureDataTables(ctx.rest);
			expect(
				first.every((t) => t.created),
				`expected fresh tables, got ${JSON.stringify(first)}`,
			);
			expect(
				again.every((t, i) => !t.created && t.id === first[i].id),
				`the second call made or changed tables: ${JSON.stringify(again)}`,
			);
			tables = again;
			for (const wanted of DELIVERY_TABLES) {
				const columns = await ctx.rest.get<Array<{ name: string; type: string }>>(
					`/rest/projects/${table(wanted.name).projectId}/data-tables/${table(wanted.name).id}/columns`,
				);
				expectFields(
					`${wanted.name} columns`,
					{ columns: columns.map((c) => `${c.name}:${c.type}`) },
					{
						columns: wanted.columns.map((c) => `${c.name}:${c.type}`),
					},
				);
			}
			const listed = await ctx.rest.get<{ data: Array<{ name: string }> }>(
				`/rest/projects/${first[0].projectId}/data-tables?take=100`,
			);
			for (const wanted of DELIVERY_TABLES) {
				const same = listed.data.filter((t) => t.name === wanted.name).length;
				expect(same === 1, `${same} data tables named ${wanted.name}`);
			}
			suite.note(tables.map((t) => `${t.name} ${t.id}`).join(', '));
		},
	);
	if (!ready) return;

	// The status workflow gets a copy of every Sobot webhook while these checks run (the Sobot Trigger example keeps its own).
	const copied = wireWebhookCopies(sandbox, ctx.examples, ctx.n8n.url, ctx.webhookSecrets);
	const statusUrl = copied.find((url) =>
		url.includes(ctx.examples.find((e) => e.workflow.id === STATUS_WORKFLOW)!.trigger!.webhookId),
	);
	let report: Item[] = [];
	let before: Row[] = [];
	try {
		const tracked = await suite.check(
			'delivery tracking: the campaign example writes one row per recipient; status events bring every row to what the sandbox delivered',
			async () => {
				expect(
					statusUrl,
					`the status workflow's trigger got no copy of the Sobot webhooks (${copied.join(', ')})`,
				);
				const campaignRun = await run(ctx, CAMPAIGN_WORKFLOW);
				report = output(campaignRun, 'Campaign');
				expectFields(
					'campaign report',
					{ statuses: report.map((i) => i.json.status) },
					{
						statuses: ['sent', 'sent', 'sent', 'sent', 'sent', 'failed', 'skipped'],
					},
				);
				const sent = report.filter((i) => i.json.status === 'sent');
				for (const item of sent)
					expect(
						sandbox.sobot.sent.some((m) => m.id === item.json.messageId),
						`the sandbox did not accept ${String(item.json.messageId)}`,
					);

				// Expected rows: one per recipient (the repeated number's line is skipped), each at the best status delivered.
				const lines = report.filter((i) => i.json.status !== 'skipped');
				const final = await waitFor(
					'every row to reach the last status the sandbox delivered',
					async () => {
						await sandbox.webhooks.idle();
						const now = await rows(ctx, table('sobot_delivery'));
						const done = lines.every((line) => {
							const row = now.find((r) => r.number === line.json.to);
							if (!row) return false;
							if (line.json.status !== 'sent') return row.status === line.json.status;
							return (
								row.status === deliveredStatus(ctx, String(line.json.messageId), statusUrl!).best
							);
						});
						return done ? now : undefined;
					},
					180_000,
					1000,
				);
				expect(
					final.length === lines.length,
					`${final.length} rows for ${lines.length} recipients: ${JSON.stringify(final)}`,
				);
				for (const line of lines) {
					const row = final.find((r) => r.number === line.json.to)!;
					if (line.json.status === 'sent') {
						const { best, posted } = deliveredStatus(ctx, String(line.json.messageId), statusUrl!);
						// The sandbox's rule for the number, and the statuses it really posted, both say where the row must end.
						const rule = statusesFor(String(line.json.to));
						expect(
							best === rule.at(-1) && posted.length === rule.length,
							`${String(line.json.to)}: posted ${posted.join(',')}, rule ${rule.join(',')}`,
						);
						expectFields(
							`row of ${String(line.json.to)}`,
							{
								...row,
								sentAt: row.sentAt ? new Date(String(row.sentAt)).toISOString() : row.sentAt,
							},
							{
								campaign: CAMPAIGN,
								name: line.json.name,
								messageId: line.json.messageId,
								status: best,
								statusRank: RANK[best!],
								sentAt: new Date(String(line.json.sentAt)).toISOString(),
								error: best === 'failed' ? 'WhatsApp reports the message as failed' : null,
							},
						);
					} else {
						expectFields(
							`row of ${String(line.json.to)}`,
							{
								...row,
								sentAt: row.sentAt ? new Date(String(row.sentAt)).toISOString() : row.sentAt,
							},
							{
								campaign: CAMPAIGN,
								messageId: null,
								status: 'failed',
								statusRank: 0,
								error: line.json.error,
							},
						);
					}
				}

				// Every status webhook the workflow answered is in the event log once.
				const events = await rows(ctx, table('sobot_status_events'));
				for (const item of sent) {
					const { posted } = deliveredStatus(ctx, String(item.json.messageId), statusUrl!);
					const logged = events
						.filter((e) => e.messageId === item.json.messageId)
						.map((e) => String(e.status));
					expectFields(
						`events of ${String(item.json.to)}`,
						{ statuses: logged.sort() },
						{ statuses: [...posted].sort() },
					);
				}
				const runs = await ctx.stored.settle(STATUS_WORKFLOW, 1500, 60_000);
				const failed = runs.filter((r) => r.status !== 'success');
				expect(
					failed.length === 0,
					`${failed.length} status workflow executions did not succeed: ${failed.map((r) => `${r.id} ${r.status}`).join(', ')}`,
				);
				const early = output(campaignRun, 'Apply Latest Status').length;
				suite.note(
					`${final.length} rows (${final.map((r) => `${String(r.number).slice(-4)} ${String(r.status)}`).join(', ')}); ${events.length} events logged by ${runs.length} executions; ` +
						`${early} row(s) got a status that arrived before the campaign wrote them`,
				);
				before = final;
			},
		);

		if (tracked) {
			await suite.check(
				'delivery tracking: the report example counts per campaign and lists accepted-but-never-delivered numbers after N hours',
				async () => {
					const counts = (items: Item[]) =>
						Object.fromEntries(
							items.map((i) => [
								`${String(i.json.campaign)} ${String(i.json.status)}`,
								i.json.recipients,
							]),
						);
					const expected: Record<string, number> = {};
					for (const row of before)
						expected[`${CAMPAIGN} ${String(row.status)}`] =
							(expected[`${CAMPAIGN} ${String(row.status)}`] ?? 0) + 1;

					const shipped = await run(ctx, REPORT_WORKFLOW);
					expectFields(
						'counts',
						{ counts: counts(output(shipped, 'Counts')) },
						{ counts: expected },
					);
					// Campaign › Report over the same rows: the funnel of what the status events made of them.
					const [chart] = output(shipped, 'Campaign Report');
					const withId = before.filter(
						(r) => typeof r.messageId === 'string' && r.messageId !== '',
					);
					const having = (...statuses: string[]) =>
						before.filter((r) => statuses.includes(String(r.status))).length;
					expectFields('campaign report over the rows', chart?.json, {
						title: CAMPAIGN,
						recipients: before.length,
						accepted: withId.length,
						delivered: having('delivered', 'read'),
						read: having('read'),
						deliveryFailed: withId.filter((r) => r.status === 'failed').length,
						sendFailed: before.filter((r) => r.status === 'failed' && !withId.includes(r)).length,
						awaitingStatus: having('accepted', 'sent'),
						other: 0,
					});
					expect(
						chart.binary?.data?.mimeType === 'image/png',
						`the report has no PNG chart: ${JSON.stringify(chart.binary)}`,
					);
					const within24 = output(shipped, 'Numbers to Follow Up');
					expect(
						within24.length === 0,
						`after 24 hours nothing is overdue yet, got ${JSON.stringify(within24.map((i) => i.json))}`,
					);

					// The same report with N = 0 hours: everything accepted and not delivered so far.
					const workflow = await ctx.rest.get<{
						name: string;
						nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
						connections: unknown;
						settings: unknown;
					}>(`/rest/workflows/${REPORT_WORKFLOW}`);
					const nodes = workflow.nodes.map((node) =>
						node.name === 'Settings'
							? {
									...node,
									parameters: JSON.parse(
										JSON.stringify(node.parameters).replace('"value":24', '"value":0'),
									) as unknown,
								}
							: node,
					);
					expect(
						JSON.stringify(nodes).includes('"value":0'),
						'could not set the report to 0 hours',
					);
					const copy = await ctx.rest.post<{ id: string }>('/rest/workflows', {
						name: `${workflow.name} (e2e: 0 hours)`,
						nodes,
						connections: workflow.connections,
						settings: workflow.settings,
					});
					const now = await run(ctx, copy.id);
					const overdue = output(now, 'Numbers to Follow Up').map((i) => i.json);
					const notDelivered = before.filter((r) => r.status === 'accepted' || r.status === 'sent');
					expect(notDelivered.length > 0, 'the campaign left no number undelivered to look for');
					expectFields(
						'numbers accepted but never delivered',
						{ numbers: overdue.map((o) => o.number).sort() },
						{ numbers: notDelivered.map((r) => r.number).sort() },
					);
					expectFields('a number to follow up', overdue[0], {
						campaign: CAMPAIGN,
						status: 'sent',
						messageId: notDelivered[0].messageId,
					});
					suite.note(
						`counts ${JSON.stringify(counts(output(now, 'Counts')))}; never delivered: ${overdue.map((o) => String(o.number)).join(', ')}`,
					);
				},
			);

			await suite.check(
				'delivery tracking: the campaign run again sends nothing new and keeps one row per recipient, statuses intact',
				async () => {
					const again = output(await run(ctx, CAMPAIGN_WORKFLOW), 'Campaign');
					expectFields(
						'second report',
						{ statuses: again.map((i) => i.json.status) },
						{
							statuses: [
								'already sent',
								'already sent',
								'already sent',
								'already sent',
								'already sent',
								'failed',
								'skipped',
							],
						},
					);
					const after = await rows(ctx, table('sobot_delivery'));
					const view = (list: Row[]) =>
						list
							.map(
								(r) =>
									`${String(r.number)} ${String(r.messageId)} ${String(r.status)} ${String(r.statusRank)}`,
							)
							.sort();
					expectFields('rows after the second run', { rows: view(after) }, { rows: view(before) });
				},
			);

			await suite.check(
				'delivery tracking: a status for an existing row moves it forward, a late lower one does not move it back',
				async () => {
					const line = (suffix: string) =>
						report.find((i) => String(i.json.to).endsWith(suffix)) ??
						fail(`no report line for …${suffix}`);
					const phoneOff = String(line('888').json.messageId);
					const failedOne = String(line('999').json.messageId);
					const eventsBefore = (await rows(ctx, table('sobot_status_events'))).length;
					// Out of order, as two executions at once can apply them: read first, then delivered.
					for (const [id, status] of [
						[phoneOff, 'read'],
						[phoneOff, 'delivered'],
						[failedOne, 'delivered'],
					]) {
						const delivery = await sandbox.sobot.status(id, status);
						expect(
							delivery?.copies?.every((c) => c.status === 200),
							`status ${status} of ${id}: ${JSON.stringify(delivery)}`,
						);
					}
					await waitFor(
						'the three events to be logged',
						async () =>
							(await rows(ctx, table('sobot_status_events'))).length === eventsBefore + 3
								? true
								: undefined,
						60_000,
						500,
					);
					await ctx.stored.settle(STATUS_WORKFLOW, 1500, 60_000);
					const now = await rows(ctx, table('sobot_delivery'));
					expectFields(
						'row of the phone that was off',
						now.find((r) => r.messageId === phoneOff),
						{ status: 'read', statusRank: 4 },
					);
					expectFields(
						'row of the failed message',
						now.find((r) => r.messageId === failedOne),
						{ status: 'failed', statusRank: 5 },
					);
				},
			);
		}
	} finally {
		delete sandbox.webhooks.copies.sobot;
	}
}
