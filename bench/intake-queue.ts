/**
 * Webhook intake in n8n's queue mode (2.41: main, webhook processor, 2 workers, PostgreSQL, Redis): N distinct Sobot
 * status webhooks posted at the webhook processor, C in flight, to the Sobot Trigger (version 2, defaults) → No Op.
 * Counted: answers that were not 2xx (refused), executions stored, executions that failed or crashed, and events
 * that no execution carries (lost: every answered event must be in an execution); each process's peak resident set.
 *
 *   tsx bench/intake-queue.ts [--events 10000] [--inflight 50] [--pool-size N] [--n8n-env KEY=VALUE,...]
 *
 * `--pool-size` sets DB_POSTGRESDB_POOL_SIZE for every process (n8n's default is 2): the webhook processor writes one
 * execution per event, and with too small a pool a burst is answered 500 (seen with 400 posted at once).
 */
import './env';

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildPackage } from '../scripts/dev/build';
import { ensureN8n } from '../scripts/n8n/install';
import { linkPackage, publishWorkflow } from '../scripts/n8n/process';
import { startQueueStack } from '../scripts/n8n/queue';
import { intakeWorkflow, percentile, postWebhook, readProcStatusKb, statusBody } from './intake';

const WORKFLOW_ID = 'benchIntakeQueue1';
const PATH = 'b1a2c3d4-0000-4000-8000-00000000beef';

function arg(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
}

const log = (line: string) => process.stderr.write(`[intake-queue] ${line}\n`);

async function main() {
	const events = Number(arg('events', '10000'));
	const inflight = Number(arg('inflight', '50'));
	const poolSize = arg('pool-size', '');
	const extraEnv = Object.fromEntries(
		arg('n8n-env', '')
			.split(',')
			.filter(Boolean)
			.map((pair) => [pair.split('=')[0], pair.split('=').slice(1).join('=')]),
	);
	const runtime = await ensureN8n({ log });
	await buildPackage();
	const workDir = mkdtempSync(join(tmpdir(), 'n8n-wa-intake-queue-'));
	const workflowFile = join(workDir, 'workflow.json');
	writeFileSync(
		workflowFile,
		JSON.stringify({ ...intakeWorkflow('sobot', PATH), id: WORKFLOW_ID, active: false }),
	);
	const stack = await startQueueStack({
		workDir,
		label: 'intake',
		runtime,
		installPackage: (userFolder) => linkPackage(userFolder),
		env: { ...(poolSize ? { DB_POSTGRESDB_POOL_SIZE: poolSize } : {}), ...extraEnv },
		provision: async ({ cli, cliOptions }) => {
			await cli(['import:workflow', `--input=${workflowFile}`]);
			await publishWorkflow(WORKFLOW_ID, cliOptions);
		},
		log,
	});
	try {
		const url = `${stack.webhookUrl}/webhook/${PATH}/webhook`;
		for (const deadline = Date.now() + 180_000; ; ) {
			const probe = await postWebhook(url, '[]');
			if (probe.status !== 404 && probe.status !== 0) break;
			if (Date.now() > deadline) throw new Error(`the webhook processor answered ${probe.status}`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		const processes = [stack.main, stack.webhook, ...stack.workers];
		for (const p of processes) writeFileSync(`/proc/${p.pid}/clear_refs`, '5');
		const before = Object.fromEntries(
			processes.map((p) => [p.name, readProcStatusKb(p.pid, 'VmRSS') / 1024]),
		);
		log(`${events} events at the webhook processor, ${inflight} in flight, 2 workers`);
		const run = Math.random().toString(36).slice(2, 8);
		const started = Date.now();
		const latencies: number[] = [];
		const refusedStatuses: Record<string, number> = {};
		let next = 0;
		let answered = 0;
		const answeredOk = new Set<number>();
		await Promise.all(
			Array.from({ length: inflight }, async () => {
				while (next < events) {
					const index = next++;
					const answer = await postWebhook(url, statusBody('sobot', run, index));
					latencies.push(answer.ms);
					if (answer.status < 200 || answer.status >= 300)
						refusedStatuses[answer.status] = (refusedStatuses[answer.status] ?? 0) + 1;
					else answeredOk.add(index);
					if (++answered % 1000 === 0) log(`  ${answered} answered`);
				}
			}),
		);
		const answeredAt = Date.now();
		const count = async () =>
			Object.fromEntries(
				(
					await stack.database.query(
						`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${WORKFLOW_ID}' GROUP BY status`,
					)
				).map(([status, n]) => [status, Number(n)]),
			) as Record<string, number>;
		let counts = await count();
		for (const deadline = Date.now() + 1_800_000; ; ) {
			const open = (counts.new ?? 0) + (counts.running ?? 0) + (counts.waiting ?? 0);
			if (open === 0 || Date.now() > deadline) break;
			await new Promise((resolve) => setTimeout(resolve, 2000));
			counts = await count();
		}
		const drainedAt = Date.now();
		// Every answered event must be the input of a successful execution: collect the distinct ids the stored
		// executions carry (the trigger's items are in each execution's data; a batch carries many).
		const rows = await stack.database.query(
			`SELECT d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${WORKFLOW_ID}' AND e.status = 'success' AND d.data LIKE '%wamid.${run}%'`,
		);
		const carried = new Set<number>();
		const pattern = new RegExp(`wamid\\.${run}(\\d{7})`, 'g');
		for (const [data] of rows)
			for (const match of String(data).matchAll(pattern)) carried.add(Number(match[1]));
		const peaks = processes.map((p) => {
			const peak = readProcStatusKb(p.pid, 'VmHWM') / 1024;
			return `${p.name} +${(peak - before[p.name]).toFixed(0)} MB (${before[p.name].toFixed(0)} → ${peak.toFixed(0)})`;
		});
		latencies.sort((a, b) => a - b);
		const refused = Object.values(refusedStatuses).reduce((a, b) => a + b, 0);
		const result = {
			events,
			inflight,
			poolSize: poolSize || 'default',
			answeredPerSecond: events / ((answeredAt - started) / 1000),
			eventsPerSecond: events / ((drainedAt - started) / 1000),
			p50Ms: percentile(latencies, 50),
			p99Ms: percentile(latencies, 99),
			refused,
			refusedStatuses,
			executions: counts,
			executionsCarryingAnEvent: rows.length,
			eventsCarried: carried.size,
			lost: [...answeredOk].filter((index) => !carried.has(index)).length,
			memory: peaks,
		};
		process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
	} finally {
		await stack.stop();
		rmSync(workDir, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
