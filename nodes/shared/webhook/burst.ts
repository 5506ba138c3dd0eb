/**
 * Bursts, the webhook side: a customer's messages that arrive within the Quiet Period of each other start one
 * execution once the customer paused (docs/triggers.md, "Bursts").
 *
 * Why in process memory and why the requests are held (docs/n8n-persistence.md): a webhook trigger's code runs only in
 * `webhook()`, nothing wakes it without a request, static data written there is last-writer-wins across concurrent
 * requests, and the processed-data store only answers presence. So each request of a burst waits in `webhook()`
 * (n8n-workflow's `sleep`) until it knows whether it is the last one; the last one (the leader) returns the whole
 * group as its `workflowData`; the others (followers) start nothing but answer only once the leader's response
 * went out. n8n sends that response only after it created the execution (webhook-helpers.js: `responseCallback` after
 * `WorkflowRunner.run` for responseMode onReceived, and an error answer when the run could not start), so a follower
 * answered 200 is a message that is in an execution, and a follower whose leader failed answers 503.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { eventKey } from './dedupe';

export interface BurstSettings {
	/** 0: off. */
	quietMs: number;
	/** A burst closes at the latest this long after its first message, even if the customer never pauses. */
	maxHoldMs: number;
}

export const burstsAreOn = (settings: BurstSettings) => settings.quietMs > 0;

interface Burst {
	firstAt: number;
	lastAt: number;
	/** The messages in the order they arrived. */
	items: INodeExecutionData[];
	keys: Set<string>;
	/** How many requests joined; the one that joined last leads. */
	requests: number;
	/** Resolves with whether the leader's execution was created. */
	outcome: Promise<boolean>;
	settle: (started: boolean) => void;
}

/**
 * Longest a follower waits for the leader's answer after the latest the burst can close. n8n answers once it created
 * the execution, in well under a second; this only keeps a follower from waiting for good if an answer never comes.
 */
const LEADER_ANSWER_LIMIT_MS = 60_000;

async function outcomeOf(burst: Burst, settings: BurstSettings): Promise<boolean> {
	let waiting = true;
	const limit = (async () => {
		const until = burst.firstAt + settings.maxHoldMs + LEADER_ANSWER_LIMIT_MS;
		while (waiting && Date.now() < until) await sleep(Math.min(1000, until - Date.now()));
		return false;
	})();
	const started = await Promise.race([burst.outcome, limit]);
	waiting = false;
	return started;
}

/** Open bursts of this process: workflow + trigger node + customer → burst. */
const open = new Map<string, Burst>();

/** The customer a message belongs to: who wrote, and to which business number (one workflow may serve several). */
export function customerOf(json: INodeExecutionData['json']): string {
	return `${String(json.to ?? '')}\u0000${String(json.from ?? '')}`;
}

export type BurstTurn =
	| { role: 'leader'; items: INodeExecutionData[]; requests: number; settle: (ok: boolean) => void }
	| { role: 'follower'; started: boolean }
	| { role: 'duplicate'; started: boolean };

/**
 * Adds one request's messages (all of one customer) to that customer's open burst and waits for the burst to close.
 * A message already in the burst (the gateway posted it twice) is not added again.
 */
export async function joinBurst(
	scope: string,
	items: INodeExecutionData[],
	settings: BurstSettings,
): Promise<BurstTurn> {
	const key = `${scope}\u0000${customerOf(items[0].json)}`;
	let burst = open.get(key);
	const now = Date.now();
	if (!burst) {
		let settle: (started: boolean) => void = () => {};
		const outcome = new Promise<boolean>((resolve) => (settle = resolve));
		burst = { firstAt: now, lastAt: now, items: [], keys: new Set(), requests: 0, outcome, settle };
		open.set(key, burst);
	}
	const known = burst.keys;
	const fresh = items.filter((item) => {
		const id = eventKey(item.json);
		if (id === null) return true;
		if (known.has(id)) return false;
		known.add(id);
		return true;
	});
	// Answered with the burst, like its first copy: 200 only once the execution that holds the message exists.
	if (fresh.length === 0) return { role: 'duplicate', started: await outcomeOf(burst, settings) };
	burst.items.push(...fresh);
	burst.lastAt = now;
	const mine = ++burst.requests;

	for (;;) {
		// A newer request of the customer joined: it decides when the burst closes.
		if (burst.requests !== mine)
			return { role: 'follower', started: await outcomeOf(burst, settings) };
		const due = Math.min(burst.lastAt + settings.quietMs, burst.firstAt + settings.maxHoldMs);
		const wait = due - Date.now();
		if (wait <= 0) break;
		await sleep(wait);
	}
	// Closed with no await in between: a message arriving from now on opens the customer's next burst.
	open.delete(key);
	return { role: 'leader', items: burst.items, requests: burst.requests, settle: burst.settle };
}

/** How many bursts are open in this process (tests check that none is left behind). */
export function openBursts(): number {
	return open.size;
}
