/** What every group of checks gets: the running n8n, the sandbox it talks to, and ways to read both. */
import type { Example, WebhookSecrets } from '../scripts/dev/provision';
import type { RunningN8n } from '../scripts/n8n/process';
import type { N8nRestClient } from '../scripts/n8n/rest';
import type { RecordedRequest } from '../sandbox/http';
import type { Sandbox } from '../sandbox/server';
import type { Suite } from './harness';
import { fail } from './harness';
import type { ExecutionContext, RunData, StoredExecutions } from './n8n';
import { runWorkflow } from './n8n';

export interface E2eContext {
	suite: Suite;
	sandbox: Sandbox;
	n8n: RunningN8n;
	rest: N8nRestClient;
	stored: StoredExecutions;
	exec: ExecutionContext;
	webhookSecrets: WebhookSecrets;
	/** examples/*.json as imported (their triggers are published). */
	examples: Example[];
	/** Every secret of every credential the run imported, labelled, for the leak scan. */
	secrets: Array<{ label: string; value: string }>;
	/** Output of every `n8n execute` (scanned for secrets too). */
	cliOutputs: string[];
	/** Where the tarball was installed (`.n8n/nodes/node_modules/<name>`). */
	installedDir: string;
	/**
	 * Ends n8n (a clean stop, or with `kill` SIGKILL to its process group, as a crash would), runs `whileStopped`, and
	 * starts n8n again on the same user folder and port (the sandbox's webhook targets stay valid); replaces `n8n`
	 * (its logs() keep the earlier process's lines for the secret scan) and logs `rest` in again. Returns the startup ms.
	 */
	restartN8n(options?: { kill?: boolean; whileStopped?: () => Promise<void> }): Promise<number>;
	/**
	 * How `execute()` runs a workflow; `n8n execute` (runWorkflow) when absent. Queue mode runs it on a worker
	 * instead (e2e/queue/runner.ts), since `n8n execute` runs in its own process, outside the queue.
	 */
	runner?: WorkflowRunner;
	/** Reads a file from n8n's binary store by its binary id; through main's REST download when absent. */
	readBinary?: (binaryId: string) => Promise<Buffer>;
}

export type WorkflowRunner = (
	workflowId: string,
	options: { expectFailure?: boolean },
) => Promise<{ run: RunData; output: string }>;

/** Runs a workflow through `n8n execute` and returns its run data and the sandbox requests it made. */
export async function execute(
	ctx: E2eContext,
	workflowId: string,
	options: { expectFailure?: boolean } = {},
): Promise<{ run: RunData; requests: RecordedRequest[] }> {
	const mark = ctx.sandbox.requests.at(-1)?.id ?? 0;
	const { run, output, note } = ctx.runner
		? { ...(await ctx.runner(workflowId, options)), note: undefined }
		: await runWorkflow(workflowId, ctx.exec, { ...options, stored: ctx.stored });
	ctx.cliOutputs.push(output);
	if (note) ctx.suite.note(note);
	return { run, requests: ctx.sandbox.requests.filter((r) => r.id > mark) };
}

/** The one request to `vendor` + `path` (and `method`, if given) among `requests`. */
export function onlyRequest(
	requests: RecordedRequest[],
	vendor: string,
	path: string,
	method?: string,
): RecordedRequest {
	const found = requests.filter(
		(r) => r.vendor === vendor && r.path === path && (!method || r.method === method),
	);
	if (found.length !== 1) {
		fail(
			`expected exactly one ${vendor} ${method ?? ''} ${path} request, got ${found.length} (all: ${requests.map((r) => `${r.vendor} ${r.method} ${r.path}`).join(', ') || 'none'})`,
		);
	}
	return found[0];
}

export async function adminPost(
	ctx: E2eContext,
	route: string,
	body: unknown,
): Promise<Record<string, unknown>> {
	const response = await fetch(`${ctx.sandbox.url}/__admin${route}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) fail(`sandbox admin POST ${route} -> ${response.status}: ${text}`);
	return JSON.parse(text) as Record<string, unknown>;
}
