/**
 * n8n in queue mode, as production runs it when one process is not enough: PostgreSQL, Redis (Bull), one main
 * process (`n8n start`: editor, REST API, triggers' activation, also serves production webhooks), workers
 * (`n8n worker`: run every execution) and a webhook processor (`n8n webhook`: production webhooks only, hands the
 * executions to the queue).
 *
 *   const stack = await startQueueStack({ workDir, installPackage: (folder) => linkPackage(folder), provision });
 *   stack.mainUrl, stack.webhookUrl;                 // editor/REST; production webhooks of the webhook processor
 *   await stack.workers[0].kill();                   // SIGKILL: a crash, no shutdown hook runs
 *   await stack.restartWorker(0);                    // a new worker in its place (new process, same folder)
 *   await stack.stop();                              // everything; drops the run's database and Redis keys unless `keep`
 *
 * Choices, and why:
 *   - Every process gets its own user folder (`<workDir>/<name>/.n8n`) with the package installed in it, as each
 *     container of a real deployment has its own. n8n writes per-process files there (event-bus logs, crash journal,
 *     settings, task-runner state); a shared folder would make processes trip over each other's files and would hide a
 *     process on which the package is missing. The encryption key is the same everywhere (N8N_ENCRYPTION_KEY).
 *   - Binary data: `N8N_DEFAULT_BINARY_DATA_MODE=database` (n8n 2.41's default in queue mode, set explicitly): files
 *     live in PostgreSQL, so a worker reads what the webhook processor or another worker stored.
 *   - Manual runs from the editor or REST go to the workers too (`OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true`).
 *   - Isolation: a fresh database with a random name and a random Redis key prefix (`QUEUE_BULL_PREFIX`, and the
 *     cache prefix) per stack, so parallel runs never share a job or an execution.
 *   - Loopback only and nothing phones home: every process gets `n8nEnv()` (scripts/n8n/process.ts).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import type { N8nRuntime } from './install';
import { ensureN8n } from './install';
import type { CliResult, N8nServerCommand, RunningN8n } from './process';
import { freePort, HOST, runN8nCli, startN8n } from './process';
import type { N8nOwner } from './rest';
import type { RunDatabase, RunRedis, Services } from './services';
import { createDatabase, ensureServices, runRedis } from './services';

export type QueueRole = 'main' | 'worker' | 'webhook';

export interface QueueProcess {
	/** `main`, `webhook`, `worker-1`, `worker-2`, … (a restarted worker gets a new number). */
	name: string;
	role: QueueRole;
	/** Where it serves HTTP (main and webhook processor only). */
	url?: string;
	userFolder: string;
	/** Its whole log (stdout and stderr), appended. */
	logFile: string;
	pid: number;
	running: RunningN8n;
	/** SIGTERM, SIGKILL after the grace period. */
	stop(): Promise<void>;
	/** SIGKILL to the process group at once; resolves when it is gone. */
	kill(): Promise<void>;
	alive(): boolean;
}

export interface QueueStackOptions {
	/** Parent folder of the processes' user folders and logs. Created. */
	workDir: string;
	/** Put into the database name and the Redis prefix, to tell runs apart (`e2e`, `dev`). */
	label?: string;
	runtime?: N8nRuntime;
	/** Default 2. */
	workers?: number;
	/** `n8n worker --concurrency`; n8n's default is 10. */
	workerConcurrency?: number;
	/** Owner created from env on main (no setup screen). */
	owner?: N8nOwner;
	/** Installs the package into a user folder (each process has its own). Called before the process starts. */
	installPackage: (userFolder: string) => Promise<unknown> | unknown;
	/** Runs after the database exists and before any process starts: import credentials and workflows, publish. */
	provision?: (stack: Pick<QueueStack, 'cli' | 'cliOptions'>) => Promise<void>;
	/** Keep the database and the Redis keys after stop() (for inspection). */
	keep?: boolean;
	/** Extra environment for every process (wins over the defaults). */
	env?: Record<string, string | undefined>;
	mainPort?: number;
	webhookPort?: number;
	onLog?: (process: string, line: string) => void;
	log?: (line: string) => void;
}

export interface QueueStack {
	mainUrl: string;
	/** The webhook processor: production webhooks at `${webhookUrl}/webhook/<id>/<path>`. */
	webhookUrl: string;
	main: QueueProcess;
	webhook: QueueProcess;
	/** The current workers (a restarted one replaces its slot). */
	workers: QueueProcess[];
	/** Every process started so far, killed and stopped ones included (their logs count for the secret scan). */
	all: QueueProcess[];
	database: RunDatabase;
	redis: RunRedis;
	services: Services;
	encryptionKey: string;
	/** Environment every n8n process of the stack gets on top of n8nEnv (database, Redis, mode, key). */
	env: Record<string, string>;
	/** Options for the CLI helpers of process.ts (import, publish) so they write the stack's database. */
	cliOptions: { userFolder: string; runtime: N8nRuntime; env: Record<string, string> };
	/** `n8n <args>` on the stack's database (main's user folder). */
	cli(args: string[], options?: { allowFailure?: boolean; timeoutMs?: number }): Promise<CliResult>;
	/** Starts a new worker in slot `index` (after its worker was killed or stopped). */
	restartWorker(index: number): Promise<QueueProcess>;
	/** Starts one more worker. */
	addWorker(): Promise<QueueProcess>;
	/** Every process's full log, read from its file. */
	logs(): Array<{ name: string; file: string; text: string }>;
	/** Stops every process; drops the database and the run's Redis keys unless `keep`. */
	stop(): Promise<void>;
}

export async function startQueueStack(options: QueueStackOptions): Promise<QueueStack> {
	const log = options.log ?? (() => {});
	const runtime = options.runtime ?? (await ensureN8n());
	const workDir = path.resolve(options.workDir);
	fs.mkdirSync(workDir, { recursive: true });
	const services = await ensureServices(log);
	const database = await createDatabase(options.label ?? 'queue');
	const redis = runRedis(options.label ?? 'queue');
	const encryptionKey = randomBytes(24).toString('hex');
	const env: Record<string, string> = {
		...database.env,
		...redis.env,
		EXECUTIONS_MODE: 'queue',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		N8N_ENCRYPTION_KEY: encryptionKey,
		// The worker's own HTTP server (health, metrics) stays off; should it be turned on, it binds loopback only.
		N8N_WORKER_SERVER_ADDRESS: HOST,
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
	};
	const all: QueueProcess[] = [];
	const mainFolder = path.join(workDir, 'main');
	const cliOptions = {
		userFolder: mainFolder,
		runtime,
		env: { ...env, ...stringEnv(options.env) },
	};
	const cli = (args: string[], cliOpts: { allowFailure?: boolean; timeoutMs?: number } = {}) =>
		runN8nCli(args, { ...cliOptions, ...cliOpts });

	let workerNumber = 0;
	const installed = new Set<string>();
	const install = async (userFolder: string) => {
		if (installed.has(userFolder)) return;
		fs.mkdirSync(userFolder, { recursive: true });
		await options.installPackage(userFolder);
		installed.add(userFolder);
	};
	const startProcess = async (
		role: QueueRole,
		name: string,
		extra: { port?: number; owner?: N8nOwner } = {},
	): Promise<QueueProcess> => {
		const userFolder = path.join(workDir, name);
		await install(userFolder);
		const logFile = path.join(workDir, `${name}.log`);
		const command: N8nServerCommand = role === 'main' ? 'start' : role;
		const port = extra.port ?? (await freePort());
		const running = await startN8n({
			userFolder,
			runtime,
			command,
			port,
			args:
				role === 'worker' && options.workerConcurrency
					? [`--concurrency=${options.workerConcurrency}`]
					: [],
			owner: extra.owner,
			logFile,
			onLog: options.onLog ? (line) => options.onLog!(name, line) : undefined,
			env: { ...env, ...options.env },
		});
		const proc: QueueProcess = {
			name,
			role,
			url: role === 'worker' ? undefined : running.url,
			userFolder,
			logFile,
			pid: running.process.pid ?? -1,
			running,
			stop: () => running.stop(),
			kill: () => running.kill(),
			alive: () => running.process.exitCode === null && running.process.signalCode === null,
		};
		all.push(proc);
		log(
			`${name} ready (${running.url}, pid ${proc.pid}, ${(running.startupMs / 1000).toFixed(1)} s)`,
		);
		return proc;
	};
	const newWorker = () => startProcess('worker', `worker-${++workerNumber}`);
	// One public webhook URL for every process, as behind a load balancer: the webhook processor's. Workers build
	// resume URLs (`$execution.resumeUrl`) from it, and main the trigger URLs it records on publish; each process's
	// own address would point the vendors, and waiting executions, at a port that does not serve them.
	const webhookPort = options.webhookPort ?? (await freePort());
	env.N8N_WEBHOOK_URL = `http://${HOST}:${webhookPort}/`;

	let stack: QueueStack | undefined;
	let others: Promise<QueueProcess[]> | undefined;
	try {
		// The webhook processor and the workers need nothing from the provisioning, so they start while it runs (the
		// first of them to reach the database runs n8n's migrations under its migration lock, the others wait). Main
		// starts last: it activates the published triggers, whose webhooks go into the database, where the webhook
		// processor looks them up per request.
		others = Promise.all([
			startProcess('webhook', 'webhook', { port: webhookPort }),
			...Array.from({ length: options.workers ?? 2 }, () => newWorker()),
		]);
		others.catch(() => {}); // awaited below; a failure here must not go unhandled while provisioning runs
		await install(mainFolder);
		await options.provision?.({ cli, cliOptions });
		const main = await startProcess('main', 'main', {
			port: options.mainPort,
			owner: options.owner,
		});
		const [webhook, ...workers] = await others;
		let stopping: Promise<void> | undefined;
		stack = {
			mainUrl: main.url!,
			webhookUrl: webhook.url!,
			main,
			webhook,
			workers,
			all,
			database,
			redis,
			services,
			encryptionKey,
			env,
			cliOptions,
			cli,
			restartWorker: async (index) => {
				const old = stack!.workers[index];
				if (old?.alive()) await old.stop();
				const fresh = await newWorker();
				stack!.workers[index] = fresh;
				return fresh;
			},
			addWorker: async () => {
				const fresh = await newWorker();
				stack!.workers.push(fresh);
				return fresh;
			},
			logs: () =>
				all.map((p) => ({
					name: p.name,
					file: p.logFile,
					text: fs.existsSync(p.logFile) ? fs.readFileSync(p.logFile, 'utf8') : '',
				})),
			stop: () => {
				stopping ??= (async () => {
					// Workers and the webhook processor first: main going away first makes them log connection errors.
					await Promise.all(
						all.filter((p) => p.role !== 'main').map((p) => p.stop().catch(() => {})),
					);
					await main.stop().catch(() => {});
					if (!options.keep) {
						await database
							.drop()
							.catch((error: Error) => log(`could not drop ${database.name}: ${error.message}`));
						await redis
							.clear()
							.catch((error: Error) =>
								log(`could not clear Redis prefix ${redis.prefix}: ${error.message}`),
							);
					}
				})();
				return stopping;
			},
		};
		return stack;
	} catch (error) {
		await others?.catch(() => {}); // let the ones being started finish starting, so that they are stopped too
		await Promise.all(all.map((p) => p.stop().catch(() => {})));
		if (!options.keep) {
			await database.drop().catch(() => {});
			await redis.clear().catch(() => {});
		}
		throw error;
	}
}

function stringEnv(env: Record<string, string | undefined> | undefined): Record<string, string> {
	return Object.fromEntries(
		Object.entries(env ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
	);
}
