/**
 * Tools for e2e checks against the queue-mode stack (scripts/n8n/queue.ts), shared by e2e/queue.ts and by checks
 * that need several processes (duplicates across processes, a worker killed mid-campaign):
 *
 *   queueRunner(q)                      runs a workflow on a worker (REST "run", offloaded) and returns its stored run data
 *   startRun(q, id) / waitForExecution  the same in two steps, to start several executions at once
 *   workerOf(q, executionId)            which worker's log says it ran the execution (none: it did not run on a worker)
 *   postAtOnce(targets, bodies)         posts every body at every target at the same moment (webhook processor + main)
 *   killWorkerDuring(q, executionId)    SIGKILLs the worker running an execution, starts a new worker in its place
 *   countExecutions(q, workflowId)      executions of a workflow by status, from PostgreSQL and from REST
 */
import * as fs from 'fs';

import type { QueueProcess, QueueStack } from '../scripts/n8n/queue';
import type { N8nRestClient } from '../scripts/n8n/rest';
import { currentLine } from '../scripts/n8n/versions';
import type { E2eContext, WorkflowRunner } from './context';
import { expect, fail, sleep, waitFor } from './harness';
import type { RunData, StoredExecution, StoredExecutions } from './n8n';

export interface QueueE2eContext extends E2eContext {
	stack: QueueStack;
}

type Q = Pick<QueueE2eContext, 'rest' | 'stored' | 'stack'>;

const RUNNING = ['new', 'running', 'waiting', 'unknown'];

/**
 * Starts a workflow from its manual trigger through `POST /rest/workflows/:id/run` (in queue mode main hands it to the
 * queue).
 */
export async function startRun(rest: N8nRestClient, workflowId: string): Promise<string> {
	const workflow = await rest.get<{ nodes: Array<{ name: string; type: string }> }>(
		`/rest/workflows/${workflowId}`,
	);
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) fail(`workflow ${workflowId} has no manual trigger to start from`);
	const result = await rest.post<{ executionId?: string; waitingForWebhook?: boolean }>(
		`/rest/workflows/${workflowId}/run`,
		{
			triggerToStartFrom: { name: trigger.name },
			// n8n 1.123 runs the workflow the editor sends, not the stored one.
			...(currentLine().has.manualRunFromStored ? {} : { workflowData: workflow }),
		},
	);
	if (!result.executionId)
		fail(`n8n did not start workflow ${workflowId}: ${JSON.stringify(result)}`);
	return result.executionId;
}

/** Polls the stored execution until it has finished (any final status). */
export async function waitForExecution(
	stored: StoredExecutions,
	executionId: string,
	timeoutMs = 300_000,
): Promise<StoredExecution> {
	return await waitFor(
		`execution ${executionId} to finish`,
		async () => {
			const execution = await stored.get(executionId);
			return RUNNING.includes(String(execution.summary.status)) ? undefined : execution;
		},
		timeoutMs,
		300,
	);
}

const startedLine = (executionId: string) => `Worker started execution ${executionId} (`;
const finishedLine = (executionId: string) => `Worker finished execution ${executionId} (`;

/** The processes whose log says they started the execution as a worker (n8n 2.41's job processor logs it). */
export function processesThatRan(stack: QueueStack, executionId: string): QueueProcess[] {
	const line = startedLine(executionId);
	const names = stack
		.logs()
		.filter((log) => log.text.includes(line))
		.map((log) => log.name);
	return stack.all.filter((p) => names.includes(p.name));
}

/** The one worker that ran the execution; waits a little for its log line. Fails if none or several did. */
export async function workerOf(
	stack: QueueStack,
	executionId: string,
	{ finished = true } = {},
): Promise<QueueProcess> {
	return await waitFor(
		`a worker's log to show execution ${executionId}`,
		async () => {
			const ran = processesThatRan(stack, executionId);
			if (ran.length > 1)
				fail(`execution ${executionId} was started by ${ran.map((p) => p.name).join(' and ')}`);
			const [worker] = ran;
			if (!worker) return undefined;
			if (worker.role !== 'worker')
				fail(`execution ${executionId} ran on ${worker.name}, not on a worker`);
			if (
				finished &&
				!stack
					.logs()
					.find((l) => l.name === worker.name)
					?.text.includes(finishedLine(executionId))
			)
				return undefined;
			return worker;
		},
		15_000,
		300,
	);
}

/**
 * Queue mode's replacement for `n8n execute`: the workflow runs on a worker, and its run data is read back from the
 * database through REST, as the editor shows it. Records which worker ran each execution.
 */
export function queueRunner(q: Q, ranOn: Map<string, string> = new Map()): WorkflowRunner {
	return async (workflowId, { expectFailure = false }) => {
		const executionId = await startRun(q.rest, workflowId);
		const execution = await waitForExecution(q.stored, executionId);
		const worker = await workerOf(q.stack, executionId);
		ranOn.set(executionId, worker.name);
		const run: RunData = execution.run;
		const failed = execution.summary.status !== 'success' || !!run.data?.resultData?.error;
		const output = `execution ${executionId} (${String(execution.summary.mode)}) on ${worker.name}: ${String(execution.summary.status)}`;
		if (failed && !expectFailure)
			fail(`workflow ${workflowId}: ${output}: ${run.data?.resultData?.error?.message ?? ''}`);
		if (!failed && expectFailure)
			fail(`workflow ${workflowId} was expected to fail but succeeded (${output})`);
		return { run, output };
	};
}

export interface PostResult {
	url: string;
	index: number;
	status?: number;
	error?: string;
}

/**
 * Posts every body at every target at the same moment (one request per body and target, all in flight together):
 * the same events reaching the webhook processor and main at once, as behind a load balancer that retries.
 */
export async function postAtOnce(
	targets: Array<{ url: string; headers?: Record<string, string> }>,
	bodies: unknown[],
): Promise<PostResult[]> {
	const requests = bodies.flatMap((body, index) =>
		targets.map(async (target): Promise<PostResult> => {
			try {
				const response = await fetch(target.url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...target.headers },
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(60_000),
				});
				await response.arrayBuffer();
				return { url: target.url, index, status: response.status };
			} catch (error) {
				return { url: target.url, index, error: (error as Error).message };
			}
		}),
	);
	return await Promise.all(requests);
}

/**
 * SIGKILLs the worker that runs `executionId` once `when()` holds (e.g. "the sandbox got 3 of its messages"), then
 * starts a new worker in its slot. Returns both. The killed worker's execution is left as n8n leaves it.
 */
export async function killWorkerDuring(
	stack: QueueStack,
	executionId: string,
	when: () => boolean | Promise<boolean> = () => true,
	timeoutMs = 120_000,
): Promise<{ killed: QueueProcess; replacement: QueueProcess }> {
	const killed = await waitFor(
		`a worker to start execution ${executionId}`,
		async () => {
			const [worker] = processesThatRan(stack, executionId);
			return worker;
		},
		timeoutMs,
	);
	expect(
		killed.role === 'worker',
		`execution ${executionId} runs on ${killed.name}, not on a worker`,
	);
	await waitFor(
		`the moment to kill ${killed.name}`,
		async () => ((await when()) ? true : undefined),
		timeoutMs,
		100,
	);
	const slot = stack.workers.indexOf(killed);
	expect(slot >= 0, `${killed.name} is not one of the current workers`);
	await killed.kill();
	const replacement = await stack.restartWorker(slot);
	return { killed, replacement };
}

export interface ExecutionCounts {
	/** From PostgreSQL (`execution_entity`), by status. */
	database: Record<string, number>;
	/** From `GET /rest/executions`, by status. */
	rest: Record<string, number>;
	total: number;
}

/** Executions of a workflow by status, counted in PostgreSQL and through REST (they must agree once settled). */
export async function countExecutions(q: Q, workflowId: string): Promise<ExecutionCounts> {
	const rows = await q.stack.database.query(
		`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${workflowId.replace(/'/g, "''")}' AND "deletedAt" IS NULL GROUP BY status`,
	);
	const database = Object.fromEntries(rows.map(([status, count]) => [status, Number(count)]));
	const rest: Record<string, number> = {};
	for (const execution of await q.stored.list(workflowId))
		rest[execution.status] = (rest[execution.status] ?? 0) + 1;
	const total = Object.values(database).reduce((a, b) => a + b, 0);
	return { database, rest, total };
}

/** Waits until no execution of the workflow is running or queued any more, then counts. */
export async function settledCounts(
	q: Q,
	workflowId: string,
	timeoutMs = 180_000,
): Promise<ExecutionCounts> {
	const deadline = Date.now() + timeoutMs;
	let previous = -1;
	for (;;) {
		const counts = await countExecutions(q, workflowId);
		const open = RUNNING.reduce((sum, status) => sum + (counts.database[status] ?? 0), 0);
		if (open === 0 && counts.total === previous) return counts;
		if (Date.now() > deadline)
			fail(`executions of ${workflowId} did not settle: ${JSON.stringify(counts.database)}`);
		previous = counts.total;
		await sleep(1500);
	}
}

/** Peak resident memory of a process since `resetPeak()` (Linux: VmHWM, reset through /proc/<pid>/clear_refs). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (field: string) =>
		Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
	return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export function resetPeak(pid: number): void {
	fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}
