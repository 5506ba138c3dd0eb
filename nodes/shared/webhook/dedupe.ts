/**
 * Duplicate suppression: an event (service + message id + kind + status) seen again is dropped.
 *
 * It lives in two places because of what n8n 2.41 really saves (docs/n8n-persistence.md):
 * - In the execution. Each trigger also has `execute()`, which n8n runs inside the execution with the webhook's
 *   items as input. There `recordEvents` asks n8n's processed-data store (`checkProcessedAndRecord`, the store of
 *   the Remove Duplicates node): written to n8n's database at once, shared by every process in queue mode, kept
 *   across restarts. It is the authority. The same call notes each event's time in the workflow's static data,
 *   which n8n saves after an execution that changed it.
 * - In `webhook()`. `dropKnownDuplicates` only reads that static data, so a repeat that arrives after the first
 *   copy's execution finished is answered without starting an execution. It never writes: static data written in
 *   `webhook()` is not saved when the request starts an execution.
 * A repeat that arrives while the first copy's execution still runs starts an execution of its own, which ends at
 * the trigger with no items. n8n's store reads and rewrites one row without a lock, so calls are queued within a
 * process and checked after writing across processes (../processedData.ts); two copies of one event at the same
 * instant on two processes can still both pass (measured in the queue-mode e2e; README › Duplicates).
 */
import { createHash } from 'node:crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import { recordVerified } from '../persistence/processedData';
import type { GatewayEvent } from './event';

const STATE_KEY = 'recentEvents';

export interface DedupeSettings {
	windowMs: number;
	maxEntries: number;
}

interface EventIdentity {
	service?: unknown;
	messageId?: unknown;
	event?: unknown;
	status?: unknown;
}

/** 80 bits of a hash: a false "duplicate" needs about 10^12 events among the remembered ones. */
export function eventKey(event: EventIdentity): string | null {
	if (typeof event.messageId !== 'string' || event.messageId === '') return null;
	const identity = `${String(event.service)}\n${event.messageId}\n${String(event.event)}\n${String(event.status)}`;
	return createHash('sha256').update(identity, 'utf8').digest('base64url').slice(0, 14);
}

export const dedupeIsOff = ({ windowMs, maxEntries }: DedupeSettings) =>
	windowMs <= 0 || maxEntries <= 0;

function recentEvents(staticData: IDataObject, windowMs: number, now: number): Map<string, number> {
	const seen = new Map<string, number>();
	for (const [key, at] of Object.entries((staticData[STATE_KEY] ?? {}) as IDataObject)) {
		if (typeof at === 'number' && at > now - windowMs) seen.set(key, at);
	}
	return seen;
}

/**
 * The fast path in `webhook()`: drops events whose earlier copy a finished execution recorded within the window.
 * Read-only. Test events (the editor's "Listen for test event") are never dropped.
 */
export function dropKnownDuplicates(
	ctx: IWebhookFunctions,
	events: GatewayEvent[],
	settings: DedupeSettings,
	now = Date.now(),
): { fresh: GatewayEvent[]; duplicates: number } {
	if (dedupeIsOff(settings) || ctx.getMode() === 'manual') return { fresh: events, duplicates: 0 };
	const seen = recentEvents(ctx.getWorkflowStaticData('node'), settings.windowMs, now);
	const fresh = events.filter((event) => {
		const key = eventKey(event);
		return key === null || !seen.has(key);
	});
	return { fresh, duplicates: events.length - fresh.length };
}

async function checkAndRecord(
	ctx: IExecuteFunctions,
	keys: string[],
	maxEntries: number,
): Promise<Set<string>> {
	const result = await recordVerified(ctx, keys, 'node', { mode: 'entries', maxEntries });
	return new Set(result.processed.map(String));
}

/**
 * The authoritative check, in the execution: returns the items that are not duplicates (with `pairedItem`) and
 * records them. An event is a duplicate when n8n's store has it and static data does not say it was seen before
 * the window began; events without a message id cannot be recognised and always pass.
 */
export async function recordEvents(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	settings: DedupeSettings,
	{ keepTimes = true, now = Date.now() }: { keepTimes?: boolean; now?: number } = {},
): Promise<INodeExecutionData[]> {
	const paired = items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
	if (dedupeIsOff(settings) || ctx.getMode() === 'manual') return paired;

	const keys = items.map((item) => eventKey(item.json));
	const known = keys.filter((key): key is string => key !== null);
	if (known.length === 0) return paired;
	const processed = await checkAndRecord(ctx, known, settings.maxEntries);

	// Without the times in static data, n8n's store alone decides: a repeat is an event it has (conversation/inbox.ts
	// says why a workflow that waits for replies must not save static data from its executions).
	if (!keepTimes) {
		const inThisRequest = new Set<string>();
		return paired.filter((_, index) => {
			const key = keys[index];
			if (key === null) return true;
			const repeat = inThisRequest.has(key) || processed.has(key);
			inThisRequest.add(key);
			return !repeat;
		});
	}

	const staticData = ctx.getWorkflowStaticData('node');
	const stored = (staticData[STATE_KEY] ?? {}) as IDataObject;
	const seen = recentEvents(staticData, settings.windowMs, now);
	const inThisRequest = new Set<string>();
	const fresh = paired.filter((_, index) => {
		const key = keys[index];
		if (key === null) return true;
		const repeat =
			inThisRequest.has(key) ||
			(processed.has(key) && (seen.has(key) || typeof stored[key] !== 'number'));
		inThisRequest.add(key);
		if (!repeat) seen.set(key, now);
		return !repeat;
	});

	// Oldest out first beyond the cap; Map keeps insertion order, so sort by time only when needed.
	let entries = [...seen.entries()];
	if (entries.length > settings.maxEntries) {
		entries = entries.sort((a, b) => a[1] - b[1]).slice(entries.length - settings.maxEntries);
	}
	staticData[STATE_KEY] = Object.fromEntries(entries);
	return fresh;
}
