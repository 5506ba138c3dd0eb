/**
 * `npm run dev`: a real n8n with this package, ready to use, against the local sandbox gateway.
 *
 *   1. builds the package (`npm run build`);
 *   2. starts the sandbox in this process (127.0.0.1:8787, or a free port);
 *   3. installs the pinned n8n on Node 24 on first use (scripts/n8n/install.ts, ~3-4 min once);
 *   4. keeps n8n's user folder in `.n8n-local/dev/` (git-ignored; SQLite database, your workflows), links the package
 *      into it, (re)imports one credential per service pointing at the sandbox plus the triggers' webhook secrets, and
 *      imports the example workflows of examples/ when they are new or changed there, publishing the triggers;
 *   5. starts n8n on 127.0.0.1:5678 (or a free port) with the owner created from env (no set-up screen), points the
 *      sandbox's webhooks at the triggers' production URLs, and prints where everything is;
 *   6. recompiles on change (`tsc --watch`) and restarts n8n after each good build; `r` + Enter or SIGUSR2 to the pid
 *      in dev.pid restarts by hand;
 *   7. Ctrl-C stops tsc, n8n and the sandbox.
 *
 * Options: --port N, --sandbox-port N, --no-watch, --reset-examples (re-import every example), --reset (delete
 * .n8n-local/dev first: a fresh database), --n8n 1.123 (n8n 1.123 instead of 2.x, in .n8n-local/dev-1.123/).
 *
 * `--queue`: n8n's queue mode instead (scripts/n8n/queue.ts): PostgreSQL and Redis on 127.0.0.1 (installed from
 * Debian's packages when missing), main on :5678, the webhook processor on :5679 (or free ports), two workers; the
 * same credentials, examples and published triggers, the sandbox's webhooks pointed at the webhook processor. Each
 * start gets a fresh database and Redis prefix, dropped at Ctrl-C unless `--keep`. No rebuild on change: Ctrl-C and
 * start again. `--workers N` (default 2).
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as readline from 'readline';

import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';
import { buildPackage } from './build';
import { n8nConsoleFilter, repeatFilter } from './console';
import type { Example } from './provision';
import {
	CREDENTIAL_NAMES,
	DELIVERY_TABLES,
	DEV_WEBHOOK_SECRETS,
	OPT_OUT_TABLES,
	ensureDataTables,
	isPublished,
	loadExamples,
	nameReceivers,
	ON_DEMAND_EXAMPLES,
	sandboxCredentials,
	wireWebhookCopies,
	wireWebhooks,
} from './provision';
import type { Watcher } from './watch';
import { watchPackage } from './watch';
import { ensureN8n, isN8nInstalled, localDir, REPO_ROOT } from '../n8n/install';
import { DEFAULT_LINE, selectLine } from '../n8n/versions';
import type { RunningN8n } from '../n8n/process';
import type { QueueStack } from '../n8n/queue';
import { startQueueStack } from '../n8n/queue';
import {
	HOST,
	importCredentials,
	linkPackage,
	publishWorkflow,
	runN8nCli,
	startN8n,
} from '../n8n/process';
import type { N8nOwner } from '../n8n/rest';
import { N8nRestClient } from '../n8n/rest';

export const DEV_OWNER: Required<N8nOwner> = {
	email: 'dev@example.com',
	password: 'Dev-Passw0rd',
	firstName: 'Dev',
	lastName: 'Owner',
};

const argv = process.argv.slice(2);
/** `--n8n 1.123`: dev on n8n 1.123 (its own runtime and user folder, `.n8n-local/dev-1.123/`); 2.x by default. */
const LINE = selectLine(argv);
const DEV_FOLDER = LINE.name === DEFAULT_LINE ? 'dev' : `dev-${LINE.name}`;
const option = (name: string) => {
	const index = argv.indexOf(`--${name}`);
	return index >= 0 ? argv[index + 1] : undefined;
};

/** The customer the Sobot examples write to (examples/sobot-send-message.json: +91 98123 45678). */
const EXAMPLE_CUSTOMER = '919812345678';

/** What the sandbox accepted, kept across dev restarts (sandbox/acceptedLog.ts), in the user folder. */
const ACCEPTED_LOG = 'sandbox-accepted.jsonl';

const log = (line: string): void => {
	process.stdout.write(`[dev] ${line}\n`);
};

function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, HOST, () => server.close(() => resolve(true)));
	});
}

/**
 * Ctrl-C, SIGTERM and SIGHUP run `stop` once, then exit. One Ctrl-C arrives twice (from the terminal, and relayed
 * by npm/tsx): only a later one means "now"; then the exit hook of scripts/n8n/process.ts kills what is left.
 */
function onStopSignals(stop: () => Promise<void>): {
	shutdown: (code: number) => Promise<void>;
	isShuttingDown: () => boolean;
} {
	let shuttingDown = false;
	let firstSignalAt = 0;
	const shutdown = async (code: number) => {
		if (shuttingDown) return;
		shuttingDown = true;
		await stop();
		process.exit(code);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			if (!shuttingDown) {
				firstSignalAt = Date.now();
				void shutdown(0);
				return;
			}
			if (Date.now() - firstSignalAt > 1500) process.exit(130);
		});
	}
	return { shutdown, isShuttingDown: () => shuttingDown };
}

async function pickPort(wanted: string | undefined, preferred: number): Promise<number> {
	if (wanted !== undefined) return Number(wanted);
	return (await portIsFree(preferred)) ? preferred : 0;
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** One dev instance per folder: two n8n processes on one SQLite database would get in each other's way. */
function refuseIfRunning(devDir: string): void {
	const file = path.join(devDir, 'dev.pid');
	const other = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : NaN;
	if (Number.isFinite(other) && other !== process.pid && isAlive(other)) {
		throw new Error(`npm run dev is already running (pid ${other}) on ${devDir}; stop it first`);
	}
}

function takeLock(devDir: string): () => void {
	refuseIfRunning(devDir);
	const file = path.join(devDir, 'dev.pid');
	fs.writeFileSync(file, String(process.pid));
	return () => fs.rmSync(file, { force: true });
}

interface ExampleState {
	/** Workflow id → sha256 of the example as last imported. */
	imported: Record<string, string>;
}

/**
 * Imports the examples that are new, or changed in examples/ since the last import, and publishes the triggers among
 * them. Untouched examples stay as the user left them (edits kept). Returns the ones imported.
 */
async function provisionExamples(
	devDir: string,
	examples: Example[],
	force: boolean,
	n8n: { userFolder: string; runtime: Awaited<ReturnType<typeof ensureN8n>> },
): Promise<Example[]> {
	const stateFile = path.join(devDir, 'examples.json');
	const database = path.join(devDir, '.n8n', 'database.sqlite');
	const state: ExampleState =
		fs.existsSync(stateFile) && fs.existsSync(database) && !force
			? (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as ExampleState)
			: { imported: {} };
	const due = examples.filter((e) => state.imported[e.workflow.id] !== e.hash);
	if (due.length === 0) return [];
	const file = path.join(devDir, 'examples-import.json');
	fs.writeFileSync(
		file,
		JSON.stringify(
			due.map((e) => ({ active: false, ...e.workflow })),
			null,
			2,
		),
	);
	await runN8nCli(['import:workflow', `--input=${file}`], n8n);
	fs.rmSync(file, { force: true });
	for (const example of due.filter(isPublished)) await publishWorkflow(example.workflow.id, n8n);
	for (const example of due) state.imported[example.workflow.id] = example.hash;
	fs.writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n');
	return due;
}

/**
 * Where each vendor's webhooks go (one line per vendor), and how to point Sobot's at an example that answers the
 * customer (the AI agent, Send and Wait), which gets them only when asked for by name.
 */
function routingLines(sandbox: Sandbox, examples: Example[], webhookBase: string): string[] {
	const point = (name: string) =>
		`curl -s -X POST ${sandbox.url}/__admin/webhooks -H 'content-type: application/json' -d '{"sobot":"${name}"}'`;
	const exampleAt = (url: string | undefined) =>
		examples.find(
			(e) => e.trigger && url?.startsWith(`${webhookBase}/webhook/${e.trigger.webhookId}/`),
		)?.key ?? url;
	const lines = (['profilora', 'sobot'] as const)
		.filter((vendor) => sandbox.webhooks.targets[vendor])
		.map((vendor) => {
			const copies = (sandbox.webhooks.copies[vendor] ?? []).map((c) => exampleAt(c.url));
			return `  ${vendor.padEnd(11)}-> ${exampleAt(sandbox.webhooks.targets[vendor]?.url)}${copies.length ? ` (copies to ${copies.join(', ')})` : ''}`;
		});
	const onDemand = examples.filter((e) => ON_DEMAND_EXAMPLES.includes(e.key) && e.trigger);
	return [
		"Where the sandbox posts the vendors' webhooks (a real vendor posts to the one URL you paste in its dashboard):",
		...lines,
		...(onDemand.length
			? [
					`The AI agent and Send and Wait examples answer the customer, so they get Sobot's webhooks only when you point them there (docs/development.md):`,
					...onDemand.map((e) => `  ${point(e.key)}`),
					`  back: ${point('default')}`,
				]
			: []),
	];
}

function banner(
	n8n: RunningN8n,
	sandbox: Sandbox,
	examples: Example[],
	imported: Example[],
	devDir: string,
	watching: boolean,
): string {
	const rel = path.relative(REPO_ROOT, devDir) || devDir;
	const admin = `${sandbox.url}/__admin`;
	const curl = (body: string) =>
		`curl -s -X POST ${admin}/incoming -H 'content-type: application/json' -d '${body}'`;
	const lines = [
		'',
		`n8n is ready: ${n8n.url}`,
		`  login        ${DEV_OWNER.email} / ${DEV_OWNER.password}`,
		`  user folder  ${rel} (SQLite database and your workflows; kept between runs; --reset starts over)`,
		`  sandbox      ${sandbox.url} (Profilora, WAChatPro and Sobot APIs); admin API ${admin}`,
		`  credentials  ${Object.values(CREDENTIAL_NAMES).join(', ')}`,
		`  examples     ${examples.map((e) => `"${e.workflow.name}"`).join(', ')}`,
		imported.length
			? `               imported now: ${imported.map((e) => e.key).join(', ')}; triggers published`
			: '               unchanged since the last run, left as you edited them (--reset-examples re-imports them)',
		'',
		'Simulate a customer writing in (the trigger workflows then show an execution):',
		`  ${curl('{"vendor":"sobot","from":"919812345678","text":"Hi, where is my order?"}')}`,
		`  ${curl('{"vendor":"profilora","from":"6281234567890","text":"Halo!"}')}`,
		`  ${curl('{"vendor":"wachatpro","from":"6281211110001","text":"Halo, pesanan saya?"}')}   (WAChatPro Trigger polls every minute)`,
		`  curl -s -X POST ${sandbox.url}/sobot/__sandbox/templates/diwali_sale/review -H 'content-type: application/json' -d '{"status":"approved"}'   (Sobot Template Trigger)`,
		'Sends through the sandbox post delivery statuses (sent, delivered, read) to the triggers the same way.',
		...routingLines(sandbox, examples, n8n.url),
		'',
		`What the sandbox accepted (kept across dev restarts in ${rel}/${ACCEPTED_LOG}; ${sandbox.acceptedEarlier} from earlier runs), per recipient:`,
		`  curl -s ${admin}/accepted/summary`,
		'',
		watching
			? 'Editing nodes/ or credentials/ recompiles and restarts n8n (~10 s; reload the browser).'
			: 'Rebuild on change is off (--no-watch): run npm run build, then restart n8n.',
		`Restart n8n: r + Enter, or without a terminal kill -USR2 ${process.pid} (the pid is in ${rel}/dev.pid). Ctrl-C stops all.`,
		'',
	];
	return lines.join('\n');
}

async function main() {
	const devDir = path.join(localDir(), DEV_FOLDER);
	if (argv.includes('--reset')) {
		refuseIfRunning(devDir);
		log(`--reset: deleting ${devDir}`);
		fs.rmSync(devDir, { recursive: true, force: true });
	}
	fs.mkdirSync(devDir, { recursive: true });
	const releaseLock = takeLock(devDir);

	let sandbox: Sandbox | undefined;
	let n8n: RunningN8n | undefined;
	let watcher: Watcher | undefined;
	let restarting: Promise<void> | undefined;
	let restartAgain = false;

	const { shutdown, isShuttingDown } = onStopSignals(async () => {
		log('stopping n8n and the sandbox…');
		watcher?.stop();
		await restarting?.catch(() => {});
		await n8n?.stop().catch(() => {});
		await sandbox?.stop().catch(() => {});
		releaseLock();
		log('stopped');
	});

	try {
		log('building the package (npm run build)');
		await buildPackage();

		sandbox = await startSandbox({
			port: await pickPort(option('sandbox-port'), 8787),
			acceptedLogFile: path.join(devDir, ACCEPTED_LOG),
		});
		// The send-a-text example writes free-form text, which Sobot refuses unless the customer wrote within 24 hours.
		sandbox.sobot.lastInbound.set(EXAMPLE_CUSTOMER, Date.now());
		log(`sandbox gateway on ${sandbox.url}`);

		if (!isN8nInstalled())
			log(
				`first run: installing n8n ${LINE.n8nVersion} and Node 24 into .n8n-local/n8n-${LINE.n8nVersion} (~3-4 minutes, ~3 GB; once)`,
			);
		const runtime = await ensureN8n({ log });
		const ctx = { userFolder: devDir, runtime };

		linkPackage(devDir);
		await importCredentials(sandboxCredentials(sandbox, DEV_WEBHOOK_SECRETS), ctx);
		log('package linked; sandbox credentials (re)imported');
		const examples = loadExamples();
		const imported = await provisionExamples(
			devDir,
			examples,
			argv.includes('--reset-examples'),
			ctx,
		);
		if (imported.length) log(`examples imported: ${imported.map((e) => e.key).join(', ')}`);

		const port = await pickPort(option('port'), 5678);
		let ready = false;
		const consoleLine = n8nConsoleFilter();
		const start = async (usePort: number) => {
			ready = false;
			linkPackage(devDir); // a fresh copy of dist/ (n8n reads a package's code only at startup)
			const started = await startN8n({
				userFolder: devDir,
				runtime,
				port: usePort || undefined,
				owner: DEV_OWNER,
				logFile: path.join(devDir, 'n8n.log'),
				onLog: (line) => {
					const shown = consoleLine(line);
					if (ready && shown !== undefined) process.stdout.write(`[n8n] ${shown}\n`);
				},
			});
			ready = true;
			started.process.once('exit', () => {
				if (!isShuttingDown() && !restarting)
					log(
						`n8n exited; press r + Enter (or kill -USR2 ${process.pid}) to start it again, Ctrl-C to quit`,
					);
			});
			return started;
		};
		log('starting n8n');
		n8n = await start(port);
		wireWebhooks(sandbox, examples, n8n.url, DEV_WEBHOOK_SECRETS);
		await provisionDeliveryTracking(n8n.url, n8n.url, sandbox, examples);
		nameReceivers(sandbox, examples, n8n.url, DEV_WEBHOOK_SECRETS);
		const fixedPort = n8n.port;

		const restart = (reason: string) => {
			if (isShuttingDown()) return;
			if (restarting) {
				restartAgain = true;
				return;
			}
			restarting = (async () => {
				do {
					restartAgain = false;
					log(`restarting n8n (${reason})`);
					await n8n?.stop();
					n8n = await start(fixedPort);
					log(
						`n8n is back on ${n8n.url} (${(n8n.startupMs / 1000).toFixed(1)} s); reload the browser`,
					);
				} while (restartAgain && !isShuttingDown());
			})()
				.catch((error: Error) => {
					log(
						`n8n failed to restart: ${error.message.split('\n')[0]}; fix it and press r + Enter (or kill -USR2 ${process.pid})`,
					);
				})
				.finally(() => {
					restarting = undefined;
				});
		};

		const watching = !argv.includes('--no-watch');
		if (watching)
			watcher = watchPackage({ onBuilt: () => restart('the package was recompiled'), log });
		followSandbox(sandbox);
		process.stdout.write(banner(n8n, sandbox, examples, imported, devDir, watching) + '\n');

		// Without a terminal (a script, an IDE task, nohup) there is no "r + Enter": the same restart by signal.
		process.on('SIGUSR2', () => restart('SIGUSR2'));
		if (process.stdin.isTTY) {
			const input = readline.createInterface({ input: process.stdin });
			input.on('line', (line) => {
				const command = line.trim().toLowerCase();
				if (command === 'r') restart('asked for');
				else if (command === 'q') void shutdown(0);
			});
		}
	} catch (error) {
		process.stderr.write(`[dev] ${error instanceof Error ? error.message : String(error)}\n`);
		await shutdown(1);
	}
}

/**
 * Delivery tracking (examples/sobot-delivery-*.json) and opt-outs (examples/sobot-optout-*.json): their data tables
 * exist (created through REST when missing, kept otherwise), and their Sobot Triggers get a copy of every Sobot webhook
 * next to the Sobot Trigger example.
 */
async function provisionDeliveryTracking(
	restUrl: string,
	webhookUrl: string,
	sandbox: Sandbox,
	examples: Example[],
): Promise<void> {
	const rest = new N8nRestClient(restUrl);
	await rest.login(DEV_OWNER);
	const tables = await ensureDataTables(rest, [...DELIVERY_TABLES, ...OPT_OUT_TABLES]);
	const created = tables.filter((t) => t.created).map((t) => t.name);
	log(
		`data tables ${tables.map((t) => t.name).join(', ')}${created.length ? ` (created: ${created.join(', ')})` : ' (kept)'}`,
	);
	wireWebhookCopies(sandbox, examples, webhookUrl, DEV_WEBHOOK_SECRETS);
}

/** One line per request the sandbox answers and per webhook it posts, so a developer sees what the nodes did. */
function followSandbox(sandbox: Sandbox): void {
	let requests = sandbox.requests.length;
	let webhooks = 0;
	const once = repeatFilter();
	const timer = setInterval(() => {
		// POST /__admin/reset empties both records.
		if (requests > sandbox.requests.length) requests = 0;
		if (webhooks > sandbox.webhooks.log.length) webhooks = 0;
		for (; requests < sandbox.requests.length; requests++) {
			const r = sandbox.requests[requests];
			if (r.status === undefined && !r.fault) {
				break; // still being answered: print it on a later tick
			}
			// Reads (GET; WAChatPro reads by POST) come back every poll while nothing happens.
			const read =
				r.method === 'GET' || (r.vendor === 'wachatpro' && !r.path.startsWith('/wa/send'));
			const line = once(
				`[sandbox] ${r.method} /${r.vendor}${r.path} -> ${r.status ?? r.fault}${r.fault ? ` (injected ${r.fault})` : ''}`,
				read && !r.fault,
			);
			if (line !== undefined) process.stdout.write(`${line}\n`);
		}
		for (; webhooks < sandbox.webhooks.log.length; webhooks++) {
			const d = sandbox.webhooks.log[webhooks];
			if (d.status === undefined && d.error === undefined) break;
			process.stdout.write(`[sandbox] ${d.vendor} webhook -> ${d.status ?? d.error}\n`);
		}
	}, 300);
	timer.unref();
}

function queueBanner(
	stack: QueueStack,
	sandbox: Sandbox,
	examples: Example[],
	keep: boolean,
): string {
	const admin = `${sandbox.url}/__admin`;
	const curl = (body: string) =>
		`curl -s -X POST ${admin}/incoming -H 'content-type: application/json' -d '${body}'`;
	return [
		'',
		`n8n (queue mode) is ready: ${stack.mainUrl}`,
		`  login        ${DEV_OWNER.email} / ${DEV_OWNER.password}`,
		`  webhooks     ${stack.webhookUrl}/webhook/… (the webhook processor; main serves /webhook/ too, and the editor's test URLs)`,
		`  workers      ${stack.workers.map((w) => `${w.name} (pid ${w.pid})`).join(', ')}; logs in ${path.relative(REPO_ROOT, path.dirname(stack.main.logFile))}/<process>.log`,
		`  database     PostgreSQL ${stack.database.name} on 127.0.0.1:5432 (${keep ? 'kept after Ctrl-C (--keep)' : 'dropped at Ctrl-C; --keep keeps it'}); Redis prefix ${stack.redis.prefix}`,
		`  binary data  in the database (N8N_DEFAULT_BINARY_DATA_MODE=database)`,
		`  sandbox      ${sandbox.url} (Profilora, WAChatPro and Sobot APIs); admin API ${admin}`,
		`  credentials  ${Object.values(CREDENTIAL_NAMES).join(', ')}`,
		`  examples     ${examples.map((e) => `"${e.workflow.name}"`).join(', ')}; triggers published (webhook and polling)`,
		'',
		'Simulate a customer writing in (the webhook processor receives it, a worker runs the trigger workflow):',
		`  ${curl('{"vendor":"sobot","from":"919812345678","text":"Hi, where is my order?"}')}`,
		`  ${curl('{"vendor":"profilora","from":"6281234567890","text":"Halo!"}')}`,
		...routingLines(sandbox, examples, stack.webhookUrl),
		`What the sandbox accepted, per recipient (kept across dev restarts): curl -s ${admin}/accepted/summary`,
		'Queue mode does not rebuild on change: Ctrl-C and start again. Ctrl-C stops all.',
		'',
	].join('\n');
}

/** `npm run dev -- --queue`: the same provisioning on a queue-mode stack. */
async function mainQueue(): Promise<void> {
	const devDir = path.join(localDir(), 'dev-queue');
	fs.mkdirSync(devDir, { recursive: true });
	const releaseLock = takeLock(devDir);
	const keep = argv.includes('--keep');
	let sandbox: Sandbox | undefined;
	let stack: QueueStack | undefined;
	const { shutdown, isShuttingDown } = onStopSignals(async () => {
		log(`stopping n8n (all processes)${keep ? '' : ', dropping the database'} and the sandbox…`);
		await stack?.stop().catch(() => {});
		await sandbox?.stop().catch(() => {});
		releaseLock();
		log('stopped');
	});
	try {
		log('building the package (npm run build)');
		await buildPackage();
		sandbox = await startSandbox({
			port: await pickPort(option('sandbox-port'), 8787),
			acceptedLogFile: path.join(devDir, ACCEPTED_LOG),
		});
		sandbox.sobot.lastInbound.set(EXAMPLE_CUSTOMER, Date.now());
		log(`sandbox gateway on ${sandbox.url}`);
		if (!isN8nInstalled())
			log(
				`first run: installing n8n ${LINE.n8nVersion} and Node 24 into .n8n-local/n8n-${LINE.n8nVersion} (~3-4 minutes, ~3 GB; once)`,
			);
		const runtime = await ensureN8n({ log });
		const examples = loadExamples();
		// Folders of the processes: fresh each start, like the database.
		for (const entry of fs.readdirSync(devDir))
			if (entry !== 'dev.pid' && entry !== ACCEPTED_LOG)
				fs.rmSync(path.join(devDir, entry), { recursive: true, force: true });
		const box = sandbox;
		const consoleLines: Record<string, (line: string) => string | undefined> = {};
		log(
			'starting PostgreSQL/Redis if needed, then n8n main, webhook processor and workers (~1-3 minutes)',
		);
		stack = await startQueueStack({
			workDir: devDir,
			label: 'dev',
			runtime,
			owner: DEV_OWNER,
			keep,
			workers: Number(option('workers') ?? 2),
			mainPort: (await pickPort(option('port'), 5678)) || undefined,
			webhookPort: (await pickPort(option('webhook-port'), 5679)) || undefined,
			installPackage: (userFolder) => linkPackage(userFolder),
			provision: async ({ cli, cliOptions }) => {
				await importCredentials(sandboxCredentials(box, DEV_WEBHOOK_SECRETS), cliOptions);
				const file = path.join(devDir, 'examples-import.json');
				fs.writeFileSync(
					file,
					JSON.stringify(
						examples.map((e) => ({ active: false, ...e.workflow })),
						null,
						2,
					),
				);
				await cli(['import:workflow', `--input=${file}`]);
				fs.rmSync(file, { force: true });
				// Webhook triggers and the polling ones (WAChatPro Trigger, Sobot Template Trigger), as in single mode.
				for (const example of examples.filter(isPublished))
					await publishWorkflow(example.workflow.id, cliOptions);
			},
			log,
			onLog: (name, line) => {
				const shown = (consoleLines[name] ??= n8nConsoleFilter())(line);
				if (stack && shown !== undefined) process.stdout.write(`[${name}] ${shown}\n`);
			},
		});
		wireWebhooks(sandbox, examples, stack.webhookUrl, DEV_WEBHOOK_SECRETS);
		await provisionDeliveryTracking(stack.mainUrl, stack.webhookUrl, sandbox, examples);
		nameReceivers(sandbox, examples, stack.webhookUrl, DEV_WEBHOOK_SECRETS);
		for (const proc of stack.all) {
			proc.running.process.once('exit', () => {
				if (!isShuttingDown()) log(`${proc.name} exited; see ${proc.logFile}`);
			});
		}
		followSandbox(sandbox);
		process.stdout.write(queueBanner(stack, sandbox, examples, keep) + '\n');
		if (process.stdin.isTTY) {
			const input = readline.createInterface({ input: process.stdin });
			input.on('line', (line) => {
				if (line.trim().toLowerCase() === 'q') void shutdown(0);
			});
		}
	} catch (error) {
		process.stderr.write(`[dev] ${error instanceof Error ? error.message : String(error)}\n`);
		await shutdown(1);
	}
}

(argv.includes('--queue') ? mainQueue() : main()).catch((error: Error) => {
	process.stderr.write(`[dev] ${error.message}\n`);
	process.exit(1);
});
