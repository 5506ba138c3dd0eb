/**
 * The durable record of a send run under a resume key (a campaign's Campaign ID, or the "Resume Key" sending
 * option): what went out survives a crash of n8n, so running the same workflow again sends only the rest.
 *
 * It is kept in n8n's processed-data store (`checkProcessedAndRecord`, scope "node"), which n8n writes to its own
 * database at once, not at the end of the execution. The store holds hashed values only, two per message:
 * - `attempted`, written before the first request for a message goes out;
 * - `sent`, written once the gateway accepted it.
 * A message with `attempted` but no `sent` was in flight when a run ended without finishing (a crash): the gateway
 * may have accepted it, so it is "uncertain" and is not sent again unless the user allows it. A message that
 * certainly did not go out (refused, never connected, stopped before its turn) has its `attempted` removed again.
 *
 * Cost: n8n's store rewrites its whole list on every call. Where messages are at least 100 ms apart (any paced
 * campaign) each message costs two writes, little beside the pace; faster, `attempted` is written for the next
 * few messages at once and `sent` rides along, so a crash can leave a few never-tried or just-sent messages marked
 * uncertain, never a message marked sent that was not (`npm run bench` measures the cost; BENCHMARKS.md).
 *
 * Reading: the store has no read-only call for nodes. `open` checks-and-records, then removes what it recorded.
 * It checks `attempted` first (a stray write there only makes a message look uncertain) and `sent` only for
 * messages that were attempted.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { checkAndRecord, removeRecorded } from '../persistence/processedData';
import type { SendingOptions } from './options';

export type RecordedState = 'new' | 'sent' | 'uncertain';

/** The list n8n keeps per node is cut to this many values, oldest first: 50,000 messages' worth at least. */
export const RECORD_MIN_ENTRIES = 100_000;

/** Messages whose `attempted` is written in one go when sending fast. */
const FAST_BATCH = 100;

/** From this gap between messages on, each message is recorded on its own. */
const PACED_GAP_MS = 100;

export interface SendRecordInput {
	/** The resume key (Campaign ID). */
	key: string;
	/** Item index → what identifies that message within the key (recipient, and content where it varies). */
	identities: Map<number, string>;
	/** Items in the order they will be sent. */
	order: number[];
	options: SendingOptions;
	/** Forget what earlier runs recorded for these messages under this key first. */
	startOver: boolean;
}

/** How many messages to mark as attempted per write: one when messages are 100 ms or more apart. */
export function attemptBatchSize(options: SendingOptions): number {
	const gaps = [options.messagesPerMinute > 0 ? 60_000 / options.messagesPerMinute : 0];
	if (options.delay.mode === 'fixed') gaps.push(options.delay.ms);
	if (options.delay.mode === 'random') gaps.push(options.delay.minMs);
	const gap = Math.max(...gaps) / Math.max(1, options.concurrency);
	if (gap >= PACED_GAP_MS) return 1;
	return Math.min(FAST_BATCH, Math.max(1, Math.ceil(PACED_GAP_MS / Math.max(gap, 1))));
}

export class SendRecord {
	private readonly states = new Map<number, RecordedState>();

	/** Items whose `attempted` is in the store (written by this run). */
	private readonly marked = new Set<number>();

	/** Items this run really sent a request for. */
	private readonly tried = new Set<number>();

	/** `sent` values waiting for the next write. */
	private pendingSent: string[] = [];

	/** Store calls run one after another, so each sees the list the previous one left. */
	private chain: Promise<unknown> = Promise.resolve();

	private readonly storeOptions;

	/** Item index → its place in `order`. */
	private readonly position: Map<number, number>;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly input: SendRecordInput,
		private readonly batchSize: number,
	) {
		this.storeOptions = {
			mode: 'entries' as const,
			maxEntries: Math.max(RECORD_MIN_ENTRIES, input.identities.size * 4),
		};
		this.position = new Map(input.order.map((itemIndex, place) => [itemIndex, place]));
	}

	static async open(ctx: IExecuteFunctions, input: SendRecordInput): Promise<SendRecord> {
		const record = new SendRecord(ctx, input, attemptBatchSize(input.options));
		await record.load();
		return record;
	}

	get key(): string {
		return this.input.key;
	}

	state(itemIndex: number): RecordedState {
		return this.states.get(itemIndex) ?? 'new';
	}

	private value(itemIndex: number, what: 'attempted' | 'sent'): string {
		return `${this.input.key}\u0000${this.input.identities.get(itemIndex) ?? String(itemIndex)}\u0000${what}`;
	}

	private async serial<T>(fn: () => Promise<T>): Promise<T> {
		const next = this.chain.then(fn, fn);
		this.chain = next.catch(() => undefined);
		return await next;
	}

	private async record(values: string[]) {
		return await checkAndRecord(this.ctx, values, 'node', this.storeOptions);
	}

	private async remove(values: string[]): Promise<void> {
		await removeRecorded(this.ctx, values, 'node', this.storeOptions);
	}

	private async load(): Promise<void> {
		const items = this.input.order;
		if (items.length === 0) return;
		if (this.input.startOver) {
			await this.remove(items.flatMap((i) => [this.value(i, 'attempted'), this.value(i, 'sent')]));
			return;
		}
		const attemptedValues = new Map(items.map((i) => [this.value(i, 'attempted'), i]));
		const probe = await this.record([...attemptedValues.keys()]);
		await this.remove(probe.new.map(String));
		const attempted = probe.processed.map((value) => attemptedValues.get(String(value)) as number);
		if (attempted.length === 0) return;

		const sentValues = new Map(attempted.map((i) => [this.value(i, 'sent'), i]));
		const sentProbe = await this.record([...sentValues.keys()]);
		await this.remove(sentProbe.new.map(String));
		for (const value of sentProbe.processed)
			this.states.set(sentValues.get(String(value)) as number, 'sent');
		for (const value of sentProbe.new)
			this.states.set(sentValues.get(String(value)) as number, 'uncertain');
	}

	/** Before the first request for an item: its `attempted` is in the store when this returns. */
	async beforeSend(itemIndex: number): Promise<void> {
		this.tried.add(itemIndex);
		if (this.marked.has(itemIndex)) return;
		await this.serial(async () => {
			if (this.marked.has(itemIndex)) return;
			const batch: number[] = [];
			const { order } = this.input;
			for (
				let place = this.position.get(itemIndex) ?? 0;
				place < order.length && batch.length < this.batchSize;
				place++
			) {
				if (!this.marked.has(order[place]) && this.state(order[place]) !== 'sent')
					batch.push(order[place]);
			}
			const values = [...this.pendingSent, ...batch.map((i) => this.value(i, 'attempted'))];
			this.pendingSent = [];
			await this.record(values);
			for (const i of batch) this.marked.add(i);
		});
	}

	/**
	 * The gateway accepted the item's message. Paced, `sent` is written now; fast, it rides along with the next
	 * batch's `attempted` (about a second later at most) or the end of the run.
	 */
	async accepted(itemIndex: number): Promise<void> {
		this.pendingSent.push(this.value(itemIndex, 'sent'));
		if (this.batchSize === 1) await this.flush();
	}

	/** The item's message certainly did not go out: a later run may send it. */
	async notSent(itemIndex: number): Promise<void> {
		if (!this.marked.has(itemIndex)) return;
		await this.serial(async () => {
			await this.remove([this.value(itemIndex, 'attempted')]);
			this.marked.delete(itemIndex);
		});
	}

	private async flush(): Promise<void> {
		await this.serial(async () => {
			if (this.pendingSent.length === 0) return;
			const values = this.pendingSent;
			this.pendingSent = [];
			await this.record(values);
		});
	}

	/** End of the run: every `sent` written; items marked ahead but never tried are unmarked. */
	async finish(): Promise<void> {
		await this.flush();
		const untried = [...this.marked].filter((i) => !this.tried.has(i));
		if (untried.length === 0) return;
		await this.serial(
			async () => await this.remove(untried.map((i) => this.value(i, 'attempted'))),
		);
	}
}
