/**
 * Status batching: delivery statuses that arrive within a short time start one execution together, one item each.
 *
 * Why: a campaign's status stream is three webhooks per recipient, and every execution costs n8n far more than the
 * webhook itself (n8n 2.41 builds an expression isolate per execution; docs/n8n-persistence.md §4). One execution per
 * batch takes the stream at a fraction of the cost, and n8n Cloud counts executions.
 *
 * The rule that keeps it safe: a request is answered 200 only once the execution that carries its statuses exists in
 * n8n's database. The first request of a batch (the leader) waits for the batch to close, then returns every status
 * as the workflow data; n8n creates the execution and only then sends the leader's answer (responseMode onReceived).
 * The other requests (followers) are held open until that answer has gone out with a 2xx, and answer 503 if it did
 * not (the gateway sees a failure, never a lost success). A batch lives in this process's memory only while nobody
 * has been told it arrived, so n8n dying mid-batch loses no answered status. Several webhook processors batch each
 * on their own.
 */
import type { INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { settleWhenAnswered } from './leaderAnswer';
import { refuse, started } from './request';

export interface BatchSettings {
	/** How long a batch stays open after its first status; 0 turns batching off. */
	windowMs: number;
	/** A batch that holds this many statuses closes at once. */
	maxItems: number;
}

export const MAX_BATCH_SECONDS = 10;
export const MAX_BATCH_ITEMS = 1000;
/** How often a waiting leader looks whether its batch is full. */
const LOOK_EVERY_MS = 20;

interface Batch {
	items: INodeExecutionData[];
	openedAt: number;
	closed: boolean;
	/** Settles when the leader's answer went out: true when n8n answered it with a 2xx (the execution exists). */
	started: Promise<boolean>;
	settle: (ok: boolean) => void;
}

/** Open batches, per workflow and trigger node. */
const open = new Map<string, Batch>();

export const batchingIsOff = ({ windowMs }: BatchSettings) => windowMs <= 0;

/** Only delivery statuses are batched: a customer's message keeps its own execution (or its burst's). */
export const canBatch = (
	ctx: IWebhookFunctions,
	settings: BatchSettings,
	items: INodeExecutionData[],
) =>
	!batchingIsOff(settings) &&
	ctx.getMode() !== 'manual' &&
	items.length > 0 &&
	items.every((item) => item.json.event === 'status');

function openBatch(key: string): Batch {
	let settle: (ok: boolean) => void = () => {};
	const started = new Promise<boolean>((resolve) => (settle = resolve));
	const batch: Batch = { items: [], openedAt: Date.now(), closed: false, started, settle };
	open.set(key, batch);
	return batch;
}

/**
 * Watched from the moment the leader opens the batch: its gateway may give up while the batch is still open, and
 * then the batch takes no one else (its followers answer 503; a resend is a duplicate the store drops, never a status
 * lost after a 200).
 */
function watchLeaderAnswer(ctx: IWebhookFunctions, batch: Batch): void {
	settleWhenAnswered(ctx, (ok) => {
		if (!ok) batch.closed = true;
		batch.settle(ok);
	});
}

/**
 * Adds the request's statuses to the open batch of this trigger (or opens one). The leader returns the batch as
 * workflow data once it closes; a follower returns no workflow data and its answer once the batch started.
 */
export async function joinBatch(
	ctx: IWebhookFunctions,
	items: INodeExecutionData[],
	settings: BatchSettings,
): Promise<IWebhookResponseData> {
	const key = `${ctx.getWorkflow().id}\n${ctx.getNode().id}`;
	let batch = open.get(key);
	const leader = batch === undefined || batch.closed;
	if (!batch || batch.closed) {
		batch = openBatch(key);
		watchLeaderAnswer(ctx, batch);
	}
	batch.items.push(...items);
	if (batch.items.length >= settings.maxItems) batch.closed = true;

	if (!leader) {
		const ok = await batch.started;
		if (!ok)
			return refuse(
				ctx,
				503,
				'The execution for this batch of statuses could not be started; send it again',
			);
		return { webhookResponse: { ...started(items.length), batched: true } };
	}

	while (!batch.closed) {
		const left = batch.openedAt + settings.windowMs - Date.now();
		if (left <= 0) break;
		await sleep(Math.min(LOOK_EVERY_MS, left));
	}
	batch.closed = true;
	if (open.get(key) === batch) open.delete(key);
	return {
		workflowData: [batch.items],
		webhookResponse: { ...started(items.length), batched: true, batch: batch.items.length },
	};
}

/** For tests: how many statuses each open batch holds. */
export function openBatchSizes(): number[] {
	return [...open.values()].filter((batch) => !batch.closed).map((batch) => batch.items.length);
}

/** For tests: batches left open by an aborted test. */
export function forgetOpenBatches(): void {
	open.clear();
}
