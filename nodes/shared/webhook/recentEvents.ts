/**
 * What the trigger executions of this n8n process recorded lately: event key → when it was first recorded, per
 * workflow and trigger node. It lets `webhook()` answer a repeat without starting an execution, and lets
 * `execute()` tell a repeat within the Duplicate Window from an event seen long before it.
 *
 * Why memory and not the workflow's static data (what this was until December 2026): static data written by an
 * execution is saved whole after every execution (a database write per event) and read whole on every webhook
 * request, so its cost grew with the number of events remembered; and executions that overlap save over each other,
 * so under a burst it forgot most events anyway. This memory is a hint: n8n's processed-data store, written in the
 * execution, decides (dedupe.ts). It is per process, so after a restart, or on a queue-mode webhook process (where
 * executions run on workers), a repeat starts an execution that the store then ends at the trigger.
 */

/** Most keys kept per trigger node: about 1 MB of memory; older ones are forgotten first. */
export const MAX_REMEMBERED_IN_MEMORY = 10_000;

const byNode = new Map<string, Map<string, number>>();

const nodeKey = (workflowId: string | undefined, nodeId: string) =>
	`${workflowId ?? ''}\u0000${nodeId}`;

/** When this process's executions first recorded `key` for the node, if it still remembers. */
export function recordedAt(
	workflowId: string | undefined,
	nodeId: string,
	key: string,
): number | undefined {
	return byNode.get(nodeKey(workflowId, nodeId))?.get(key);
}

/** Notes keys the store has just recorded (first sighting times are kept; a Map keeps insertion order). */
export function rememberRecorded(
	workflowId: string | undefined,
	nodeId: string,
	keys: Iterable<string>,
	at: number,
	cap: number,
): void {
	const id = nodeKey(workflowId, nodeId);
	let seen = byNode.get(id);
	if (!seen) byNode.set(id, (seen = new Map()));
	for (const key of keys) if (!seen.has(key)) seen.set(key, at);
	const limit = Math.min(cap, MAX_REMEMBERED_IN_MEMORY);
	if (seen.size > limit) {
		let excess = seen.size - limit;
		for (const key of seen.keys()) {
			if (excess-- <= 0) break;
			seen.delete(key);
		}
	}
}

/** Notes that an event passed again after its window: its time starts over. */
export function rememberAgain(
	workflowId: string | undefined,
	nodeId: string,
	key: string,
	at: number,
): void {
	const seen = byNode.get(nodeKey(workflowId, nodeId));
	if (!seen) return;
	seen.delete(key);
	seen.set(key, at);
}

/**
 * Events whose execution this process's `webhook()` started. n8n runs an execution in the process that took its
 * webhook in regular mode, and on a worker (which takes no webhooks) in queue mode: an event found here is checked
 * by an execution of the one process that runs them all, where the store's calls never overlap
 * (../persistence/processedData.ts), so the claim for copies at other processes (dedupe.ts) is not needed.
 * Event → how many of its copies' executions this process started and has not run yet.
 */
const startedHere = new Map<string, number>();

/** Most events remembered as started here; a request whose execution never came leaves its keys until then. */
const MAX_STARTED_HERE = 10_000;

export function noteStartedHere(
	workflowId: string | undefined,
	nodeId: string,
	keys: Iterable<string>,
): void {
	for (const key of keys) {
		const id = `${nodeKey(workflowId, nodeId)}\u0000${key}`;
		startedHere.set(id, (startedHere.get(id) ?? 0) + 1);
	}
	let excess = startedHere.size - MAX_STARTED_HERE;
	for (const key of startedHere.keys()) {
		if (excess-- <= 0) break;
		startedHere.delete(key);
	}
}

/** True when this process's `webhook()` started the execution for `key` (and forgets it). */
export function takeStartedHere(
	workflowId: string | undefined,
	nodeId: string,
	key: string,
): boolean {
	const id = `${nodeKey(workflowId, nodeId)}\u0000${key}`;
	const count = startedHere.get(id);
	if (count === undefined) return false;
	if (count > 1) startedHere.set(id, count - 1);
	else startedHere.delete(id);
	return true;
}

/** What a restart of n8n does to this memory (tests use it to play a restart or another process). */
export function forgetRecentEvents(): void {
	byNode.clear();
	startedHere.clear();
}
