/**
 * The last e2e check (single and queue mode), after every n8n process has stopped: n8n tried to reach no host but
 * loopback. It reads the logs the run kept under its work folder:
 *   - `offline-guard.log` in each user folder and `[offline-guard]` lines in the n8n logs: what the preload
 *     (scripts/n8n/offline-guard.cjs) refused, from the server, the workers, the webhook processor and every CLI call;
 *   - `*.log` files of the n8n processes: failed lookups and connects (ENOTFOUND, EAI_AGAIN, getaddrinfo,
 *     ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ENETUNREACH) that name a host other than loopback. Failures against
 *     loopback (the "wrong base URL" credentials point at a closed local port) are expected and pass.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { OFFLINE_GUARD_LOG_NAME, OFFLINE_GUARD_MARK } from '../scripts/n8n/process';
import type { Suite } from './harness';

function isLoopback(host: string): boolean {
	const name = host
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	if (name === 'localhost' || name.endsWith('.localhost')) return true;
	if (net.isIP(name) === 4) return name.startsWith('127.') || name === '0.0.0.0';
	if (net.isIP(name) === 6)
		return name === '::1' || name === '::' || name.startsWith('::ffff:127.');
	return false;
}

/** `getaddrinfo ENOTFOUND api.n8n.io`, `ENOTFOUND api.n8n.io`, `connect ECONNREFUSED 10.0.0.1:443`, `EAI_AGAIN host`. */
const NETWORK_FAILURE =
	/\b(?:getaddrinfo\s+)?(ENOTFOUND|EAI_AGAIN|EAI_FAIL|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\s+(\[[0-9a-f:.]+\]|[^\s:'",)]+)/gi;

function logFiles(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			// n8n's own folders hold the package, the database and its event log; our logs are beside them.
			if (entry.name === 'node_modules' || entry.name === '.n8n') continue;
			found.push(...logFiles(full));
		} else if (entry.name.endsWith('.log')) {
			found.push(full);
		}
	}
	return found;
}

/** Lines that show n8n reaching (or trying to reach) a non-loopback host, each prefixed with its file. */
export function outboundAttempts(workDir: string): string[] {
	const attempts: string[] = [];
	for (const file of logFiles(workDir)) {
		const where = path.relative(workDir, file);
		const guardLog = path.basename(file) === OFFLINE_GUARD_LOG_NAME;
		for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
			if (guardLog ? line.trim() !== '' : line.includes(OFFLINE_GUARD_MARK)) {
				attempts.push(`${where}: ${line.trim()}`);
				continue;
			}
			for (const [, code, host] of line.matchAll(NETWORK_FAILURE)) {
				if (!isLoopback(host))
					attempts.push(`${where}: ${code} ${host}: ${line.trim().slice(0, 200)}`);
			}
		}
	}
	return [...new Set(attempts)];
}

export async function offlineCheck(suite: Suite, workDir: string): Promise<void> {
	await suite.check('n8n reached for no host but loopback (offline guard and n8n logs)', () => {
		const files = logFiles(workDir);
		if (files.length === 0) throw new Error(`no n8n log under ${workDir}: nothing to judge`);
		const attempts = outboundAttempts(workDir);
		suite.note(`${files.length} log files read`);
		if (attempts.length > 0) {
			throw new Error(
				`${attempts.length} attempt(s) to reach a non-loopback host (turn the feature off in n8nEnv, scripts/n8n/process.ts):\n` +
					attempts.slice(0, 20).join('\n'),
			);
		}
	});
}
