/**
 * What queue mode adds: every execution ran on a worker (never on main or the webhook processor), the vendors'
 * webhooks reached the webhook processor, Sobot media landed in the database binary mode, and the helpers that
 * multi-process checks build on (e2e/queue-tools.ts) do what they say, each used once here.
 */
import { expect, expectFields } from '../harness';
import type { QueueE2eContext } from '../queue-tools';
import {
	countExecutions,
	killWorkerDuring,
	postAtOnce,
	processesThatRan,
	queueRunner,
	settledCounts,
	startRun,
	workerOf,
} from '../queue-tools';
import { CRASH, QUEUE_IDS } from '../queue-workflows';
import { webhookTarget } from '../../scripts/dev/provision';
import { storedFile } from './queue-binary';

const SOBOT_TRIGGER = { workflowId: 'exSobotTrigger01', node: 'Sobot Trigger' };

export async function queueProcessChecks(
	ctx: QueueE2eContext,
	ranOn: Map<string, string>,
): Promise<void> {
	const { suite, stack } = ctx;

	await suite.check(
		'every stored execution ran on a worker (its log), none on main or the webhook processor',
		async () => {
			const executions = await ctx.stored.list();
			const wrong: string[] = [];
			const perWorker: Record<string, number> = {};
			const perMode: Record<string, number> = {};
			for (const execution of executions) {
				const ran = processesThatRan(stack, execution.id);
				if (ran.length !== 1 || ran[0].role !== 'worker')
					wrong.push(
						`${execution.id} (${execution.workflowId}, ${execution.mode}): ${ran.map((p) => p.name).join(', ') || 'no worker log line'}`,
					);
				for (const p of ran) perWorker[p.name] = (perWorker[p.name] ?? 0) + 1;
				perMode[execution.mode] = (perMode[execution.mode] ?? 0) + 1;
			}
			expect(executions.length > 0, 'no executions stored');
			expect(wrong.length === 0, `executions not run by exactly one worker:\n${wrong.join('\n')}`);
			expect(
				perMode.manual > 0 && perMode.webhook > 0,
				`expected manual (REST run) and webhook executions, got ${JSON.stringify(perMode)}`,
			);
			suite.note(
				`${executions.length} executions: ${JSON.stringify(perMode)}; by worker ${JSON.stringify(perWorker)}; ${ranOn.size} started through REST`,
			);
		},
	);

	await suite.check(
		"both triggers: the vendors' webhooks went to the webhook processor, which handed them to the workers",
		async () => {
			const deliveries = ctx.sandbox.webhooks.log.filter((d) =>
				d.url.startsWith(`${stack.webhookUrl}/`),
			);
			const byVendor: Record<string, number> = {};
			for (const d of deliveries) byVendor[d.vendor] = (byVendor[d.vendor] ?? 0) + 1;
			const refused = deliveries.filter((d) => d.status !== 200);
			expect(
				byVendor.profilora > 0 && byVendor.sobot > 0,
				`deliveries to the webhook processor by vendor: ${JSON.stringify(byVendor)}`,
			);
			expect(
				refused.length === 0,
				`the webhook processor refused: ${refused.map((d) => `${d.vendor} ${d.status ?? d.error}`).join(', ')}`,
			);
			const triggered = (await ctx.stored.list()).filter((e) => e.mode === 'webhook');
			expect(triggered.length > 0, 'no webhook executions stored');
			suite.note(
				`${deliveries.length} deliveries to ${stack.webhookUrl} (${JSON.stringify(byVendor)}), all HTTP 200; ${triggered.length} webhook executions, each on a worker`,
			);
		},
	);

	await suite.check(
		"Sobot Trigger: the downloaded media is in the database binary mode under its execution, and the editor's download answers 200",
		async () => {
			const runs = await ctx.stored.items(SOBOT_TRIGGER.workflowId, SOBOT_TRIGGER.node);
			const withMedia = runs.flatMap((run) =>
				run.items.filter((item) => item.binary?.data).map((item) => ({ run, item })),
			);
			expect(withMedia.length > 0, 'no Sobot Trigger execution holds a downloaded file');
			const { run, item } = withMedia[withMedia.length - 1];
			const id = item.binary!.data!.id!;
			const row = await storedFile(ctx, id);
			// A file made in webhook() would keep the execution id "temp", which n8n 2.41 never corrects in this mode:
			// the trigger downloads in its execute() instead (nodes/shared/webhookTrigger/handler.ts).
			expectFields('binary_data row', row, {
				sourceType: 'execution',
				sourceId: String(run.executionId),
			});
			const worker = await workerOf(stack, run.executionId);
			const response = await fetch(
				`${stack.mainUrl}/rest/binary-data?id=${encodeURIComponent(id)}&action=download`,
				{ headers: { cookie: ctx.rest.cookieHeader ?? '' } },
			);
			const bytes = Buffer.from(await response.arrayBuffer());
			expect(
				response.status === 200 && bytes.length === Number(row.size),
				`the editor's download through main answered HTTP ${response.status} with ${bytes.length} bytes (stored: ${row.size})`,
			);
			suite.note(
				`execution ${run.executionId} on ${worker.name}: ${id}, ${row.size} bytes in PostgreSQL, source ${row.sourceType}/${row.sourceId}; the editor's download: HTTP 200`,
			);
		},
	);
}

export async function queueHelperChecks(ctx: QueueE2eContext): Promise<void> {
	const { suite, stack, sandbox } = ctx;

	await suite.check(
		'helper postAtOnce + countExecutions: 20 Sobot status events posted at the webhook processor and at main at once',
		async () => {
			const trigger = ctx.examples.find(
				(e) => e.workflow.id === SOBOT_TRIGGER.workflowId,
			)!.trigger!;
			// Earlier sends' status webhooks still arriving would count as ours: let them land first.
			await sandbox.webhooks.idle();
			const before = await settledCounts(ctx, SOBOT_TRIGGER.workflowId);
			const prefix = `wamid.queue-helper-${Date.now()}-`;
			const events = Array.from({ length: 20 }, (_, i) =>
				sandbox.sobot.statusPayload(`${prefix}${i}`, 'delivered'),
			);
			const targets = [
				webhookTarget(trigger, stack.webhookUrl, ctx.webhookSecrets),
				webhookTarget(trigger, stack.mainUrl, ctx.webhookSecrets),
			];
			const results = await postAtOnce(targets, events);
			const bad = results.filter((r) => r.status !== 200);
			expect(
				bad.length === 0,
				`posts not answered 200: ${bad.map((r) => `${r.url.split('/webhook')[0]} #${r.index}: ${r.status ?? r.error}`).join(', ')}`,
			);
			const after = await settledCounts(ctx, SOBOT_TRIGGER.workflowId);
			expect(
				JSON.stringify(after.database) === JSON.stringify(after.rest),
				`PostgreSQL ${JSON.stringify(after.database)} and REST ${JSON.stringify(after.rest)} disagree`,
			);
			// Ours, by content: executions whose trigger items carry one of these message ids.
			const ours = (await ctx.stored.items(SOBOT_TRIGGER.workflowId, SOBOT_TRIGGER.node)).filter(
				(run) => run.items.some((item) => String(item.json.messageId).startsWith(prefix)),
			);
			const perEvent = new Map<string, number>();
			for (const run of ours)
				for (const item of run.items)
					perEvent.set(
						String(item.json.messageId),
						(perEvent.get(String(item.json.messageId)) ?? 0) + 1,
					);
			expect(
				perEvent.size === events.length,
				`${events.length} distinct events reached ${perEvent.size} executions' items`,
			);
			suite.note(
				`${events.length} distinct events × 2 processes = ${results.length} posts → ${ours.length} executions with them (${ours.length - events.length} for duplicates; ` +
					`${after.total - before.total} new executions of the workflow in all); counts ${JSON.stringify(after.database)}`,
			);
		},
	);

	await suite.check(
		'helper killWorkerDuring: SIGKILL the worker in the middle of a paced campaign, a new worker takes over',
		async () => {
			const mark = sandbox.requests.at(-1)?.id ?? 0;
			const sent = () =>
				sandbox.requests.filter(
					(r) => r.id > mark && r.vendor === 'sobot' && r.path === '/message/' && r.status === 200,
				).length;
			const executionId = await startRun(ctx.rest, QUEUE_IDS.crash);
			const { killed, replacement } = await killWorkerDuring(stack, executionId, () => sent() >= 2);
			const sentAtKill = sent();
			expect(!killed.alive(), `${killed.name} still runs`);
			expect(
				replacement.alive() && stack.workers.includes(replacement),
				`${replacement.name} is not among the workers`,
			);
			// The stack goes on: the next execution runs on one of the current workers.
			const probe = new Map<string, string>();
			await queueRunner(ctx, probe)('exWaChatProList1', {});
			const [probeWorker] = [...probe.values()];
			expect(
				stack.workers.some((w) => w.name === probeWorker),
				`the next execution ran on ${probeWorker}, not a current worker`,
			);
			// What n8n makes of the killed execution (Bull does not retry it: maxStalledCount 0); reported, not judged.
			let status = String((await ctx.stored.get(executionId)).summary.status);
			const deadline = Date.now() + 40_000;
			while (['new', 'running'].includes(status) && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 2000));
				status = String((await ctx.stored.get(executionId)).summary.status);
			}
			await sandbox.webhooks.idle();
			const counts = await countExecutions(ctx, QUEUE_IDS.crash);
			suite.note(
				`${killed.name} (pid ${killed.pid}) killed after ${sentAtKill} of ${CRASH.count} messages; ${replacement.name} (pid ${replacement.pid}) started; next execution ran on ${probeWorker}`,
			);
			suite.note(
				`killed execution ${executionId}: status "${status}" after up to 40 s; sandbox got ${sent()} of ${CRASH.count} messages in all; executions ${JSON.stringify(counts.database)}`,
			);
		},
	);
}
