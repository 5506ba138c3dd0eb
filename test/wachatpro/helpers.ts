/** Running the WAChatPro node against the sandbox. */
import { dirname } from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { WaChatPro } from '../../nodes/WaChatPro/WaChatPro.node';
import { DEFAULT_CREDENTIALS, sandboxCredentialData } from '../../sandbox/credentials';
import type { Sandbox } from '../../sandbox/server';
import type { RunNodeOptions } from '../harness/engine';
import { runNode } from '../harness/engine';

export const KEY = DEFAULT_CREDENTIALS.wachatpro.key;

export function waChatProCredentials(sandbox: Sandbox, data: ICredentialDataDecryptedObject = {}) {
	return { waChatProApi: { ...sandboxCredentialData(sandbox).waChatProApi, ...data } };
}

export async function run(
	sandbox: Sandbox,
	resource: string,
	operation: string,
	parameters: Record<string, unknown>,
	extra: Partial<RunNodeOptions> = {},
) {
	return await runNode({
		node: new WaChatPro(),
		credentials: waChatProCredentials(sandbox),
		parameters: { resource, operation, ...parameters } as never,
		...extra,
	});
}

type LogFn = (level: string, message: unknown, metadata?: unknown) => void;

/** The Logger classes n8n-core may log through (it can carry its own copy of @n8n/backend-common). */
function loggerPrototypes(): Array<{ log: LogFn }> {
	const paths = [dirname(require.resolve('n8n-core')), __dirname];
	const files = new Set(paths.map((p) => require.resolve('@n8n/backend-common', { paths: [p] })));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return [...files].map(
		(file) => (require(file) as { Logger: { prototype: { log: LogFn } } }).Logger.prototype,
	);
}

/**
 * Everything logged while `fn` runs: n8n's Logger (with metadata), the console, stdout and stderr.
 * (n8n's winston transport keeps its own bound console functions, so the Logger itself is tapped.)
 */
export async function withCapturedLogs<T>(
	fn: () => Promise<T>,
): Promise<{ result: T; logs: string }> {
	const lines: string[] = [];
	const text = (value: unknown) =>
		typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	const record = (...args: unknown[]) => lines.push(args.map(text).join(' '));
	const prototypes = loggerPrototypes();
	const logs = prototypes.map((proto) => proto.log);
	const streams = [process.stdout, process.stderr] as const;
	const writes = streams.map((stream) => stream.write);
	const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
	const originals = consoleMethods.map((m) => console[m]);
	prototypes.forEach((proto, i) => {
		proto.log = function (this: unknown, level, message, metadata) {
			record(level, message, metadata ?? {});
			logs[i].call(this, level, message, metadata);
		};
	});
	streams.forEach((stream) => {
		stream.write = ((chunk: unknown) => lines.push(String(chunk)) > 0) as typeof stream.write;
	});
	consoleMethods.forEach((m) => (console[m] = record));
	try {
		return { result: await fn(), logs: lines.join('\n') };
	} finally {
		prototypes.forEach((proto, i) => (proto.log = logs[i]));
		streams.forEach((stream, i) => (stream.write = writes[i]));
		consoleMethods.forEach((m, i) => (console[m] = originals[i]));
	}
}
