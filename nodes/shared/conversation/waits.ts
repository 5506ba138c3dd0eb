/**
 * Which customer a waiting execution is waiting for: the link between "Send and Wait for Reply" and the trigger
 * that receives the customer's answer at the vendor's one webhook URL.
 *
 * It lives in the workflow's static data (scope `global`), the only store n8n gives a node that `webhook()` can
 * read and that outlives an execution (docs/n8n-persistence.md). Only the trigger's `webhook()` writes it, in
 * requests that start no execution, which n8n saves at once: the waiting node registers by a request
 * (registration.ts), and a handed-over answer removes its entry (handOver.ts). So the trigger and the waiting node
 * must be in the same, published workflow.
 */
import type { IDataObject } from 'n8n-workflow';
import { isObject } from '../http/replies';

const STATE_KEY = 'waitingForReply';
/** Enough for a busy inbox; beyond it the entries closest to their deadline go first. */
export const MAX_WAITS = 5000;

export interface Wait {
	/** n8n's resume URL of the waiting execution (`$execution.resumeUrl`, with its token). */
	url: string;
	/** ms since the epoch after which n8n resumes the execution on its timeout path. */
	until: number;
	executionId: string;
	/** The message the customer is answering (what the send returned), when known. */
	askedMessageId: string | null;
}

/** One customer of one gateway: `sobot:919812345678`. */
export function waitKey(service: string, digits: string): string {
	return `${service}:${digits}`;
}

function isWait(value: unknown): value is Wait {
	if (value === null || typeof value !== 'object') return false;
	const wait = value as Record<string, unknown>;
	return (
		typeof wait.url === 'string' &&
		typeof wait.until === 'number' &&
		typeof wait.executionId === 'string'
	);
}

/** The live entries, whatever shape an older or damaged copy of static data has. */
export function readWaits(staticData: IDataObject, now = Date.now()): Map<string, Wait> {
	const waits = new Map<string, Wait>();
	const stored = staticData[STATE_KEY];
	if (!isObject(stored)) return waits;
	for (const [key, value] of Object.entries(stored)) {
		if (isWait(value) && value.until > now) waits.set(key, value);
	}
	return waits;
}

function writeWaits(staticData: IDataObject, waits: Map<string, Wait>): void {
	let entries = [...waits.entries()];
	if (entries.length > MAX_WAITS)
		entries = entries.sort((a, b) => b[1].until - a[1].until).slice(0, MAX_WAITS);
	staticData[STATE_KEY] = Object.fromEntries(entries) as IDataObject;
}

/** A newer wait for the same customer replaces the older one, which then ends on its timeout path. */
export function registerWait(
	staticData: IDataObject,
	key: string,
	wait: Wait,
	now = Date.now(),
): void {
	const waits = readWaits(staticData, now);
	waits.delete(key);
	waits.set(key, wait);
	writeWaits(staticData, waits);
}

/** Removes the entry only if it still belongs to that execution (a newer wait may have replaced it). */
export function forgetWait(
	staticData: IDataObject,
	key: string,
	executionId: string,
	now = Date.now(),
): void {
	const waits = readWaits(staticData, now);
	if (waits.get(key)?.executionId !== executionId) return;
	waits.delete(key);
	writeWaits(staticData, waits);
}
