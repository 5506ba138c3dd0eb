/**
 * Reading and writing a real n8n's SQLite database from a benchmark, with the runtime's own Node 24 and its own
 * `sqlite3` build (the machine's Node 20 cannot load that native module). Used to count executions by status
 * without paging through the REST API, and to fill n8n's processed-data store to a given size before a run.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { N8nRuntime } from '../scripts/n8n/install';

/** The database of an n8n started with this user folder (n8n's default SQLite location). */
export const sqlitePath = (userFolder: string) => join(userFolder, '.n8n', 'database.sqlite');

const SCRIPT = `
const sqlite3 = require(process.argv[1]);
const [db, sql] = [new sqlite3.Database(process.argv[2]), process.argv[3]];
db.configure('busyTimeout', 30000);
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () =>
	db.all(sql, JSON.parse(input || '[]'), (error, rows) => {
		if (error) { process.stderr.write(String(error.message)); process.exit(1); }
		process.stdout.write(JSON.stringify(rows));
		db.close();
	}),
);
`;

/** Runs one statement; resolves with its rows. Parameters go through stdin (argv caps one argument at 128 KB). */
export async function sqlite<T = Record<string, unknown>>(
	runtime: N8nRuntime,
	database: string,
	sql: string,
	params: unknown[] = [],
): Promise<T[]> {
	const module = join(runtime.runtimeDir, 'node_modules', 'sqlite3');
	return await new Promise<T[]>((resolve, reject) => {
		const child = spawn(runtime.nodeBin, ['-e', SCRIPT, module, database, sql], {
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
		child.on('error', reject);
		child.stdin.end(JSON.stringify(params));
		child.on('close', (code) =>
			code === 0 ? resolve(JSON.parse(out || '[]') as T[]) : reject(new Error(`sqlite: ${err}`)),
		);
	});
}
