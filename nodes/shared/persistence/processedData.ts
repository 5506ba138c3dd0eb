/**
 * n8n's processed-data store (`checkProcessedAndRecord`), used safely by several executions at once.
 *
 * n8n 2.41 keeps one row per workflow and node, and each call reads it, changes it and writes the whole row back with
 * no lock. Two executions calling at once lose one of the two writes: the records of *other* events or messages
 * vanish. Measured in a real n8n: 200 webhooks posted eight at a time, then again, let 111 repeats through.
 * - Within one n8n process (single mode, or one queue worker) every call goes through one queue here, so calls never
 *   overlap. This module is loaded once per process, and all executions of the package's nodes share it.
 * - Across processes (several workers) nothing can lock the row; `recordVerified` writes, then checks that its
 *   values are still there, and writes them again when another process's write removed them.
 * The first insert of a row fails when two executions make it at the same moment; such a call is made once more.
 */
import type {
	DeduplicationScope,
	ICheckProcessedOptions,
	IDeduplicationOutput,
	IExecuteFunctions,
} from 'n8n-workflow';

let queue: Promise<unknown> = Promise.resolve();

function serial<T>(fn: () => Promise<T>): Promise<T> {
	const next = queue.then(fn, fn);
	queue = next.catch(() => undefined);
	return next;
}

type Store = IExecuteFunctions['helpers'];

export async function checkAndRecord(
	ctx: IExecuteFunctions,
	values: string[],
	scope: DeduplicationScope,
	options: ICheckProcessedOptions,
): Promise<IDeduplicationOutput> {
	const helpers: Store = ctx.helpers;
	return await serial(async () => {
		try {
			return await helpers.checkProcessedAndRecord(values, scope, options);
		} catch {
			return await helpers.checkProcessedAndRecord(values, scope, options);
		}
	});
}

export async function removeRecorded(
	ctx: IExecuteFunctions,
	values: string[],
	scope: DeduplicationScope,
	options: ICheckProcessedOptions,
): Promise<void> {
	if (values.length === 0) return;
	const helpers: Store = ctx.helpers;
	await serial(async () => await helpers.removeProcessed(values, scope, options));
}

/** How often a write lost to another process is made again before giving up (the record then stays incomplete). */
const REPAIRS = 3;

/**
 * `checkAndRecord`, then a second look: a value the second call finds "new" was removed by another process's write
 * in between (and that call has recorded it again). Returns what the first call found.
 */
export async function recordVerified(
	ctx: IExecuteFunctions,
	values: string[],
	scope: DeduplicationScope,
	options: ICheckProcessedOptions,
): Promise<IDeduplicationOutput> {
	const result = await checkAndRecord(ctx, values, scope, options);
	for (let repair = 0; repair < REPAIRS; repair++) {
		const again = await checkAndRecord(ctx, values, scope, options);
		if (again.new.length === 0) break;
	}
	return result;
}
