/**
 * Sending in a real n8n (2.41.1 on Node 24, the runtime of scripts/n8n), the way a campaign runs in production:
 * a published workflow started by its webhook, Webhook → Set (an array of N numbers) → Split Out → the sender.
 * Two senders of the same message, each with a Basic-auth credential:
 *   - n8n's HTTP Request node (4.2, generic credential "Basic Auth", JSON body from one expression), at its
 *     defaults: it starts every item's request without waiting for the previous answer;
 *   - our Profilora Send Text (recipient and text from expressions), at its defaults: one message at a time,
 *     no delay.
 * Cost is read from the execution n8n stored: the sender's own `executionTime` (the node's work, what the two
 * compare) and start to stop of the whole execution. Rounds alternate, the median counts. The scaling row runs
 * our node at several sizes and compares the cost per item.
 *
 *   tsx bench/real-n8n.ts [--items 4000] [--rounds 3] [--sizes 500,2000,10000] [--only ratio,scaling,guardrails]
 */
import './env';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { StoredExecutions } from '../e2e/n8n';
import { ensureN8n } from '../scripts/n8n/install';
import type { N8nRuntime } from '../scripts/n8n/install';
import {
	importCredentials,
	importWorkflow,
	linkPackage,
	publishWorkflow,
	startN8n,
} from '../scripts/n8n/process';
import type { RunningN8n } from '../scripts/n8n/process';
import { DEFAULT_OWNER, N8nRestClient } from '../scripts/n8n/rest';
import { DEFAULT_CREDENTIALS, sandboxCredentialData } from '../sandbox/credentials';
import { CAMPAIGN_PATH } from '../test/sending/campaign';
import { processCpuMs } from './process-cpu';
import { buildProfiloraPackage, PACKAGE } from './profilora-package';
import { startSandboxProcess } from './sandbox';
import type { SandboxProcess } from './sandbox';

const AGENT = DEFAULT_CREDENTIALS.profilora.agents[0];
const TO = "'62812' + String($json.i).padStart(7, '0')";
const TEXT = "'Campaign message #' + $json.i";

/**
 * `profiloraResume`: Profilora Send Text with a Resume Key (a new one per run), so every message is recorded.
 * `profiloraGuarded`: with every guardrail on that does not hold a message (GUARDRAILS below).
 */
export type Sender = 'httpRequest' | 'profilora' | 'profiloraResume' | 'profiloraGuarded';

const ALL_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Numbers on the bench's Do Not Send To list: 62899…, never a recipient (they are 62812…). */
export const OPT_OUTS = 100_000;

/**
 * The guardrails of the `profiloraGuarded` run: a send window open all day every day, sender limits far above
 * any run's size (so nothing waits or holds, and only their bookkeeping is measured) and a Do Not Send To list of
 * OPT_OUTS numbers from an expression, the way a list comes from an earlier node.
 */
const GUARDRAILS = {
	senderLimitPerMinute: 1_000_000,
	senderLimitPerHour: 1_000_000,
	senderLimitPerDay: 1_000_000,
	windowTimezone: 'named',
	timezoneName: 'UTC',
	sendWindow: { periods: [{ days: ALL_DAYS, from: '00:00', to: '00:00' }] },
	doNotSendTo: `={{ Array.from({ length: ${OPT_OUTS} }, (_, i) => '62899' + String(i).padStart(7, '0')) }}`,
};

export interface RealRun {
	sender: Sender;
	items: number;
	/** The sender node's own time, as n8n recorded it. */
	nodeMs: number;
	/** Start to stop of the whole execution. */
	executionMs: number;
	/** n8n's user + system CPU from the POST to the stored execution (the sandbox runs elsewhere). */
	cpuMs: number;
}

export interface RatioResult {
	items: number;
	rounds: number;
	http: RealRun[];
	profilora: RealRun[];
	httpNodeMs: number;
	profiloraNodeMs: number;
	httpExecutionMs: number;
	profiloraExecutionMs: number;
	/** Our throughput over the HTTP Request node's, by node time. */
	ratio: number;
	/** The same by whole-execution time. */
	executionRatio: number;
}

export interface ScalingResult {
	runs: RealRun[];
	/** Largest deviation of one size's cost per item from the mean of all sizes, as a fraction. */
	spread: number;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function workflow(sender: Sender, credentialId: string, sandboxUrl: string) {
	const path = `bench-${sender.toLowerCase()}`;
	const nodes: Array<Record<string, unknown>> = [
		{
			id: 'b0000000-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `b0000000-0000-4000-8000-00000000000${{ profilora: 'a', httpRequest: 'b', profiloraResume: 'c', profiloraGuarded: 'd' }[sender]}`,
			// Answers when the last node is done, so the next run starts on a quiet n8n.
			parameters: {
				httpMethod: 'POST',
				path,
				responseMode: 'lastNode',
				responseData: 'noData',
				options: {},
			},
		},
		{
			id: 'b0000000-0000-4000-8000-000000000002',
			name: 'Numbers',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				assignments: {
					assignments: [
						{
							id: 'n',
							name: 'i',
							type: 'array',
							value: '={{ Array.from({ length: $json.body.count }, (_, i) => i) }}',
						},
					],
				},
				options: {},
			},
		},
		{
			id: 'b0000000-0000-4000-8000-000000000003',
			name: 'Items',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'i', options: {} },
		},
		sender === 'httpRequest'
			? {
					id: 'b0000000-0000-4000-8000-000000000004',
					name: 'Send',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [600, 0],
					parameters: {
						method: 'POST',
						url: `${sandboxUrl}/profilora${CAMPAIGN_PATH}`,
						authentication: 'genericCredentialType',
						genericAuthType: 'httpBasicAuth',
						sendBody: true,
						specifyBody: 'json',
						jsonBody: `={{ JSON.stringify({ sender: '${AGENT}', to: ${TO} + '@s.whatsapp.net', message: ${TEXT} }) }}`,
						options: {},
					},
					credentials: { httpBasicAuth: { id: credentialId, name: 'Bench Basic' } },
				}
			: {
					id: 'b0000000-0000-4000-8000-000000000004',
					name: 'Send',
					type: `${PACKAGE}.profilora`,
					typeVersion: 1,
					position: [600, 0],
					parameters: {
						resource: 'message',
						operation: 'sendText',
						sender: AGENT,
						recipient: `={{ ${TO} }}`,
						text: `={{ ${TEXT} }}`,
						// Unpaced (Custom, no delay): the bench measures the node's own cost, not the default pace of bulk sends.
						sendingOptions: {
							pace: 'custom',
							...(sender === 'profiloraResume'
								? { resumeKey: '={{ "bench-" + $execution.id }}' }
								: {}),
							...(sender === 'profiloraGuarded' ? GUARDRAILS_PICKED : {}),
						},
					},
					credentials: { profiloraApi: { id: credentialId, name: 'Bench Profilora' } },
				},
	];
	return {
		name: `Bench: ${sender}`,
		nodes,
		connections: {
			Webhook: { main: [[{ node: 'Numbers', type: 'main', index: 0 }]] },
			Numbers: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		path,
	};
}

/**
 * n8n's REST API answers 503 "Database is not ready" while its database health check is starved (SQLite busy
 * storing a large execution on a loaded machine); reading again a moment later works.
 */
async function whenDatabaseReady<T>(read: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await read();
		} catch (error) {
			if (attempt >= 30 || (error as { status?: number }).status !== 503) throw error;
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
}

/**
 * Which guardrails the `profiloraGuarded` run has on: all by default; `BENCH_GUARDS=limits` (or `window`, `list`, a
 * comma-separated few) measures one part's cost on its own.
 */
const PICKED = (process.env.BENCH_GUARDS ?? 'window,limits,list').split(',');
const GUARDRAILS_PICKED = Object.fromEntries(
	Object.entries(GUARDRAILS).filter(([key]) =>
		PICKED.includes(
			key.startsWith('senderLimit') ? 'limits' : key === 'doNotSendTo' ? 'list' : 'window',
		),
	),
);

export interface RealN8nBench {
	run(sender: Sender, items: number): Promise<RealRun>;
	stop(): Promise<void>;
	runtime: N8nRuntime;
}

/** A real n8n with both workflows published, against a sandbox in its own process. */
export async function startRealN8nBench(log: (line: string) => void): Promise<RealN8nBench> {
	const runtime = await ensureN8n({ log });
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-wa-bench-real-'));
	const pkg = buildProfiloraPackage();
	linkPackage(userFolder, pkg);
	const sandbox: SandboxProcess = await startSandboxProcess();
	let n8n: RunningN8n | undefined;
	const cleanup = async () => {
		await n8n?.stop();
		await sandbox.stop();
		rmSync(userFolder, { recursive: true, force: true });
		rmSync(pkg, { recursive: true, force: true });
	};
	try {
		const { httpBasicAuth, profiloraApi } = sandboxCredentialData(sandbox);
		const [basicId, profiloraId] = await importCredentials(
			[
				{ name: 'Bench Basic', type: 'httpBasicAuth', data: httpBasicAuth },
				{ name: 'Bench Profilora', type: 'profiloraApi', data: profiloraApi },
			],
			{ userFolder, runtime },
		);
		const paths = {} as Record<Sender, { id: string; path: string }>;
		for (const [sender, credentialId] of [
			['httpRequest', basicId],
			['profilora', profiloraId],
			['profiloraResume', profiloraId],
			['profiloraGuarded', profiloraId],
		] as const) {
			const { path, ...definition } = workflow(sender, credentialId, sandbox.url);
			const id = await importWorkflow(definition, { userFolder, runtime });
			await publishWorkflow(id, { userFolder, runtime });
			paths[sender] = { id, path };
		}
		n8n = await startN8n({ userFolder, runtime, owner: DEFAULT_OWNER });
		const rest = new N8nRestClient(n8n.url);
		await rest.login(DEFAULT_OWNER);
		const stored = new StoredExecutions(rest, runtime);
		const url = n8n.url;
		const pid = n8n.process.pid as number;

		const run = async (sender: Sender, items: number): Promise<RealRun> => {
			await sandbox.reset();
			const { id, path } = paths[sender];
			const before = new Set((await whenDatabaseReady(() => stored.list(id))).map((e) => e.id));
			const cpuBefore = processCpuMs(pid);
			// n8n prints its ready line before it has registered the published workflows' webhooks: until then a
			// POST gets 404 and starts nothing, so it is safe to ask again.
			let response: Response;
			for (const deadline = Date.now() + 120_000; ; ) {
				response = await fetch(`${url}/webhook/${path}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ count: items }),
					signal: AbortSignal.timeout(900_000),
				});
				await response.text();
				if (response.status !== 404 || Date.now() > deadline) break;
				await new Promise((resolve) => setTimeout(resolve, 1000));
			}
			if (!response.ok) throw new Error(`${sender}: the webhook answered HTTP ${response.status}`);
			const summary = (await whenDatabaseReady(() => stored.settle(id, 500, 120_000))).find(
				(e) => !before.has(e.id),
			);
			const cpu = processCpuMs(pid) - cpuBefore;
			if (!summary) throw new Error(`${sender}: no new execution stored`);
			const execution = await whenDatabaseReady(() => stored.get(summary.id));
			const task = execution.run.data?.resultData?.runData?.Send?.[0] as
				| { executionTime?: number; data?: { main?: unknown[][] } }
				| undefined;
			const output = task?.data?.main?.[0]?.length ?? 0;
			const sent = (await sandbox.requests('profilora', CAMPAIGN_PATH)).length;
			if (execution.run.status !== 'success' || output !== items || sent !== items) {
				throw new Error(
					`${sender}, ${items} items: execution ${execution.run.status}, ${output} output items, ${sent} requests at the sandbox`,
				);
			}
			const { startedAt, stoppedAt } = execution.summary as {
				startedAt: string;
				stoppedAt: string;
			};
			return {
				sender,
				items,
				nodeMs: task?.executionTime ?? NaN,
				executionMs: Date.parse(stoppedAt) - Date.parse(startedAt),
				cpuMs: cpu,
			};
		};
		return { run, stop: cleanup, runtime };
	} catch (error) {
		await cleanup();
		throw error;
	}
}

export async function measureRatio(
	bench: RealN8nBench,
	items: number,
	rounds: number,
	log: (line: string) => void,
): Promise<RatioResult> {
	// Warm both up: n8n loads node code and builds its expression isolates on first use.
	await bench.run('httpRequest', 200);
	await bench.run('profilora', 200);
	const http: RealRun[] = [];
	const profilora: RealRun[] = [];
	for (let round = 0; round < rounds; round++) {
		http.push(await bench.run('httpRequest', items));
		profilora.push(await bench.run('profilora', items));
		log(
			`real n8n round ${round + 1}: HTTP Request ${http.at(-1)?.nodeMs} ms, Profilora ${profilora.at(-1)?.nodeMs} ms (node time, ${items} items)`,
		);
	}
	const httpNodeMs = median(http.map((r) => r.nodeMs));
	const profiloraNodeMs = median(profilora.map((r) => r.nodeMs));
	const httpExecutionMs = median(http.map((r) => r.executionMs));
	const profiloraExecutionMs = median(profilora.map((r) => r.executionMs));
	return {
		items,
		rounds,
		http,
		profilora,
		httpNodeMs,
		profiloraNodeMs,
		httpExecutionMs,
		profiloraExecutionMs,
		ratio: httpNodeMs / profiloraNodeMs,
		executionRatio: httpExecutionMs / profiloraExecutionMs,
	};
}

export async function measureScaling(
	bench: RealN8nBench,
	sizes: number[],
	log: (line: string) => void,
): Promise<ScalingResult> {
	await bench.run('profilora', 200);
	const runs: RealRun[] = [];
	for (const size of sizes) {
		runs.push(await bench.run('profilora', size));
		log(`real n8n scaling: ${size} items, node ${runs.at(-1)?.nodeMs} ms`);
	}
	const perItem = runs.map((r) => r.nodeMs / r.items);
	const mean = perItem.reduce((a, b) => a + b, 0) / perItem.length;
	return { runs, spread: Math.max(...perItem.map((c) => Math.abs(c - mean) / mean)) };
}

export interface ResumeCostResult {
	runs: Array<{ items: number; plain: RealRun; resume: RealRun; ratio: number }>;
}

/**
 * What the durable send record costs: Profilora Send Text with and without a Resume Key, side by side, at each size.
 * Unpaced, so the record writes in batches; the ratio is node time with the key over node time without.
 */
export async function measureResumeCost(
	bench: RealN8nBench,
	sizes: number[],
	log: (line: string) => void,
): Promise<ResumeCostResult> {
	await bench.run('profilora', 200);
	await bench.run('profiloraResume', 200);
	const runs: ResumeCostResult['runs'] = [];
	for (const items of sizes) {
		const plain = await bench.run('profilora', items);
		const resume = await bench.run('profiloraResume', items);
		runs.push({ items, plain, resume, ratio: resume.nodeMs / plain.nodeMs });
		log(
			`real n8n resume cost: ${items} items, node ${plain.nodeMs} ms without a key, ${resume.nodeMs} ms with one`,
		);
	}
	return { runs };
}

export interface GuardrailCostResult {
	items: number;
	rounds: number;
	plain: RealRun[];
	guarded: RealRun[];
	/** Medians per item, ms. */
	plainNodeMs: number;
	guardedNodeMs: number;
	plainCpuMs: number;
	guardedCpuMs: number;
	/** Guarded over plain: node (wall) time, and n8n's CPU. */
	ratio: number;
	cpuRatio: number;
}

/**
 * What the guardrails cost when none of them stops a message: Profilora Send Text, unpaced, with GUARDRAILS against
 * the same without, rounds alternating, medians per item. Wall is the node's own time as n8n stored it; CPU is all
 * of n8n's from the POST until the execution was stored.
 */
export async function measureGuardrailCost(
	bench: RealN8nBench,
	items: number,
	rounds: number,
	log: (line: string) => void,
): Promise<GuardrailCostResult> {
	await bench.run('profilora', 200);
	await bench.run('profiloraGuarded', 200);
	const plain: RealRun[] = [];
	const guarded: RealRun[] = [];
	const per = (run: RealRun, value: number) => (value / run.items).toFixed(2);
	for (let round = 0; round < rounds; round++) {
		plain.push(await bench.run('profilora', items));
		guarded.push(await bench.run('profiloraGuarded', items));
		const [p, g] = [plain.at(-1) as RealRun, guarded.at(-1) as RealRun];
		log(
			`real n8n guardrails round ${round + 1}, ${items} items, per item: without ${per(p, p.nodeMs)} ms wall / ${per(p, p.cpuMs)} ms CPU, with ${per(g, g.nodeMs)} ms wall / ${per(g, g.cpuMs)} ms CPU`,
		);
	}
	const perItem = (runs: RealRun[], pick: (r: RealRun) => number) =>
		median(runs.map((r) => pick(r) / r.items));
	const plainNodeMs = perItem(plain, (r) => r.nodeMs);
	const guardedNodeMs = perItem(guarded, (r) => r.nodeMs);
	const plainCpuMs = perItem(plain, (r) => r.cpuMs);
	const guardedCpuMs = perItem(guarded, (r) => r.cpuMs);
	return {
		items,
		rounds,
		plain,
		guarded,
		plainNodeMs,
		guardedNodeMs,
		plainCpuMs,
		guardedCpuMs,
		ratio: guardedNodeMs / plainNodeMs,
		cpuRatio: guardedCpuMs / plainCpuMs,
	};
}

if (require.main === module) {
	const arg = (name: string, fallback: string) => {
		const index = process.argv.indexOf(`--${name}`);
		return index >= 0 ? process.argv[index + 1] : fallback;
	};
	const log = (line: string) => process.stderr.write(`[real-n8n] ${line}\n`);
	const only = new Set(arg('only', 'ratio,scaling').split(','));
	const items = Number(arg('items', '4000'));
	void (async () => {
		const bench = await startRealN8nBench(log);
		try {
			if (only.has('ratio')) {
				const r = await measureRatio(
					bench,
					Number(arg('items', '4000')),
					Number(arg('rounds', '3')),
					log,
				);
				process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
			}
			if (only.has('guardrails')) {
				const g = await measureGuardrailCost(bench, items, Number(arg('rounds', '3')), log);
				process.stdout.write(`${JSON.stringify(g, null, 2)}\n`);
			}
			if (only.has('scaling')) {
				const s = await measureScaling(
					bench,
					arg('sizes', '500,2000,10000').split(',').map(Number),
					log,
				);
				process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
			}
		} finally {
			await bench.stop();
		}
	})().then(
		() => process.exit(0),
		(error) => {
			process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
			process.exit(1);
		},
	);
}
