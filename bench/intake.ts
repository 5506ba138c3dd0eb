/**
 * Webhook intake in a real n8n (2.41 on Node 24, SQLite, regular mode): how fast a published trigger takes a stream
 * of delivery statuses, as a campaign produces them, beside n8n's own Webhook node.
 *
 * Each receiver is a published workflow "receiver → No Op" in a fresh n8n process (so one receiver's heap does not
 * carry into the next one's memory figure). N distinct status webhooks are posted with C in flight, each on a new
 * connection as a gateway posts them. Measured:
 *   - events/s: N over the time from the first post until every post was answered AND every execution it started
 *     had finished (what the user's workflow gets, not only what n8n acknowledged);
 *   - latency: from sending a post to its answer, p50 and p99;
 *   - memory: n8n's peak resident set during the burst over the one before it (VmHWM, reset at the start);
 *   - CPU: n8n's user + system time over the burst, per event;
 *   - counts: answers that were not 2xx, executions stored, executions that failed.
 *
 * Receivers: `webhook` (n8n's Webhook node, POST, Respond Immediately), `sobot` and `profilora` (our triggers as a
 * trigger added today is: version 3, duplicate suppression on, statuses batched for 1 s), `sobotV2` / `profiloraV2`
 * (version 2: one execution per webhook) and `sobotV1`. The store-size row (`--store-sizes`) runs the Sobot Trigger again with n8n's
 * processed-data store filled to each size beforehand (rows written while n8n is stopped), so the cost per event can
 * be read against how much the duplicate check remembers.
 *
 *   tsx bench/intake.ts [--events 1000] [--inflight 50] [--receivers webhook,sobot,profilora]
 *                       [--store-sizes 1000,10000,100000] [--store-events 500] [--json]
 */
import './env';

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildPackage } from '../scripts/dev/build';
import { ensureN8n } from '../scripts/n8n/install';
import type { N8nRuntime } from '../scripts/n8n/install';
import { importWorkflow, linkPackage, publishWorkflow, startN8n } from '../scripts/n8n/process';
import type { RunningN8n } from '../scripts/n8n/process';
import { sqlite, sqlitePath } from './n8n-sqlite';
import { processCpuMs } from './process-cpu';

const PACKAGE = 'n8n-nodes-whatsapp-gateways';

export type Receiver = 'webhook' | 'sobot' | 'profilora' | 'sobotV2' | 'profiloraV2' | 'sobotV1';

const RECEIVER_NAMES: Record<Receiver, string> = {
	webhook: "n8n's Webhook node → No Op",
	sobot: 'Sobot Trigger (version 3, defaults: statuses batched for 1 s) → No Op',
	profilora: 'Profilora Trigger (version 3, defaults: statuses batched for 1 s) → No Op',
	sobotV2: 'Sobot Trigger version 2 (defaults: one execution per webhook) → No Op',
	profiloraV2: 'Profilora Trigger version 2 (defaults: one execution per webhook) → No Op',
	sobotV1: 'Sobot Trigger version 1 (defaults) → No Op',
};

/** The node version each receiver is saved with: a trigger added today is version 3 (it batches statuses). */
const VERSION: Record<Exclude<Receiver, 'webhook'>, number> = {
	sobot: 3,
	profilora: 3,
	sobotV2: 2,
	profiloraV2: 2,
	sobotV1: 1,
};
/** Receivers that answer a status only once its batch's execution exists (nodes/shared/webhook/batch.ts). */
const batches = (receiver: Receiver) => receiver !== 'webhook' && VERSION[receiver] >= 3;
const isProfilora = (receiver: Receiver) => receiver.startsWith('profilora');

const TRIGGER_ID = 'c0000000-0000-4000-8000-000000000001';

export interface IntakeResult {
	receiver: Receiver;
	label: string;
	events: number;
	inflight: number;
	/** Events remembered by the duplicate store before the burst (store-size row). */
	remembered?: number;
	eventsPerSecond: number;
	/** Distinct events found in the receiver's successful executions. */
	carried: number;
	/** Posts answered per second (n8n's acknowledgement alone). */
	answeredPerSecond: number;
	p50Ms: number;
	p99Ms: number;
	refused: number;
	/** Refused posts by HTTP status (0: no answer: connection error or our 120 s timeout). */
	refusedBy: Record<string, number>;
	rssBeforeMb: number;
	rssPeakMb: number;
	rssGrowthMb: number;
	cpuMsPerEvent: number;
	executions: number;
	failedExecutions: number;
	seconds: number;
}

/** The published workflow of one receiver: the receiver (its webhook id is `path`) → No Op. */
export function intakeWorkflow(
	receiver: Receiver,
	path: string,
	options: Record<string, unknown> = {},
) {
	const trigger =
		receiver === 'webhook'
			? {
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
				}
			: {
					type: `${PACKAGE}.${isProfilora(receiver) ? 'profiloraTrigger' : 'sobotTrigger'}`,
					typeVersion: VERSION[receiver],
					parameters: Object.keys(options).length ? { options } : {},
				};
	return {
		name: `Intake: ${receiver}`,
		nodes: [
			{
				id: TRIGGER_ID,
				name: 'Receiver',
				webhookId: path,
				position: [0, 0],
				...trigger,
			},
			{
				id: 'c0000000-0000-4000-8000-000000000002',
				name: 'No Op',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { Receiver: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** A distinct delivery status in each vendor's shape (docs/vendors.md). */
export function statusBody(receiver: Receiver, run: string, index: number): string {
	const id = `wamid.${run}${String(index).padStart(7, '0')}`;
	if (isProfilora(receiver)) {
		return JSON.stringify({
			eventId: id,
			waData: {
				type: 'MESSAGE_DELIVERED',
				waInfo: {
					fromMe: true,
					peer: '6281234567890@s.whatsapp.net',
					message: { conversation: 'Hi' },
				},
			},
		});
	}
	return JSON.stringify({
		id,
		status: 'delivered',
		timestamp: String(Math.floor(Date.now() / 1000)),
	});
}

export function postWebhook(url: string, body: string): Promise<{ status: number; ms: number }> {
	const started = process.hrtime.bigint();
	return new Promise((resolve) => {
		const req = request(
			url,
			{
				method: 'POST',
				agent: false, // a new connection per webhook, as a gateway posts them
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
				timeout: 120_000,
			},
			(res) => {
				res.resume();
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						ms: Number(process.hrtime.bigint() - started) / 1e6,
					}),
				);
			},
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', () =>
			resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
		);
		req.end(body);
	});
}

export function readProcStatusKb(pid: number, field: string): number {
	const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(
		readFileSync(`/proc/${pid}/status`, 'utf8'),
	);
	return match ? Number(match[1]) : NaN;
}

export const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function executionCounts(
	runtime: N8nRuntime,
	userFolder: string,
	workflowId: string,
): Promise<{ total: number; finished: number; failed: number }> {
	const rows = await sqlite<{ status: string; n: number }>(
		runtime,
		sqlitePath(userFolder),
		'SELECT status, COUNT(*) AS n FROM execution_entity WHERE workflowId = ? GROUP BY status',
		[workflowId],
	);
	const count = (statuses: string[]) =>
		rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + r.n, 0);
	return {
		total: count(rows.map((r) => r.status)),
		finished: count(['success', 'error', 'crashed', 'canceled']),
		failed: count(['error', 'crashed']),
	};
}

/** How many of this run's events the workflow's successful executions carry (each counted once). */
async function eventsCarried(
	runtime: N8nRuntime,
	userFolder: string,
	workflowId: string,
	run: string,
): Promise<number> {
	const rows = await sqlite<{ data: string }>(
		runtime,
		sqlitePath(userFolder),
		"SELECT d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? AND e.status = 'success'",
		[workflowId],
	);
	const seen = new Set<string>();
	const pattern = new RegExp(`wamid\\.${run}(\\d{7})`, 'g');
	for (const { data } of rows) for (const match of data.matchAll(pattern)) seen.add(match[1]);
	return seen.size;
}

/** n8n's processed-data row for the trigger node filled with `size` hashes, as n8n writes them (md5, base64). */
async function fillStore(
	runtime: N8nRuntime,
	userFolder: string,
	workflowId: string,
	size: number,
): Promise<void> {
	const data = Array.from({ length: size }, (_, i) =>
		createHash('md5').update(`prefill-${i}`).digest('base64'),
	);
	const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
	await sqlite(
		runtime,
		sqlitePath(userFolder),
		'INSERT OR REPLACE INTO processed_data (workflowId, context, value, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)',
		[workflowId, `n:${TRIGGER_ID}`, JSON.stringify({ mode: 'entries', data }), now, now],
	);
}

export interface IntakeOptions {
	events: number;
	inflight: number;
	/** Fill the duplicate store to this many remembered events first (Sobot Trigger only). */
	remembered?: number;
	/** Extra environment for n8n (e.g. its expression-engine settings). */
	n8nEnv?: Record<string, string>;
	log: (line: string) => void;
}

/** One receiver in a fresh n8n: import, publish, start, burst, drain, stop. */
export async function measureIntake(
	runtime: N8nRuntime,
	receiver: Receiver,
	{ events, inflight, remembered, n8nEnv, log }: IntakeOptions,
): Promise<IntakeResult> {
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-wa-intake-'));
	let n8n: RunningN8n | undefined;
	try {
		linkPackage(userFolder);
		const path = `intake-${receiver}-${randomBytes(4).toString('hex')}`;
		// The store-size row remembers more than the default 1,000: the option is set to hold them all.
		const options = remembered ? { dedupeMaxEntries: Math.max(remembered, 1000) } : {};
		const id = await importWorkflow(intakeWorkflow(receiver, path, options), {
			userFolder,
			runtime,
		});
		await publishWorkflow(id, { userFolder, runtime });
		if (remembered) await fillStore(runtime, userFolder, id, remembered);
		n8n = await startN8n({ userFolder, runtime, env: n8nEnv });
		const pid = n8n.process.pid!;
		const url =
			receiver === 'webhook' ? `${n8n.url}/webhook/${path}` : `${n8n.url}/webhook/${path}/webhook`;
		// n8n prints its ready line before the published webhooks are registered (404 until then): probe with a body
		// that is not an event (the triggers refuse or acknowledge it; the Webhook node starts one execution).
		for (const deadline = Date.now() + 120_000; ; ) {
			const probe = await postWebhook(url, receiver === 'webhook' ? '{"probe":true}' : '[]');
			if (probe.status !== 404 && probe.status !== 0) break;
			if (Date.now() > deadline)
				throw new Error(`${receiver}: the webhook answered ${probe.status}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		const settled = async () => {
			for (;;) {
				const counts = await executionCounts(runtime, userFolder, id);
				if (counts.finished === counts.total) return counts;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		};
		const before = await settled();
		await new Promise((resolve) => setTimeout(resolve, 2000));

		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		const rssBefore = readProcStatusKb(pid, 'VmRSS') / 1024;
		const cpuBefore = processCpuMs(pid);
		const run = randomBytes(3).toString('hex');
		log(
			`${RECEIVER_NAMES[receiver]}${remembered ? `, ${remembered} remembered` : ''}: ${events} events, ${inflight} in flight`,
		);
		const started = Date.now();
		const latencies: number[] = [];
		let refused = 0;
		const refusedBy: Record<string, number> = {};
		let next = 0;
		await Promise.all(
			Array.from({ length: inflight }, async () => {
				while (next < events) {
					const index = next++;
					const answer = await postWebhook(url, statusBody(receiver, run, index));
					latencies.push(answer.ms);
					if (answer.status < 200 || answer.status >= 300) {
						refused++;
						refusedBy[answer.status] = (refusedBy[answer.status] ?? 0) + 1;
					}
				}
			}),
		);
		const answeredAt = Date.now();
		let counts = await settled();
		// Executions are stored as they start; wait until every event's execution exists and has finished. A batched
		// receiver answers a status only once its batch's execution exists: answered means stored.
		const expected = batches(receiver) ? 1 : events;
		for (const deadline = Date.now() + 600_000; counts.total - before.total < expected; ) {
			if (Date.now() > deadline || refused > 0) break;
			await new Promise((resolve) => setTimeout(resolve, 250));
			counts = await settled();
		}
		const drainedAt = Date.now();
		const cpu = processCpuMs(pid) - cpuBefore;
		const peak = readProcStatusKb(pid, 'VmHWM') / 1024;
		latencies.sort((a, b) => a - b);
		const carried = await eventsCarried(runtime, userFolder, id, run);
		const result: IntakeResult = {
			receiver,
			label: RECEIVER_NAMES[receiver],
			events,
			inflight,
			remembered,
			carried,
			eventsPerSecond: events / ((drainedAt - started) / 1000),
			answeredPerSecond: events / ((answeredAt - started) / 1000),
			p50Ms: percentile(latencies, 50),
			p99Ms: percentile(latencies, 99),
			refused,
			refusedBy,
			rssBeforeMb: rssBefore,
			rssPeakMb: peak,
			rssGrowthMb: peak - rssBefore,
			cpuMsPerEvent: cpu / events,
			executions: counts.total - before.total,
			failedExecutions: counts.failed - before.failed,
			seconds: (drainedAt - started) / 1000,
		};
		log(
			`  ${result.eventsPerSecond.toFixed(1)} events/s (answered ${result.answeredPerSecond.toFixed(1)}/s), p50 ${result.p50Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms, RSS +${result.rssGrowthMb.toFixed(0)} MB, CPU ${result.cpuMsPerEvent.toFixed(1)} ms/event, ${result.executions} executions (${result.failedExecutions} failed) carrying ${carried} events, ${refused} refused${refused ? ` (by status: ${JSON.stringify(refusedBy)})` : ''}`,
		);
		return result;
	} finally {
		await n8n?.stop();
		rmSync(userFolder, { recursive: true, force: true });
	}
}

export interface IntakeReport {
	rows: IntakeResult[];
	storeRows: IntakeResult[];
}

export async function runIntakeBench(options: {
	events: number;
	inflight: number;
	receivers: Receiver[];
	storeSizes: number[];
	storeEvents: number;
	n8nEnv?: Record<string, string>;
	log: (line: string) => void;
}): Promise<IntakeReport> {
	const runtime = await ensureN8n({ log: options.log });
	await buildPackage();
	const rows: IntakeResult[] = [];
	for (const receiver of options.receivers) {
		rows.push(await measureIntake(runtime, receiver, options));
	}
	const storeRows: IntakeResult[] = [];
	for (const remembered of options.storeSizes) {
		storeRows.push(
			await measureIntake(runtime, 'sobot', {
				...options,
				events: options.storeEvents,
				remembered,
			}),
		);
	}
	return { rows, storeRows };
}

const mb = (n: number) => n.toFixed(0);

/** Markdown rows for BENCHMARKS.md and the console: each receiver beside the Webhook node. */
export function intakeTable({ rows, storeRows }: IntakeReport): string {
	const base = rows.find((r) => r.receiver === 'webhook');
	const lines = [
		'| receiver | events/s (answered/s) | latency p50 / p99 | n8n RSS growth | CPU per event | vs Webhook node: events/s, p99, RSS growth | executions (failed), events carried, refused |',
		'| --- | --- | --- | --- | --- | --- | --- |',
	];
	for (const r of rows) {
		const vs =
			base && r !== base
				? `${(r.eventsPerSecond / base.eventsPerSecond).toFixed(2)}x, ${(r.p99Ms / base.p99Ms).toFixed(2)}x, ${(r.rssGrowthMb / Math.max(1, base.rssGrowthMb)).toFixed(2)}x`
				: '(reference)';
		lines.push(
			`| ${r.label} | ${r.eventsPerSecond.toFixed(1)} (${r.answeredPerSecond.toFixed(1)}) | ${r.p50Ms.toFixed(0)} / ${r.p99Ms.toFixed(0)} ms | +${mb(r.rssGrowthMb)} MB (${mb(r.rssBeforeMb)} → ${mb(r.rssPeakMb)}) | ${r.cpuMsPerEvent.toFixed(1)} ms | ${vs} | ${r.executions} (${r.failedExecutions}), ${r.carried}, ${r.refused} |`,
		);
	}
	if (storeRows.length) {
		const mean = storeRows.reduce((s, r) => s + r.cpuMsPerEvent, 0) / storeRows.length;
		lines.push(
			'',
			'| Sobot Trigger, events remembered before the burst | events/s | latency p50 / p99 | CPU per event (vs mean) | n8n RSS growth |',
			'| --- | --- | --- | --- | --- |',
		);
		for (const r of storeRows) {
			lines.push(
				`| ${r.remembered?.toLocaleString('en-US')} | ${r.eventsPerSecond.toFixed(1)} | ${r.p50Ms.toFixed(0)} / ${r.p99Ms.toFixed(0)} ms | ${r.cpuMsPerEvent.toFixed(1)} ms (${(((r.cpuMsPerEvent - mean) / mean) * 100).toFixed(0)}%) | +${mb(r.rssGrowthMb)} MB |`,
			);
		}
	}
	return lines.join('\n');
}

if (require.main === module) {
	const arg = (name: string, fallback: string) => {
		const index = process.argv.indexOf(`--${name}`);
		return index >= 0 ? process.argv[index + 1] : fallback;
	};
	const list = (text: string) => text.split(',').filter(Boolean);
	const log = (line: string) => process.stderr.write(`[intake] ${line}\n`);
	void (async () => {
		const report = await runIntakeBench({
			events: Number(arg('events', '1000')),
			inflight: Number(arg('inflight', '50')),
			receivers: list(arg('receivers', 'webhook,sobot,profilora')) as Receiver[],
			storeSizes: list(arg('store-sizes', '1000,10000,100000')).map(Number),
			storeEvents: Number(arg('store-events', '500')),
			// `--n8n-env KEY=VALUE,KEY=VALUE`: n8n settings to compare (they apply to every receiver alike).
			n8nEnv: Object.fromEntries(
				list(arg('n8n-env', '')).map((pair) => [
					pair.split('=')[0],
					pair.split('=').slice(1).join('='),
				]),
			),
			log,
		});
		process.stdout.write(`${intakeTable(report)}\n`);
		if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report)}\n`);
	})().then(
		() => process.exit(0),
		(error) => {
			process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
			process.exit(1);
		},
	);
}
