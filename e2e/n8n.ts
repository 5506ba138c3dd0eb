/**
 * Reading what real n8n did: the run data `n8n execute --rawOutput` prints, and the executions n8n stored
 * (REST `/rest/executions`, whose `data` is n8n's `flatted` text: parsed with the runtime's own copy).
 */
import { createRequire } from 'module';
import * as path from 'path';

import type { N8nRuntime } from '../scripts/n8n/install';
import { executeWorkflow, exitText } from '../scripts/n8n/process';
import type { N8nRestClient } from '../scripts/n8n/rest';
import type { N8nLine } from '../scripts/n8n/versions';
import { fail, sleep, waitFor } from './harness';

export interface Item {
	json: Record<string, unknown>;
	binary?: Record<
		string,
		{
			mimeType?: string;
			fileName?: string;
			fileSize?: string;
			fileExtension?: string;
			id?: string;
			data?: string;
		}
	>;
	pairedItem?: unknown;
}

interface TaskData {
	data?: { main?: Array<Item[] | null> };
	error?: { message?: string; description?: string };
	executionStatus?: string;
	/** What the node said in the output panel (`addExecutionHints`). */
	hints?: Array<{ message?: string }>;
}

export interface RunData {
	status?: string;
	finished?: boolean;
	data?: {
		resultData?: {
			runData?: Record<string, TaskData[]>;
			error?: { message?: string };
			lastNodeExecuted?: string;
		};
	};
}

/** Output items of a node's last run (first output unless told). */
export function nodeOutput(run: RunData | undefined, node: string, output = 0): Item[] {
	const tasks = run?.data?.resultData?.runData?.[node];
	if (!tasks?.length)
		fail(
			`node "${node}" did not run (ran: ${Object.keys(run?.data?.resultData?.runData ?? {}).join(', ') || 'nothing'})`,
		);
	const task = tasks[tasks.length - 1];
	if (task.error)
		fail(
			`node "${node}" failed: ${task.error.message}${task.error.description ? ` (${task.error.description})` : ''}`,
		);
	return task.data?.main?.[output] ?? [];
}

export function nodeError(run: RunData | undefined, node: string): string | undefined {
	const tasks = run?.data?.resultData?.runData?.[node];
	return tasks?.[tasks.length - 1]?.error?.message;
}

export interface ExecutionContext {
	userFolder: string;
	runtime: N8nRuntime;
}

/**
 * `n8n execute --id` (a CLI process next to the running server, same SQLite); returns the run data and the CLI's output.
 *
 * n8n 2.41's CLI ends with `process.exit` (BaseCommand.finally) without disposing its isolated-vm expression
 * engine, whose pool is meanwhile building a fresh isolate to replace the one the run used. When the exit lands
 * during that build the process dies by SIGSEGV, after it has printed the complete result and stored the
 * execution; on a busy machine the build takes longer and this happens to most runs (with
 * N8N_EXPRESSION_ENGINE=legacy, never). Such a run is judged by the execution n8n stored, the one new cli
 * execution of the workflow, and says so in `note`. A run killed before it printed a result, or by our timeout, still fails.
 */
export async function runWorkflow(
	id: string,
	ctx: ExecutionContext,
	{ expectFailure = false, stored }: { expectFailure?: boolean; stored?: StoredExecutions } = {},
): Promise<{ run: RunData; output: string; note?: string }> {
	// The run data the CLI prints carries no execution id (and its startedAt is not the stored one): the stored
	// execution of this run is the one cli execution that was not there before.
	const before = stored ? new Set((await stored.list(id)).map((e) => e.id)) : undefined;
	const { result, output } = await executeWorkflow(id, {
		...ctx,
		allowFailure: true,
		timeoutMs: 300_000,
	});
	let run = result as RunData | undefined;
	const text = `${output.stdout}\n${output.stderr}`;
	if (!run)
		fail(`n8n execute --id=${id} printed no run data (${exitText(output)}):\n${text.slice(-1500)}`);
	let exitedCleanly = output.code === 0;
	let note: string | undefined;
	if (output.signal && !output.timedOut) {
		if (!stored || !before)
			fail(
				`n8n execute --id=${id} was ${exitText(output)} after printing its result, and there is no stored execution to judge by`,
			);
		const execution = await storedCliExecution(stored, id, before, run);
		run = execution.run;
		exitedCleanly = execution.run.status === 'success';
		cliDeaths.push(output.signal);
		note = `n8n execute --id=${id} was ${exitText(output)} after printing a complete result (n8n's exit crash, see e2e/n8n.ts); judged by stored execution ${execution.id}: ${execution.run.status}`;
	}
	const failed = !exitedCleanly || !!run.data?.resultData?.error;
	if (failed && !expectFailure) {
		fail(
			`workflow ${id} failed (${exitText(output)}): ${run.data?.resultData?.error?.message ?? ''}\n${text.slice(-1200)}`,
		);
	}
	if (!failed && expectFailure) fail(`workflow ${id} was expected to fail but succeeded`);
	return { run, output: text, note };
}

/** Signals that ended `n8n execute` runs judged by their stored execution instead (for the summary). */
export const cliDeaths: string[] = [];

/** The one cli execution of the workflow that is not in `before`; it must be finished and agree with the printed status. */
async function storedCliExecution(
	stored: StoredExecutions,
	workflowId: string,
	before: Set<string>,
	printed: RunData,
): Promise<StoredExecution & { id: string }> {
	const added = (await stored.list(workflowId)).filter(
		(e) => e.mode === 'cli' && !before.has(e.id),
	);
	if (added.length !== 1)
		fail(`expected one new stored cli execution of workflow ${workflowId}, found ${added.length}`);
	const [match] = added;
	const execution = await stored.get(match.id);
	if (['new', 'running', 'waiting'].includes(execution.run.status ?? ''))
		fail(`stored execution ${match.id} is still ${execution.run.status}`);
	if (execution.run.status !== printed.status)
		fail(
			`stored execution ${match.id} is ${execution.run.status}, the CLI printed ${printed.status}`,
		);
	return { ...execution, id: match.id };
}

/** One stored execution of a trigger workflow: the trigger node's items and the nodes that ran. */
export interface TriggerRun {
	executionId: string;
	status: string;
	items: Item[];
	ran: string[];
	/** The execution's error message, when it failed. */
	error?: string;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	/** When n8n created the execution (in queue mode before a worker took it). */
	createdAt?: string;
	startedAt?: string;
}

export interface StoredExecution {
	summary: Record<string, unknown>;
	/** The response body as n8n sent it (what a secret scan must read). */
	raw: string;
	run: RunData;
}

export class StoredExecutions {
	private readonly flatted: { parse(text: string): unknown };

	/** Finished executions do not change: read each once. */
	private readonly cache = new Map<string, StoredExecution>();

	private readonly line: N8nLine;

	constructor(
		private readonly rest: N8nRestClient,
		runtime: N8nRuntime,
	) {
		this.line = runtime.line;
		this.flatted = createRequire(path.join(runtime.runtimeDir, 'package.json'))('flatted') as never;
	}

	/**
	 * Every stored execution (of one workflow), newest first. n8n pages by 100 at most: the first page holds the
	 * running ones plus the newest finished ones. Later pages: n8n 2.41 follows its `nextCursor` (`lastId` is
	 * refused); n8n 1.123 has no cursor and takes an id range (`firstId`, `lastId`, both exclusive).
	 */
	async list(workflowId?: string): Promise<ExecutionSummary[]> {
		const all = new Map<string, ExecutionSummary>();
		const page = async (filter: Record<string, string>, next: string) => {
			const query = Object.keys(filter).length
				? `filter=${encodeURIComponent(JSON.stringify(filter))}&`
				: '';
			const answer = await this.rest.get<{
				results?: ExecutionSummary[];
				nextCursor?: string | null;
			}>(`/rest/executions?${query}limit=100${next}`);
			const results = answer.results ?? [];
			let added = 0;
			for (const execution of results)
				if (!all.has(execution.id)) {
					all.set(execution.id, execution);
					added++;
				}
			return { results, added, nextCursor: answer.nextCursor };
		};
		const base: Record<string, string> = workflowId ? { workflowId } : {};
		for (let next = ''; ; ) {
			const { results, nextCursor } = await page(base, next);
			if (nextCursor) next = `&cursor=${encodeURIComponent(nextCursor)}`;
			else if (!this.line.has.executionsCursor && results.length >= 100)
				next = `&firstId=0&lastId=${Math.min(...results.map((e) => Number(e.id)))}`;
			else break;
		}
		if (this.line.has.executionsCursor) {
			// n8n 2.41 sorts the list by start time but pages by id (`id < last row's id`): in queue mode, where workers
			// start executions in another order than they were created, an execution can fall between two pages (seen:
			// 799 of 800 listed). A second walk by start time (`startedBefore`, inclusive) finds those.
			for (let before: string | undefined; ; ) {
				const { results, added } = await page(
					before ? { ...base, startedBefore: before } : base,
					'',
				);
				const times = results.flatMap((e) => (e.startedAt ? [Date.parse(e.startedAt)] : []));
				if (results.length < 100 || times.length === 0 || (before && added === 0)) break;
				before = new Date(Math.min(...times)).toISOString();
			}
		}
		return [...all.values()];
	}

	/** One execution with its data, as the editor reads it. */
	async get(id: string): Promise<StoredExecution> {
		const cached = this.cache.get(id);
		if (cached) return cached;
		// The client unwraps n8n's `{data: ...}`; the execution's own `data` is the flatted run data.
		const summary = await this.rest.get<Record<string, unknown>>(`/rest/executions/${id}`);
		const raw = JSON.stringify(summary);
		const data =
			typeof summary.data === 'string'
				? (this.flatted.parse(summary.data) as RunData['data'])
				: (summary.data as RunData['data']);
		const execution = {
			summary,
			raw,
			run: { status: String(summary.status), finished: Boolean(summary.finished), data },
		};
		if (!['new', 'running', 'waiting'].includes(String(summary.status)))
			this.cache.set(id, execution);
		return execution;
	}

	/**
	 * Waits until the workflow's execution count stops changing (two equal counts `quietMs` apart), returns them.
	 * `startedSince`: only executions started then or later must have finished. An execution a worker was running
	 * when an earlier check restarted that worker stays "running" in n8n 2.41's database for good (queue mode), so
	 * a check that waits for its own executions gives the time it began.
	 */
	async settle(
		workflowId: string,
		quietMs = 1500,
		timeoutMs = 30_000,
		startedSince = Number.NEGATIVE_INFINITY,
	): Promise<ExecutionSummary[]> {
		let previous = -1;
		const deadline = Date.now() + timeoutMs;
		const mine = (e: ExecutionSummary) =>
			e.startedAt === undefined || Date.parse(e.startedAt) >= startedSince;
		for (;;) {
			const list = await this.list(workflowId);
			const running = list.some((e) => (e.status === 'running' || e.status === 'new') && mine(e));
			if (list.length === previous && !running) return list;
			if (Date.now() > deadline)
				fail(`executions of ${workflowId} did not settle within ${timeoutMs} ms`);
			previous = list.length;
			await sleep(quietMs);
		}
	}

	/** The first output items of `node` in every finished execution of the workflow. */
	async items(workflowId: string, node: string): Promise<TriggerRun[]> {
		const out: TriggerRun[] = [];
		for (const summary of await this.list(workflowId)) {
			if (summary.status === 'running' || summary.status === 'new') continue;
			const { run } = await this.get(summary.id);
			const tasks = run.data?.resultData?.runData?.[node] ?? [];
			out.push({
				executionId: summary.id,
				status: summary.status,
				items: tasks[0]?.data?.main?.[0] ?? [],
				ran: Object.keys(run.data?.resultData?.runData ?? {}),
				error: run.data?.resultData?.error?.message,
			});
		}
		return out;
	}

	/** Waits until `match` finds what it looks for among the trigger's stored items. */
	async waitForItems<T>(
		what: string,
		workflowId: string,
		node: string,
		match: (runs: TriggerRun[]) => T | undefined,
		timeoutMs = 20_000,
	): Promise<T> {
		return await waitFor(
			what,
			async () => match(await this.items(workflowId, node)),
			timeoutMs,
			500,
		);
	}
}
