/**
 * PostgreSQL and Redis for n8n's queue mode, on 127.0.0.1 only.
 *
 * `ensureServices()` uses the PostgreSQL (5432, trust auth, user `postgres`) and Redis (6379) that already run on
 * the machine, as on the development and CI machines. When one does not answer, it installs Debian's packages
 * (`apt-get install postgresql redis-server`, as root or through sudo) and starts them with the distribution's own
 * tools (`pg_ctlcluster`, `redis-server --daemonize`), bound to 127.0.0.1. Nothing else is ever downloaded.
 *
 * Each run then takes its own database (`createDatabase()`: a random name, dropped by `drop()`) and its own Redis
 * key prefix, so parallel runs never see each other's executions or queue jobs.
 * Clients: the `psql`/`pg_dump`/`redis-cli` programs of those Debian packages (no npm dependency).
 */
import { execFile, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as net from 'net';
import { promisify } from 'util';

const run = promisify(execFile);

export const PG_HOST = '127.0.0.1';
export const PG_PORT = Number(process.env.N8N_QUEUE_PG_PORT ?? 5432);
export const PG_USER = process.env.N8N_QUEUE_PG_USER ?? 'postgres';
export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = Number(process.env.N8N_QUEUE_REDIS_PORT ?? 6379);

function listening(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host });
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

function hasProgram(name: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

async function waitListening(port: number, what: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await listening(port))) {
		if (Date.now() > deadline)
			throw new Error(
				`${what} did not start listening on 127.0.0.1:${port} within ${timeoutMs / 1000} s`,
			);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** `apt-get install` as root, or through passwordless sudo. */
async function aptInstall(packages: string[], log: (line: string) => void): Promise<void> {
	const root = process.getuid?.() === 0;
	if (!root && !hasProgram('sudo'))
		throw new Error(`installing ${packages.join(', ')} needs root or sudo`);
	const prefix = root ? [] : ['sudo', '-n'];
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	log(`installing Debian packages: ${packages.join(' ')} (apt-get)`);
	const step = async (args: string[]) => {
		const [command, ...rest] = [...prefix, ...args];
		await run(command, rest, { env, maxBuffer: 64 * 1024 * 1024 });
	};
	await step(['apt-get', 'update', '-qq']);
	await step(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
}

function asRoot(args: string[]): [string, string[]] {
	return process.getuid?.() === 0 ? [args[0], args.slice(1)] : ['sudo', ['-n', ...args]];
}

async function ensurePostgres(log: (line: string) => void): Promise<'running' | 'started'> {
	if (await listening(PG_PORT, PG_HOST)) return 'running';
	if (!hasProgram('pg_ctlcluster')) await aptInstall(['postgresql', 'postgresql-client'], log);
	// Debian's package creates a cluster ("main"); start it listening on loopback with trust auth for local tests.
	const clusters = (await run('pg_lsclusters', ['--no-header'])).stdout
		.trim()
		.split('\n')
		.filter(Boolean);
	if (!clusters.length)
		throw new Error('PostgreSQL is installed but has no cluster (pg_lsclusters is empty)');
	const [version, name] = clusters[0].split(/\s+/);
	const conf = `/etc/postgresql/${version}/${name}`;
	log(`starting PostgreSQL ${version}/${name} on ${PG_HOST}:${PG_PORT} (trust auth for loopback)`);
	const hba = `${conf}/pg_hba.conf`;
	const trust = `host all all 127.0.0.1/32 trust`;
	const [shell, shellArgs] = asRoot([
		'sh',
		'-c',
		`grep -qxF '${trust}' ${hba} || sed -i '1i ${trust}' ${hba}; ` +
			`grep -q "^listen_addresses = '127.0.0.1'" ${conf}/postgresql.conf || echo "listen_addresses = '127.0.0.1'" >> ${conf}/postgresql.conf; ` +
			`grep -q "^port = ${PG_PORT}" ${conf}/postgresql.conf || echo "port = ${PG_PORT}" >> ${conf}/postgresql.conf`,
	]);
	await run(shell, shellArgs);
	const [ctl, ctlArgs] = asRoot(['pg_ctlcluster', version, name, 'restart']);
	await run(ctl, ctlArgs);
	await waitListening(PG_PORT, 'PostgreSQL');
	return 'started';
}

async function ensureRedis(log: (line: string) => void): Promise<'running' | 'started'> {
	if (await listening(REDIS_PORT, REDIS_HOST)) return 'running';
	if (!hasProgram('redis-server')) await aptInstall(['redis-server', 'redis-tools'], log);
	log(`starting Redis on ${REDIS_HOST}:${REDIS_PORT}`);
	await run('redis-server', [
		'--bind',
		REDIS_HOST,
		'--port',
		String(REDIS_PORT),
		'--daemonize',
		'yes',
		'--save',
		'',
		'--appendonly',
		'no',
	]);
	await waitListening(REDIS_PORT, 'Redis');
	return 'started';
}

export interface Services {
	postgres: 'running' | 'started';
	redis: 'running' | 'started';
}

/** PostgreSQL and Redis on loopback: the running ones, or Debian's packages installed and started. */
export async function ensureServices(
	log: (line: string) => void = (line) => process.stderr.write(`[services] ${line}\n`),
): Promise<Services> {
	const postgres = await ensurePostgres(log);
	const redis = await ensureRedis(log);
	if (!hasProgram('psql') || !hasProgram('redis-cli'))
		await aptInstall(['postgresql-client', 'redis-tools'], log);
	return { postgres, redis };
}

/** `psql -At -c <sql>`: rows as arrays of columns (tab-separated). */
export async function psql(sql: string, database = 'postgres'): Promise<string[][]> {
	const { stdout } = await run(
		'psql',
		[
			'-h',
			PG_HOST,
			'-p',
			String(PG_PORT),
			'-U',
			PG_USER,
			'-d',
			database,
			'-v',
			'ON_ERROR_STOP=1',
			'-AtX',
			'-F',
			'\t',
			'-c',
			sql,
		],
		{
			maxBuffer: 512 * 1024 * 1024,
		},
	);
	return stdout
		.split('\n')
		.filter((line) => line.length > 0)
		.map((line) => line.split('\t'));
}

export interface RunDatabase {
	name: string;
	/** DB_* variables n8n reads for PostgreSQL. */
	env: Record<string, string>;
	/** `pg_dump` of the whole database as text (data included, except for the tables named). */
	dump(options?: { excludeTableData?: string[] }): Promise<string>;
	query(sql: string): Promise<string[][]>;
	/** Drops the database (ends its sessions first). Idempotent. */
	drop(): Promise<void>;
}

/** A fresh PostgreSQL database with a random name (`n8n_<label>_<hex>`). */
export async function createDatabase(label = 'run'): Promise<RunDatabase> {
	const name = `n8n_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
	await psql(`CREATE DATABASE ${name}`);
	let dropped = false;
	return {
		name,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: PG_HOST,
			DB_POSTGRESDB_PORT: String(PG_PORT),
			DB_POSTGRESDB_USER: PG_USER,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: name,
		},
		dump: async ({ excludeTableData = [] } = {}) =>
			(
				await run(
					'pg_dump',
					[
						'-h',
						PG_HOST,
						'-p',
						String(PG_PORT),
						'-U',
						PG_USER,
						'--no-owner',
						...excludeTableData.map((t) => `--exclude-table-data=${t}`),
						name,
					],
					{ maxBuffer: 1024 * 1024 * 1024 },
				)
			).stdout,
		query: (sql) => psql(sql, name),
		drop: async () => {
			if (dropped) return;
			dropped = true;
			await psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		},
	};
}

/** `redis-cli` against the loopback Redis; returns stdout. */
export async function redisCli(args: string[], options: { raw?: boolean } = {}): Promise<string> {
	const { stdout } = await run(
		'redis-cli',
		[
			'-h',
			REDIS_HOST,
			'-p',
			String(REDIS_PORT),
			...(options.raw === false ? ['--no-raw'] : []),
			...args,
		],
		{
			maxBuffer: 512 * 1024 * 1024,
		},
	);
	return stdout;
}

export interface RunRedis {
	/** Start of every key and pub/sub channel of the run (QUEUE_BULL_PREFIX, N8N_REDIS_KEY_PREFIX). */
	prefix: string;
	env: Record<string, string>;
	/** Every key of the run (SCAN, not KEYS). */
	keys(): Promise<string[]>;
	/** Every key with its value as text (strings, hashes, lists, sets, sorted sets, streams). */
	dump(): Promise<Array<{ key: string; type: string; value: string }>>;
	/** Deletes every key of the run. */
	clear(): Promise<void>;
}

export function runRedis(label = 'run'): RunRedis {
	const prefix = `n8n-${label.replace(/\W/g, '-').toLowerCase()}-${randomBytes(5).toString('hex')}`;
	const keys = async () => {
		const out = await redisCli(['--scan', '--pattern', `${prefix}*`]);
		return [...new Set(out.split('\n').filter(Boolean))];
	};
	const valueOf = async (key: string, type: string): Promise<string> => {
		switch (type) {
			case 'string':
				return redisCli(['GET', key]);
			case 'hash':
				return redisCli(['HGETALL', key]);
			case 'list':
				return redisCli(['LRANGE', key, '0', '-1']);
			case 'set':
				return redisCli(['SMEMBERS', key]);
			case 'zset':
				return redisCli(['ZRANGE', key, '0', '-1', 'WITHSCORES']);
			case 'stream':
				return redisCli(['XRANGE', key, '-', '+']);
			default:
				return '';
		}
	};
	return {
		prefix,
		env: {
			// Bull's job keys (`<prefix>-bull:jobs:…`).
			QUEUE_BULL_PREFIX: `${prefix}-bull`,
			QUEUE_BULL_REDIS_HOST: REDIS_HOST,
			QUEUE_BULL_REDIS_PORT: String(REDIS_PORT),
			// Everything else n8n 2.41 keeps in Redis: pub/sub channels between main and workers, the cache (Redis in
			// queue mode, `<prefix>:cache:…`), locks, leader election.
			N8N_REDIS_KEY_PREFIX: prefix,
		},
		keys,
		dump: async () => {
			const out: Array<{ key: string; type: string; value: string }> = [];
			for (const key of await keys()) {
				const type = (await redisCli(['TYPE', key])).trim();
				out.push({ key, type, value: await valueOf(key, type) });
			}
			return out;
		},
		clear: async () => {
			const all = await keys();
			for (let i = 0; i < all.length; i += 500) await redisCli(['DEL', ...all.slice(i, i + 500)]);
		},
	};
}
