/**
 * Start/stop a headless real n8n (the runtime from install.ts) against a given user folder, and run its CLI.
 *
 *   const n8n = await startN8n({ userFolder, owner: DEFAULT_OWNER });  // waits for "Editor is now accessible via:"
 *   const rest = new N8nRestClient(n8n.url); await rest.login();        // see rest.ts
 *   await n8n.stop();
 *
 * CLI helpers (each starts a short n8n process on the same user folder; ~5-10 s each):
 *   importCredentials, importWorkflow (returns the id), publishWorkflow, executeWorkflow (--id --rawOutput, parsed).
 * `n8n execute --file` is broken in 2.41.1: import first, then execute by id. A workflow published while the server
 * runs takes effect at the next start.
 *
 * What differs on n8n 1.123 (the runtime's `line.has`, versions.ts) is handled here: publishing is `update:workflow
 * --active=true`, the owner is set up over REST after start, and there is no mcp-registry module to disable.
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { ensureN8n, REPO_ROOT, type N8nRuntime } from './install';
import { N8nRestClient, type N8nOwner } from './rest';
import { currentLine, type N8nLine } from './versions';

export const HOST = '127.0.0.1';
/** Log line n8n prints once the editor and REST API serve requests (`/healthz` answers earlier). */
export const READY_LINE = 'Editor is now accessible via:';
/** Preload that refuses (and logs) any DNS lookup or connect that is not loopback; see offline-guard.cjs. */
export const OFFLINE_GUARD = path.join(__dirname, 'offline-guard.cjs');
/** What offline-guard.cjs prints in front of every refused call. */
export const OFFLINE_GUARD_MARK = '[offline-guard]';
/** File in each user folder where offline-guard.cjs also appends its lines (OFFLINE_GUARD_LOG). */
export const OFFLINE_GUARD_LOG_NAME = 'offline-guard.log';

export interface N8nBaseOptions {
	/** N8N_USER_FOLDER: n8n keeps `.n8n/` (SQLite DB, encryption key, custom nodes) inside it. Created if missing. */
	userFolder: string;
	/** Extra environment, applied last (wins over the defaults). */
	env?: Record<string, string | undefined>;
	/** Runtime from ensureN8n(); installed on first use when omitted. */
	runtime?: N8nRuntime;
}

export interface StartN8nOptions extends N8nBaseOptions {
	/** Defaults to a free port on 127.0.0.1. */
	port?: number;
	/** Owner created (or reset) at startup from env vars (N8N_INSTANCE_OWNER_*), so the editor needs no setup. */
	owner?: N8nOwner;
	/** Milliseconds to wait for the ready line; default 180 000. */
	timeoutMs?: number;
	/** Called with every log line (stdout and stderr). */
	onLog?: (line: string) => void;
	/** Also append the log to this file. */
	logFile?: string;
	/**
	 * n8n command to run: `start` (default; the main process), `worker` or `webhook` (queue mode). Each prints its
	 * own ready line (see READY_LINES); `readyLine` overrides it.
	 */
	command?: N8nServerCommand;
	/** Extra command-line arguments, e.g. `['--concurrency=5']` for a worker. */
	args?: string[];
	readyLine?: string;
}

export type N8nServerCommand = 'start' | 'worker' | 'webhook';

/** What each long-running n8n command prints once it serves (commands/start.js, worker.js, webhook.js; same in 1.123). */
export const READY_LINES: Record<N8nServerCommand, string> = {
	start: READY_LINE,
	worker: 'n8n worker is now ready',
	webhook: 'Webhook listener waiting for requests.',
};

export interface RunningN8n {
	url: string;
	port: number;
	userFolder: string;
	process: ChildProcess;
	/** Milliseconds from spawn to the ready line. */
	startupMs: number;
	/** Log lines so far (last 5000). */
	logs(): string[];
	/** SIGTERM to n8n's process group, SIGKILL after `graceMs` (default 20 000). Idempotent. */
	stop(graceMs?: number): Promise<void>;
	/** SIGKILL to n8n's process group at once (a crash: no shutdown hooks run); resolves when it is gone. */
	kill(): Promise<void>;
	/** Resolves when the process has exited (for whatever reason). */
	exited: Promise<void>;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, HOST, () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Environment for any n8n process on this machine: loopback only, nothing phones home, quiet. */
export function n8nEnv(
	userFolder: string,
	extra: Record<string, string | undefined> = {},
	line: N8nLine = currentLine(),
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_LISTEN_ADDRESS: HOST,
		N8N_HOST: HOST,
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		// Nothing n8n does by itself leaves the machine (n8n 2.41.1, @n8n/config and modules/*.config.js):
		N8N_DIAGNOSTICS_ENABLED: 'false', // telemetry (telemetry.n8n.io, ph.n8n.io)
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false', // api.n8n.io/api/versions
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false', // api.n8n.io/api/whats-new
		N8N_TEMPLATES_ENABLED: 'false', // api.n8n.io/api/templates
		N8N_DYNAMIC_BANNERS_ENABLED: 'false', // api.n8n.io/api/banners
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // the verified community-node list, api.n8n.io/api/community-nodes
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false', // license.n8n.io
		N8N_LICENSE_DETACH_FLOATING_ON_SHUTDOWN: 'false', // license.n8n.io, at shutdown
		N8N_AI_ENABLED: 'false', // AI assistant / builder (N8N_AI_ASSISTANT_BASE_URL)
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		EXTERNAL_HOOK_FILES: '',
		N8N_SENTRY_DSN: '',
		N8N_FRONTEND_SENTRY_DSN: '',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		// The MCP registry module (2.x) fetches a server list from the internet at startup; 1.123 has no such module
		// and refuses to start when told to disable it.
		N8N_DISABLED_MODULES: line.has.mcpRegistryModule ? 'mcp-registry' : undefined,
		// Whatever is still left is refused and logged (offline-guard.cjs); e2e fails on such a line.
		OFFLINE_GUARD_LOG: path.join(userFolder, OFFLINE_GUARD_LOG_NAME),
		NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${JSON.stringify(OFFLINE_GUARD)}`]
			.filter(Boolean)
			.join(' '),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: HOST,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
		NODE_ENV: 'production',
	};
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

/**
 * N8N_INSTANCE_OWNER_* variables: n8n 2.41 creates (or overwrites) this owner at startup. Hashes with n8n's bcryptjs.
 * n8n 1.123 reads no such variables: startN8n sets its owner up over REST instead.
 */
export function ownerEnv(owner: N8nOwner, runtime: N8nRuntime): Record<string, string> {
	if (!runtime.line.has.ownerFromEnv) return {};
	const bcrypt = createRequire(path.join(runtime.runtimeDir, 'package.json'))('bcryptjs') as {
		hashSync(password: string, rounds: number): string;
	};
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName ?? 'E2E',
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName ?? 'Owner',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(owner.password, 10),
	};
}

/**
 * Makes a package loadable by n8n: copies its package.json and `dist/` to `<userFolder>/.n8n/nodes/node_modules/<name>`
 * (again on every call: dev calls it before each n8n (re)start). Node types are then `<name>.<node>`. Defaults to this
 * repository (build it first: n8n loads `dist/`).
 *
 * A copy, not a symlink to the repository: through a symlink, the package's `require('n8n-workflow')` found the
 * repository's own node_modules/n8n-workflow, a second copy whose NodeOperationError n8n does not recognise, so
 * n8n logged every expected node error twice as a bare "NodeOperationError" with a stack and no message. A copy has no
 * node_modules beside it and gets n8n's own n8n-workflow (through the NODE_PATH n8n sets), as a user's install does.
 */
export function linkPackage(userFolder: string, packageDir: string = REPO_ROOT): string {
	const name = (
		JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { name: string }
	).name;
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', name);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }, null, 2),
		);
	}
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(packageDir, 'dist'), path.join(target, 'dist'), { recursive: true });
	return target;
}

function splitLines(onLine: (line: string) => void): (chunk: Buffer) => void {
	let rest = '';
	return (chunk) => {
		rest += chunk.toString('utf8');
		const lines = rest.split('\n');
		rest = lines.pop() ?? '';
		for (const line of lines) onLine(line.replace(/\r$/, ''));
	};
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
	live.add(child);
	child.once('exit', () => live.delete(child));
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const c of live) killGroup(c, 'SIGKILL');
		});
	}
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/** Starts `n8n start` and resolves once the editor is ready. Rejects (and kills it) on early exit or timeout. */
export async function startN8n(options: StartN8nOptions): Promise<RunningN8n> {
	const runtime = options.runtime ?? (await ensureN8n());
	const userFolder = path.resolve(options.userFolder);
	fs.mkdirSync(userFolder, { recursive: true });
	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const url = `http://${HOST}:${port}`;
	const env = n8nEnv(
		userFolder,
		{
			N8N_PORT: String(port),
			N8N_EDITOR_BASE_URL: url,
			N8N_WEBHOOK_URL: `${url}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...(options.owner ? ownerEnv(options.owner, runtime) : {}),
			...options.env,
		},
		runtime.line,
	);

	const started = Date.now();
	const command = options.command ?? 'start';
	const readyLine = options.readyLine ?? READY_LINES[command];
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, command, ...(options.args ?? [])], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true, // own process group: stop() also ends the task runner children
	});
	track(child);
	const lines: string[] = [];
	const logStream = options.logFile
		? fs.createWriteStream(options.logFile, { flags: 'a' })
		: undefined;
	let onReady: (() => void) | undefined;
	const onLine = (line: string) => {
		lines.push(line);
		if (lines.length > 5000) lines.splice(0, lines.length - 5000);
		logStream?.write(line + '\n');
		options.onLog?.(line);
		if (line.includes(readyLine)) onReady?.();
	};
	child.stdout!.on('data', splitLines(onLine));
	child.stderr!.on('data', splitLines(onLine));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.once('exit', () => logStream?.end());

	let stopping: Promise<void> | undefined;
	const stop = (graceMs = 20_000): Promise<void> => {
		stopping ??= (async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			killGroup(child, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
			killGroup(child, 'SIGKILL'); // leftovers in the group (task runner), if any
		})();
		return stopping;
	};
	const kill = async (): Promise<void> => {
		killGroup(child, 'SIGKILL');
		await exited;
	};

	const timeoutMs = options.timeoutMs ?? 180_000;
	try {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`n8n ${command} did not become ready within ${timeoutMs} ms`)),
				timeoutMs,
			);
			onReady = () => {
				clearTimeout(timer);
				resolve();
			};
			child.once('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.once('exit', (code, signal) => {
				clearTimeout(timer);
				reject(
					new Error(`n8n ${command} exited before it was ready (${signal ?? `exit ${code}`})`),
				);
			});
		});
		// n8n 1.123: no owner from the environment; the setup screen's request once (later starts find the owner).
		if (options.owner && !runtime.line.has.ownerFromEnv && command === 'start')
			await new N8nRestClient(url).ensureOwner(options.owner);
	} catch (error) {
		await stop(5000);
		(error as Error).message += `\n--- last n8n log lines ---\n${lines.slice(-40).join('\n')}`;
		throw error;
	}
	onReady = undefined;
	return {
		url,
		port,
		userFolder,
		process: child,
		startupMs: Date.now() - started,
		logs: () => [...lines],
		stop,
		kill,
		exited,
	};
}

export interface CliResult {
	/** null when the process was ended by a signal. */
	code: number | null;
	/** The signal that ended it (`SIGSEGV`, or `SIGKILL` from our timeout), if any. */
	signal: NodeJS.Signals | null;
	/** Whether our timeout killed it. */
	timedOut: boolean;
	stdout: string;
	stderr: string;
}

/** "exit 1", "killed by SIGSEGV", "killed by SIGKILL after the 300 s timeout". */
export function exitText({
	code,
	signal,
	timedOut,
}: Pick<CliResult, 'code' | 'signal' | 'timedOut'>): string {
	if (timedOut) return `killed by ${signal ?? 'SIGKILL'} after our timeout`;
	return signal ? `killed by ${signal}` : `exit ${code}`;
}

/** Runs `n8n <args...>` against the user folder; rejects on a non-zero exit unless `allowFailure`. */
export async function runN8nCli(
	args: string[],
	options: N8nBaseOptions & {
		allowFailure?: boolean;
		timeoutMs?: number;
		/**
		 * A line the command prints once its work is done: from then on it has `doneGraceMs` (default 15 000) to exit,
		 * then it is killed and counts as having exited 0 (for a command known not to exit by itself).
		 */
		doneLine?: string;
		doneGraceMs?: number;
	},
): Promise<CliResult> {
	const runtime = options.runtime ?? (await ensureN8n());
	const userFolder = path.resolve(options.userFolder);
	fs.mkdirSync(userFolder, { recursive: true });
	const env = n8nEnv(
		userFolder,
		{
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_PORT: String(await freePort()),
			...options.env,
		},
		runtime.line,
	);
	const child = spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
		cwd: userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	track(child);
	let stdout = '';
	let stderr = '';
	let doneTimer: NodeJS.Timeout | undefined;
	let killedWhenDone = false;
	const watchDone = () => {
		if (!options.doneLine || doneTimer || !`${stdout}\n${stderr}`.includes(options.doneLine))
			return;
		doneTimer = setTimeout(() => {
			killedWhenDone = true;
			killGroup(child, 'SIGKILL');
		}, options.doneGraceMs ?? 15_000);
	};
	child.stdout!.on('data', (c: Buffer) => {
		stdout += c.toString('utf8');
		watchDone();
	});
	child.stderr!.on('data', (c: Buffer) => {
		stderr += c.toString('utf8');
		watchDone();
	});
	const timeoutMs = options.timeoutMs ?? 180_000;
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGKILL');
	}, timeoutMs);
	const [exitCode, exitSignal] = await new Promise<[number | null, NodeJS.Signals | null]>(
		(resolve, reject) => {
			child.once('error', reject);
			child.once('close', (c, s) => resolve([c, s]));
		},
	).finally(() => {
		clearTimeout(timer);
		clearTimeout(doneTimer);
	});
	killGroup(child, 'SIGKILL'); // a task runner left behind, if any
	const [code, signal] = killedWhenDone && !timedOut ? [0, null] : [exitCode, exitSignal];
	const result: CliResult = { code, signal, timedOut, stdout, stderr };
	if (code !== 0 && !options.allowFailure) {
		throw Object.assign(
			new Error(
				`n8n ${args.join(' ')} failed (${exitText(result)})\n${(stdout + '\n' + stderr).trim().split('\n').slice(-30).join('\n')}`,
			),
			result,
		);
	}
	return result;
}

function tempJson(value: unknown): string {
	const file = path.join(
		os.tmpdir(),
		`n8n-import-${process.pid}-${randomBytes(6).toString('hex')}.json`,
	);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

/** A random id of the shape n8n uses (16 alphanumerics). */
export function n8nId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

async function importFile(
	kind: 'credentials' | 'workflow',
	input: unknown,
	options: N8nBaseOptions,
): Promise<void> {
	const file = typeof input === 'string' ? input : tempJson(input);
	try {
		await runN8nCli([`import:${kind}`, `--input=${file}`], options);
	} finally {
		if (typeof input !== 'string') fs.rmSync(file, { force: true });
	}
}

/**
 * `n8n import:credentials`: a file path, or credential objects `{id, name, type, data}` with plain `data`
 * (n8n encrypts it on import). Returns the ids (given ones, or generated).
 */
export async function importCredentials(
	credentials:
		| string
		| Array<{ id?: string; name: string; type: string; data: Record<string, unknown> }>,
	options: N8nBaseOptions,
): Promise<string[]> {
	if (typeof credentials === 'string') {
		await importFile('credentials', credentials, options);
		const parsed = JSON.parse(fs.readFileSync(credentials, 'utf8')) as
			| { id?: string }
			| Array<{ id?: string }>;
		return (Array.isArray(parsed) ? parsed : [parsed]).map((c) => c.id ?? '');
	}
	const withIds = credentials.map((c) => ({ ...c, id: c.id ?? n8nId() }));
	await importFile('credentials', withIds, options);
	return withIds.map((c) => c.id);
}

/** `n8n import:workflow`: a file path or a workflow object (given an id if it has none). Returns the workflow id. */
export async function importWorkflow(
	workflow: string | Record<string, unknown>,
	options: N8nBaseOptions,
): Promise<string> {
	const value = (
		typeof workflow === 'string' ? JSON.parse(fs.readFileSync(workflow, 'utf8')) : workflow
	) as Record<string, unknown>;
	const withId = {
		active: false,
		settings: {},
		connections: {},
		...value,
		id: (value.id as string | undefined) ?? n8nId(),
	};
	await importFile('workflow', withId, options);
	return withId.id;
}

/** What n8n 1.123's `update:workflow` prints right after it wrote the new active state (commands/update/workflow.js). */
export const UPDATE_WORKFLOW_WRITTEN_LINE =
	'Activation or deactivation will not take effect if n8n is running.';

/**
 * Activates a workflow's triggers at the next `n8n start`: `n8n publish:workflow --id` on 2.x, `n8n update:workflow
 * --id --active=true` on 1.123 (which has no publish). The 1.123 command was seen not to exit after writing the
 * change for polling workflows: once it has printed the line that follows the write, it gets a few seconds, then it
 * is ended (the change is in the database by then).
 */
export async function publishWorkflow(id: string, options: N8nBaseOptions): Promise<void> {
	const runtime = options.runtime ?? (await ensureN8n());
	if (runtime.line.has.publishCommand) {
		await runN8nCli(['publish:workflow', `--id=${id}`], { ...options, runtime });
		return;
	}
	const result = await runN8nCli(['update:workflow', `--id=${id}`, '--active=true'], {
		...options,
		runtime,
		doneLine: UPDATE_WORKFLOW_WRITTEN_LINE,
		doneGraceMs: 10_000,
	});
	// The command logs its failures and exits 0: only the line after the write says it worked.
	if (!`${result.stdout}\n${result.stderr}`.includes(UPDATE_WORKFLOW_WRITTEN_LINE))
		throw new Error(
			`n8n update:workflow --id=${id} --active=true did not write the change:\n${(result.stdout + result.stderr).slice(-1500)}`,
		);
}

/** Finds the JSON document that follows n8n's log lines in CLI output. */
export function parseJsonAfterLogs(output: string): unknown {
	const lines = output.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (!/^\s*[[{]/.test(lines[i])) continue;
		const candidate = lines.slice(i).join('\n').trim();
		try {
			return JSON.parse(candidate);
		} catch {
			// Trailing log lines after the JSON: try shrinking from the end.
			for (let j = lines.length; j > i; j--) {
				try {
					return JSON.parse(lines.slice(i, j).join('\n'));
				} catch {
					/* keep looking */
				}
			}
		}
	}
	throw new Error(`no JSON found in n8n output:\n${output.slice(-2000)}`);
}

/**
 * `n8n execute --id <id> --rawOutput`: runs the workflow from its start node and returns n8n's JSON
 * (the run data: `{ data: { resultData: { runData, lastNodeExecuted, error? } }, status, ... }`).
 * Rejects when n8n reports the execution failed, unless `allowFailure`.
 */
export async function executeWorkflow(
	id: string,
	options: N8nBaseOptions & { allowFailure?: boolean; timeoutMs?: number },
): Promise<{ result: unknown; output: CliResult }> {
	const output = await runN8nCli(['execute', `--id=${id}`, '--rawOutput'], {
		...options,
		allowFailure: true,
	});
	let result: unknown;
	try {
		result = parseJsonAfterLogs(output.stdout);
	} catch (error) {
		if (options.allowFailure) return { result: undefined, output };
		throw new Error(
			`n8n execute --id=${id} gave no JSON (${exitText(output)})\n${output.stdout.slice(-1500)}\n${output.stderr.slice(-1500)}`,
		);
	}
	if (output.code !== 0 && !options.allowFailure) {
		throw Object.assign(
			new Error(
				`n8n execute --id=${id} failed (${exitText(output)})\n${output.stdout.slice(-2000)}\n${output.stderr.slice(-1000)}`,
			),
			{ result, output },
		);
	}
	return { result, output };
}
