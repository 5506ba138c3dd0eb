/**
 * A stand-in for n8n's processed-data store (the `checkProcessedAndRecord` helpers), which lives in n8n's CLI
 * package and its database and so cannot run in the engine harness. It keeps the same observable behaviour as
 * n8n 2.41's DeduplicationHelper in "entries" mode: one list of value hashes per workflow + scope (`n:<node id>`
 * for scope "node"), new values appended in order, the oldest dropped beyond `maxEntries`, a value already in the
 * list reported as processed and not moved. Real persistence is proven by the e2e tests in a real n8n.
 *
 * `DataDeduplicationService.init` may run once per process, so the harness installs one delegating store and each
 * test run swaps in its own `ProcessedDataStore` (a fresh one by default: n8n's store would outlive a run, but
 * tests must not see each other's records).
 */
import { createHash } from 'node:crypto';
import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

const hash = (value: DeduplicationItemTypes) =>
	createHash('md5').update(String(value)).digest('base64');

export class ProcessedDataStore implements IDataDeduplicator {
	/** Lists by `<workflow id>|<context>`. */
	readonly rows = new Map<string, string[]>();

	/** Every call, for tests that count how often the store is written. */
	readonly calls: Array<{ method: string; items: number }> = [];

	private row(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		const context = scope === 'node' ? `n:${contextData.node?.id ?? ''}` : '';
		return `${contextData.workflow.id}|${context}`;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		this.calls.push({ method: 'checkProcessedAndRecord', items: items.length });
		const key = this.row(scope, contextData);
		const list = this.rows.get(key) ?? [];
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const value = hash(item);
			if (list.includes(value)) output.processed.push(item);
			else {
				output.new.push(item);
				list.push(value);
			}
		}
		if (options.maxEntries && list.length > options.maxEntries)
			list.splice(0, list.length - options.maxEntries);
		this.rows.set(key, list);
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		_options?: ICheckProcessedOptions,
	): Promise<void> {
		this.calls.push({ method: 'removeProcessed', items: items.length });
		const list = this.rows.get(this.row(scope, contextData));
		if (!list) return;
		for (const item of items) {
			const index = list.indexOf(hash(item));
			if (index !== -1) list.splice(index, 1);
		}
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		_options?: ICheckProcessedOptions,
	): Promise<void> {
		this.calls.push({ method: 'clearAllProcessedItems', items: 0 });
		this.rows.delete(this.row(scope, contextData));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		_options?: ICheckProcessedOptions,
	): Promise<number> {
		return this.rows.get(this.row(scope, contextData))?.length ?? 0;
	}
}

/**
 * n8n's store as it behaves under concurrent executions: it reads the row, awaits the database, and writes its
 * changed copy back, so two overlapping calls lose one write. Used to show that the package's calls never overlap.
 */
export class RacyProcessedDataStore extends ProcessedDataStore {
	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = `${contextData.workflow.id}|${scope === 'node' ? `n:${contextData.node?.id ?? ''}` : ''}`;
		const before = [...(this.rows.get(key) ?? [])];
		await new Promise((resolve) => setImmediate(resolve));
		this.rows.set(key, before);
		const output = await super.checkProcessedAndRecord(items, scope, contextData, options);
		const written = [...(this.rows.get(key) ?? [])];
		await new Promise((resolve) => setImmediate(resolve));
		this.rows.set(key, written);
		return output;
	}
}

/** n8n's store as it takes time: every call waits for its "database" first, so calls of running executions overlap. */
export class SlowProcessedDataStore extends ProcessedDataStore {
	constructor(private readonly latencyMs = 20) {
		super();
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
		return await super.checkProcessedAndRecord(items, scope, contextData, options);
	}
}

/**
 * n8n's store when its database does not answer (a pool exhausted under a burst): the calls `fails` picks (counted
 * from 1, in arrival order) throw, after the ones before them were recorded as usual.
 */
export class FailingProcessedDataStore extends ProcessedDataStore {
	private count = 0;

	constructor(private readonly fails: (call: number) => boolean) {
		super();
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		if (this.fails(++this.count)) throw new Error('timeout exceeded when trying to connect');
		return await super.checkProcessedAndRecord(items, scope, contextData, options);
	}
}

let current = new ProcessedDataStore();
let installed = false;

/** Makes `store` the one n8n-core's helpers use from now on (installing the delegate on first use). */
export async function useProcessedDataStore(
	store: ProcessedDataStore = new ProcessedDataStore(),
): Promise<ProcessedDataStore> {
	current = store;
	if (!installed) {
		installed = true;
		const delegate: IDataDeduplicator = {
			checkProcessedAndRecord: async (...args) => await current.checkProcessedAndRecord(...args),
			removeProcessed: async (...args) => await current.removeProcessed(...args),
			clearAllProcessedItems: async (...args) => await current.clearAllProcessedItems(...args),
			getProcessedDataCount: async (...args) => await current.getProcessedDataCount(...args),
		};
		await DataDeduplicationService.init(delegate);
	}
	return store;
}
