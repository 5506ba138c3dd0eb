/**
 * n8n's processed-data store (`checkProcessedAndRecord`), used safely and cheaply by many executions at once.
 *
 * n8n 2.41 keeps one row per workflow and node (a list of value hashes), and each call reads the whole row, changes
 * it and writes it back with no lock. Two executions calling at once lose one of the two writes: the records of
 * *other* events or messages vanish (measured: 200 webhooks posted eight at a time, then again, let 111 repeats through).
 * - Within one n8n process (single mode, or one queue worker) all calls for one row go through one lane here, so
 *   they never overlap. This module is loaded once per process, and all executions of the package's nodes share it.
 * - Group commit: while a call for a row is under way, the recordings that other executions ask for meanwhile wait
 *   in its lane and then go to n8n as ONE call. Each call costs a read and a write of the whole row, so under a burst
 *   of webhooks (one execution each) the cost per event falls with the burst instead of piling executions up behind
 *   one call each: that pile-up held about 10 MB of n8n's memory per event in flight (BENCHMARKS.md, intake).
 *   A merged call answers every caller as if the calls had run one after another in arrival order: a value two
 *   callers bring is "new" for the first and "processed" for the second.
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

type Helpers = IExecuteFunctions['helpers'];

interface RecordCall {
	kind: 'record';
	helpers: Helpers;
	values: string[];
	scope: DeduplicationScope;
	options: ICheckProcessedOptions;
	resolve: (output: IDeduplicationOutput) => void;
	reject: (error: unknown) => void;
}

interface RemoveCall {
	kind: 'remove';
	run: () => Promise<void>;
	resolve: () => void;
	reject: (error: unknown) => void;
}

type Call = RecordCall | RemoveCall;

/** Most values in one merged call: a burst is written in pieces of this size rather than one huge request. */
const MAX_MERGED_VALUES = 5000;

const sameOptions = (a: RecordCall, b: RecordCall) =>
	a.scope === b.scope &&
	a.options.mode === b.options.mode &&
	a.options.maxEntries === b.options.maxEntries;

/** One row's calls, in arrival order; consecutive recordings are merged into one store call. */
class Lane {
	private readonly calls: Call[] = [];

	private draining = false;

	constructor(private readonly onIdle: () => void) {}

	push(call: Call): void {
		this.calls.push(call);
		if (!this.draining) void this.drain();
	}

	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.calls.length > 0) {
				const head = this.calls[0];
				if (head.kind === 'remove') {
					this.calls.shift();
					await runRemove(head);
					continue;
				}
				const batch: RecordCall[] = [];
				let values = 0;
				while (this.calls.length > 0) {
					const next = this.calls[0];
					if (next.kind !== 'record' || !sameOptions(head, next)) break;
					if (batch.length > 0 && values + next.values.length > MAX_MERGED_VALUES) break;
					batch.push(next);
					values += next.values.length;
					this.calls.shift();
				}
				await recordMerged(batch);
			}
		} finally {
			this.draining = false;
			this.onIdle();
		}
	}
}

async function runRemove(call: RemoveCall): Promise<void> {
	try {
		await call.run();
		call.resolve();
	} catch (error) {
		call.reject(error);
	}
}

async function storeCall(
	helpers: Helpers,
	values: string[],
	scope: DeduplicationScope,
	options: ICheckProcessedOptions,
): Promise<IDeduplicationOutput> {
	try {
		return await helpers.checkProcessedAndRecord(values, scope, options);
	} catch {
		return await helpers.checkProcessedAndRecord(values, scope, options);
	}
}

/** One store call for every caller in `batch`; each gets its own answer, as if the calls had run in order. */
async function recordMerged(batch: RecordCall[]): Promise<void> {
	const unique = [...new Set(batch.flatMap((call) => call.values))];
	let output: IDeduplicationOutput;
	try {
		output = await storeCall(batch[0].helpers, unique, batch[0].scope, batch[0].options);
	} catch (error) {
		for (const call of batch) call.reject(error);
		return;
	}
	const processed = new Set(output.processed.map(String));
	const claimed = new Set<string>();
	for (const call of batch) {
		const answer: IDeduplicationOutput = { new: [], processed: [] };
		for (const value of new Set(call.values)) {
			const isNew = !processed.has(value) && !claimed.has(value);
			claimed.add(value);
			(isNew ? answer.new : answer.processed).push(value);
		}
		call.resolve(answer);
	}
}

const lanes = new Map<string, Lane>();

/** The store's row: n8n keys it by workflow and, for scope "node", the node's id. */
function laneFor(ctx: IExecuteFunctions, scope: DeduplicationScope): Lane {
	const key = `${ctx.getWorkflow().id ?? ''}\u0000${scope === 'node' ? ctx.getNode().id : ''}`;
	let lane = lanes.get(key);
	if (!lane) {
		lane = new Lane(() => {
			if (lanes.get(key) === lane) lanes.delete(key);
		});
		lanes.set(key, lane);
	}
	return lane;
}

/** Records `values` and says which were there before; merged with other executions' calls under load. */
export async function checkAndRecord(
	ctx: IExecuteFunctions,
	values: string[],
	scope: DeduplicationScope,
	options: ICheckProcessedOptions,
): Promise<IDeduplicationOutput> {
	if (values.length === 0) return { new: [], processed: [] };
	const helpers: Helpers = ctx.helpers;
	return await new Promise<IDeduplicationOutput>((resolve, reject) =>
		laneFor(ctx, scope).push({ kind: 'record', helpers, values, scope, options, resolve, reject }),
	);
}

export async function removeRecorded(
	ctx: IExecuteFunctions,
	values: string[],
	scope: DeduplicationScope,
	options: ICheckProcessedOptions,
): Promise<void> {
	if (values.length === 0) return;
	const helpers: Helpers = ctx.helpers;
	await new Promise<void>((resolve, reject) =>
		laneFor(ctx, scope).push({
			kind: 'remove',
			run: async () => await helpers.removeProcessed(values, scope, options),
			resolve,
			reject,
		}),
	);
}

/** How often a write lost to another process is made again before giving up (the record then stays incomplete). */
const REPAIRS = 3;

/**
 * `checkAndRecord`, then a second look: a value the second call finds "new" was removed by another process's write
 * in between (and that call has recorded it again). Returns what the first call found.
 *
 * The second look only repairs. When it fails (n8n's database pool exhausted under a burst, say), the first answer
 * stands and its caller goes on: had the failure ended the execution, the values the first call had just recorded
 * would be lost twice over — gone from this execution and "processed" for every later copy (seen in queue-mode CI).
 */
export async function recordVerified(
	ctx: IExecuteFunctions,
	values: string[],
	scope: DeduplicationScope,
	options: ICheckProcessedOptions,
): Promise<IDeduplicationOutput> {
	const result = await checkAndRecord(ctx, values, scope, options);
	try {
		for (let repair = 0; repair < REPAIRS; repair++) {
			const again = await checkAndRecord(ctx, values, scope, options);
			if (again.new.length === 0) break;
		}
	} catch (error) {
		ctx.logger.warn(
			`Second look at n8n's processed-data store failed (${(error as Error).message}); a later copy may pass once`,
		);
	}
	return result;
}
