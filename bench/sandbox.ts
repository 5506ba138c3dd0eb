/** Starting a sandbox process for a benchmark and talking to it through its admin API. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { FaultConfig } from '../sandbox/faults';
import type { RecordedRequest } from '../sandbox/http';
import type { AcceptedMessage } from '../sandbox/server';

export const REPO = join(__dirname, '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

export interface SandboxProcess {
	url: string;
	child: ChildProcess;
	stop(): Promise<void>;
	reset(): Promise<void>;
	faults(config: FaultConfig): Promise<void>;
	requests(vendor?: string, path?: string): Promise<RecordedRequest[]>;
	accepted(): Promise<AcceptedMessage[]>;
}

async function admin<T>(
	url: string,
	method: 'GET' | 'POST',
	path: string,
	body?: unknown,
): Promise<T> {
	const response = await fetch(`${url}/__admin${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok)
		throw new Error(
			`sandbox admin ${method} ${path}: HTTP ${response.status} ${await response.text()}`,
		);
	return (await response.json()) as T;
}

export async function startSandboxProcess(): Promise<SandboxProcess> {
	const child = spawn(TSX, [join(__dirname, 'sandbox-process.ts')], {
		cwd: REPO,
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let buffered = '';
		const timer = setTimeout(
			() => reject(new Error('sandbox process did not start within 30 s')),
			30_000,
		);
		child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
		child.stdout?.on('data', (chunk: Buffer) => {
			buffered += chunk.toString();
			const line = buffered.split('\n').find((l) => l.startsWith('{'));
			if (line) {
				clearTimeout(timer);
				resolve((JSON.parse(line) as { url: string }).url);
			}
		});
	});
	return {
		url,
		child,
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.stdin?.end();
			await exited;
		},
		reset: async () => void (await admin(url, 'POST', '/reset', {})),
		faults: async (config) => void (await admin(url, 'POST', '/faults', config)),
		requests: async (vendor, path) =>
			await admin<RecordedRequest[]>(
				url,
				'GET',
				`/requests?${new URLSearchParams({ ...(vendor ? { vendor } : {}), ...(path ? { path } : {}) })}`,
			),
		accepted: async () => await admin<AcceptedMessage[]>(url, 'GET', '/accepted'),
	};
}
