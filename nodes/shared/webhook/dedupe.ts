/**
 * Duplicate suppression: an event (message id + status) seen again within the window is dropped.
 * The memory lives in the workflow's static data, which n8n stores in its database after each webhook
 * call, so it is shared by every process in queue mode and survives restarts; a module variable would be
 * neither. It is bounded by age and by count, and keys are short hashes, so it cannot grow without limit.
 * Two copies arriving at the same moment on two processes can both pass (the last save wins): the window
 * catches the repeats vendors actually send, not a race.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { GatewayEvent } from './event';

const STATE_KEY = 'recentEvents';

export interface DedupeSettings {
	windowMs: number;
	maxEntries: number;
}

/** 80 bits: a false "duplicate" needs about 10^12 events inside one window. */
function eventKey(event: GatewayEvent): string {
	const identity = `${event.service}\n${event.messageId}\n${event.event}\n${event.status}`;
	return createHash('sha256').update(identity, 'utf8').digest('base64url').slice(0, 14);
}

/**
 * Splits events into fresh ones (remembered from now on) and duplicates. Events without a message id
 * cannot be recognised again and always pass.
 */
export function dropDuplicates(
	ctx: IWebhookFunctions,
	events: GatewayEvent[],
	{ windowMs, maxEntries }: DedupeSettings,
	now = Date.now(),
): { fresh: GatewayEvent[]; duplicates: number } {
	const staticData = ctx.getWorkflowStaticData('node');
	if (windowMs <= 0 || maxEntries <= 0) {
		if (staticData[STATE_KEY] !== undefined) delete staticData[STATE_KEY];
		return { fresh: events, duplicates: 0 };
	}
	const stored = (staticData[STATE_KEY] ?? {}) as IDataObject;
	const seen = new Map<string, number>();
	for (const [key, at] of Object.entries(stored)) {
		if (typeof at === 'number' && at > now - windowMs) seen.set(key, at);
	}

	const fresh: GatewayEvent[] = [];
	let duplicates = 0;
	for (const event of events) {
		if (event.messageId === null) {
			fresh.push(event);
			continue;
		}
		const key = eventKey(event);
		if (seen.has(key)) {
			duplicates++;
			continue;
		}
		seen.set(key, now);
		fresh.push(event);
	}

	// Oldest first out when over the cap; Map keeps insertion order, so sort by time only when needed.
	let entries = [...seen.entries()];
	if (entries.length > maxEntries) entries = entries.sort((a, b) => a[1] - b[1]).slice(entries.length - maxEntries);
	const next = Object.fromEntries(entries);
	if (!sameEntries(stored, next)) staticData[STATE_KEY] = next;
	return { fresh, duplicates };
}

function sameEntries(a: IDataObject, b: Record<string, number>): boolean {
	const keys = Object.keys(b);
	return keys.length === Object.keys(a).length && keys.every((key) => a[key] === b[key]);
}
