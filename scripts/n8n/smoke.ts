/**
 * End-to-end smoke check of the real-n8n tooling: install (or reuse) the runtime, start n8n on 127.0.0.1 with a temp
 * user folder, create the owner over REST, log in, list node types, import and execute a Manual Trigger -> Set
 * workflow with the CLI, optionally screenshot its editor page, stop n8n. Prints timings.
 *
 *   tsx scripts/n8n/smoke.ts [--screenshot out.png] [--owner-env] [--keep]
 * --owner-env: create the owner from N8N_INSTANCE_OWNER_* env vars instead of POST /rest/owner/setup.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { ensureN8n } from './install';
import { selectLine } from './versions';
import { executeWorkflow, importWorkflow, startN8n } from './process';
import { DEFAULT_OWNER, N8nRestClient } from './rest';

export const TRIVIAL_WORKFLOW = {
	name: 'Smoke: Manual Trigger -> Set',
	nodes: [
		{
			id: '5f0c6b7e-0000-4000-8000-000000000001',
			name: 'When clicking "Execute workflow"',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: '5f0c6b7e-0000-4000-8000-000000000002',
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				assignments: {
					assignments: [
						{ id: 'a1', name: 'greeting', value: 'hello from n8n', type: 'string' },
						{ id: 'a2', name: 'answer', value: 42, type: 'number' },
					],
				},
				options: {},
			},
		},
	],
	connections: {
		'When clicking "Execute workflow"': { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

async function timed<T>(
	label: string,
	timings: Record<string, number>,
	fn: () => Promise<T>,
): Promise<T> {
	const started = Date.now();
	try {
		return await fn();
	} finally {
		timings[label] = Date.now() - started;
		console.log(`[smoke] ${label}: ${timings[label]} ms`);
	}
}

async function main() {
	const argv = process.argv.slice(2);
	const shotIndex = argv.indexOf('--screenshot');
	const shotFile = shotIndex >= 0 ? path.resolve(argv[shotIndex + 1]) : undefined;
	const ownerFromEnv = argv.includes('--owner-env');
	const timings: Record<string, number> = {};

	const runtime = await timed('ensureN8n', timings, () => ensureN8n({ line: selectLine(argv) }));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-smoke-'));
	const n8n = await timed('start', timings, () =>
		startN8n({
			userFolder,
			runtime,
			owner: ownerFromEnv ? DEFAULT_OWNER : undefined,
			logFile: path.join(userFolder, 'n8n.log'),
		}),
	);
	try {
		console.log(`[smoke] n8n at ${n8n.url}, user folder ${userFolder}`);
		const rest = new N8nRestClient(n8n.url);
		if (ownerFromEnv) await rest.login();
		else await timed('owner setup', timings, () => rest.setupOwner());
		const login = new N8nRestClient(n8n.url);
		const me = await login.login();
		if (!login.authToken) throw new Error('login set no n8n-auth cookie');
		const current = await login.get<{ email: string }>('/rest/login');
		console.log(`[smoke] logged in as ${current.email} (${String(me.role ?? '')})`);

		const types = await login.nodeTypes();
		const names = new Set(types.map((t) => t.name));
		console.log(`[smoke] /types/nodes.json: ${types.length} entries, ${names.size} node types`);
		for (const needed of ['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.set']) {
			if (!names.has(needed)) throw new Error(`${needed} missing from /types/nodes.json`);
		}

		const id = await timed('import:workflow', timings, () =>
			importWorkflow(TRIVIAL_WORKFLOW, { userFolder, runtime }),
		);
		const workflows = await login.workflows();
		if (!workflows.some((w) => w.id === id))
			throw new Error(`workflow ${id} not listed by GET /rest/workflows`);
		console.log(`[smoke] imported workflow ${id}; GET /rest/workflows lists ${workflows.length}`);

		const { result } = await timed('execute', timings, () =>
			executeWorkflow(id, { userFolder, runtime }),
		);
		const runData = (
			result as {
				data?: {
					resultData?: {
						runData?: Record<string, Array<{ data: { main: Array<Array<{ json: unknown }>> } }>>;
					};
				};
			}
		).data?.resultData?.runData;
		const setOutput = runData?.Set?.[0]?.data?.main?.[0]?.[0]?.json as
			| { greeting?: string; answer?: number }
			| undefined;
		if (setOutput?.greeting !== 'hello from n8n' || setOutput.answer !== 42) {
			throw new Error(
				`unexpected Set output: ${JSON.stringify(setOutput ?? result).slice(0, 1000)}`,
			);
		}
		console.log(`[smoke] execute --rawOutput: Set -> ${JSON.stringify(setOutput)}`);
		const executions = await login.executions(id);
		console.log(
			`[smoke] GET /rest/executions?filter={workflowId}: ${executions.length} execution(s) ${executions.map((e) => `${e.id}:${e.status}/${e.mode}`).join(' ')}`,
		);

		if (shotFile) {
			const { screenshot } = await import('./screenshot');
			const shot = await timed('screenshot', timings, () =>
				screenshot({
					url: `${n8n.url}/workflow/${id}`,
					file: shotFile,
					cookie: login.authToken,
					selector: '.vue-flow__node',
				}),
			);
			console.log(
				`[smoke] screenshot ${shot.file} (title "${shot.title}", ${shot.url}); page errors: ${shot.errors.length}`,
			);
			for (const e of shot.errors.slice(0, 5)) console.log(`[smoke]   ${e.slice(0, 200)}`);
		}
	} finally {
		await timed('stop', timings, () => n8n.stop());
		if (!argv.includes('--keep')) fs.rmSync(userFolder, { recursive: true, force: true });
	}
	console.log(`[smoke] n8n startup ${n8n.startupMs} ms; timings ${JSON.stringify(timings)}`);
	console.log('[smoke] 1 passed, 0 failed');
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		process.exit(1);
	});
}
