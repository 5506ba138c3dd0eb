/**
 * Duplicate suppression: an event (service + message id + kind + status) seen again is dropped.
 *
 * It lives in two places because of what n8n 2.41 really saves (docs/n8n-persistence.md):
 * - In the execution. Each trigger also has `execute()`, which n8n runs inside the execution with the webhook's
 *   items as input. There `recordEvents` asks n8n's processed-data store (`checkProcessedAndRecord`, the store of
 *   the Remove Duplicates node): written to n8n's database at once, shared by every process in queue mode, kept
 *   across restarts. It is the authority. Calls of executions that run at the same time are merged into one
 *   (../persistence/processedData.ts), so a burst of webhooks costs a few store writes, not one each.
 * - In `webhook()`. `dropKnownDuplicates` reads what this process's executions recorded (recentEvents.ts), so a
 *   repeat that arrives after the first copy's execution finished is answered without starting an execution.
 * A repeat that arrives while the first copy's execution still runs, after a restart, or at a queue-mode webhook
 * process starts an execution of its own, which the store ends at the trigger with no items. Two copies of one event
 * at the same instant on two processes both find it new; the claim below sets them apart (BENCHMARKS.md).
 *
 * The Duplicate Window: the store remembers the last Max Remembered Events, with no time. Where this process knows
 * when an event was first recorded, a copy that comes after the window is let through again; elsewhere the store's
 * word stands, so a repeat is dropped at least within the window and, after a restart, for as long as it is
 * remembered.
 */
import { createHash } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { recordVerified } from '../persistence/processedData';
import type { GatewayEvent } from './event';
import {
	noteStartedHere,
	recordedAt,
	rememberAgain,
	rememberRecorded,
	takeStartedHere,
} from './recentEvents';

export interface DedupeSettings {
	windowMs: number;
	maxEntries: number;
}

export interface EventIdentity {
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

type Context = IWebhookFunctions | IExecuteFunctions;

/** First recorded within the window, as far as this process knows. */
function seenWithinWindow(ctx: Context, key: string, windowMs: number, now: number): boolean {
	const at = recordedAt(ctx.getWorkflow().id, ctx.getNode().id, key);
	return at !== undefined && at > now - windowMs;
}

/**
 * The fast path in `webhook()`: drops events whose earlier copy an execution of this process recorded within the
 * window. Read-only. Test events (the editor's "Listen for test event") are never dropped.
 */
export function dropKnownDuplicates(
	ctx: IWebhookFunctions,
	events: GatewayEvent[],
	settings: DedupeSettings,
	now = Date.now(),
): { fresh: GatewayEvent[]; duplicates: number } {
	if (dedupeIsOff(settings) || ctx.getMode() === 'manual') return { fresh: events, duplicates: 0 };
	const fresh = events.filter((event) => {
		const key = eventKey(event);
		return key === null || !seenWithinWindow(ctx, key, settings.windowMs, now);
	});
	return { fresh, duplicates: events.length - fresh.length };
}

/** Notes, in `webhook()`, the events of the execution it is about to start (recentEvents.ts, `noteStartedHere`). */
export function noteEventsStartedHere(
	ctx: IWebhookFunctions,
	events: EventIdentity[],
	settings: DedupeSettings,
): void {
	if (dedupeIsOff(settings) || ctx.getMode() === 'manual') return;
	const keys = events.map(eventKey).filter((key): key is string => key !== null);
	noteStartedHere(ctx.getWorkflow().id, ctx.getNode().id, keys);
}

/**
 * The authoritative check, in the execution: returns the items that are not duplicates (with `pairedItem`) and
 * records them. An event is a duplicate when n8n's store has it, unless this process knows it was first recorded
 * before the window began; events without a message id cannot be recognised and always pass.
 */
export async function recordEvents(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	settings: DedupeSettings,
	now = Date.now(),
): Promise<INodeExecutionData[]> {
	const paired = items.map((item, index) => ({ ...item, pairedItem: { item: index } }));
	if (dedupeIsOff(settings) || ctx.getMode() === 'manual') return paired;

	const keys = items.map((item) => eventKey(item.json));
	const known = keys.filter((key): key is string => key !== null);
	if (known.length === 0) return paired;
	const workflowId = ctx.getWorkflow().id;
	const nodeId = ctx.getNode().id;
	// Started by another process's webhook(): a queue-mode worker, where a copy may be checked on another worker.
	const fromElsewhere = new Set(known.filter((key) => !takeStartedHere(workflowId, nodeId, key)));
	// An event checked on a worker also holds a claim (below): room for both, so the setting still counts events.
	const storeOptions = {
		mode: 'entries' as const,
		maxEntries: settings.maxEntries * (fromElsewhere.size > 0 ? 2 : 1),
	};
	let processed: Set<string>;
	try {
		const result = await recordVerified(ctx, known, 'node', storeOptions);
		processed = new Set(result.processed.map(String));
	} catch (error) {
		// No answer from the store (after one retry): the events pass. A gateway like Sobot never resends a webhook,
		// so an event dropped here would be gone; a copy passed twice can still be told apart downstream.
		ctx.logger.warn(
			`n8n's processed-data store did not answer (${(error as Error).message}); ${known.length} event(s) passed without the duplicate check`,
		);
		return paired;
	}

	const inThisRequest = new Set<string>();
	const firstSeen = new Set<string>();
	const fresh = paired.filter((_, index) => {
		const key = keys[index];
		if (key === null) return true;
		const at = recordedAt(workflowId, nodeId, key);
		const expired = at !== undefined && at <= now - settings.windowMs;
		const repeat = inThisRequest.has(key) || (processed.has(key) && !expired);
		inThisRequest.add(key);
		if (!repeat && expired) rememberAgain(workflowId, nodeId, key, now);
		if (!repeat && !expired && fromElsewhere.has(key)) firstSeen.add(key);
		return !repeat;
	});
	rememberRecorded(workflowId, nodeId, known, now, settings.maxEntries);
	const lost = await claimsLostToAnotherProcess(ctx, [...firstSeen], storeOptions);
	if (lost.size === 0) return fresh;
	return fresh.filter((item) => {
		const key = keys[(item.pairedItem as { item: number }).item];
		return key === null || !lost.has(key);
	});
}

/** Longest pause before the claim; its randomness is what sets copies at two processes apart. */
export const CLAIM_SETTLE_MS = 400;

/**
 * Two copies of one event that reach two queue-mode workers at the same instant both find it new: n8n's store reads
 * and writes its row with no lock, so both reads can come before either write. A second record, the claim
 * (`<key>!`), made after a random pause, sets them apart: the copy that claims second finds the claim and drops out.
 * Both still pass when their claims fall within one store round trip of each other, which the pause makes rare.
 * Only for events started by another process's webhook(): in regular mode the pause would hold each execution (and
 * the expression isolate n8n gives it) for nothing, measured +34% memory in a burst (BENCHMARKS.md).
 * Returns the keys whose claim another execution made first.
 */
async function claimsLostToAnotherProcess(
	ctx: IExecuteFunctions,
	keys: string[],
	storeOptions: { mode: 'entries'; maxEntries: number },
): Promise<Set<string>> {
	if (keys.length === 0) return new Set();
	await sleep(Math.random() * CLAIM_SETTLE_MS);
	try {
		const claims = await recordVerified(
			ctx,
			keys.map((key) => `${key}!`),
			'node',
			storeOptions,
		);
		return new Set(claims.processed.map((claim) => String(claim).slice(0, -1)));
	} catch (error) {
		ctx.logger.warn(
			`n8n's processed-data store did not answer the claim (${(error as Error).message}); the events passed`,
		);
		return new Set();
	}
}
