/**
 * How a waiting node reaches the trigger of its workflow. On publish, each trigger notes its production URL and a
 * random secret in the workflow's static data; each incoming message's item then carries the URL and a key for
 * that one customer made from the secret, and Send and Wait for Reply posts its registration to that URL, signed
 * with the key (registration.ts).
 *
 * Why a request and not a write into static data: n8n saves an execution's whole static data object when the
 * execution ends or starts to wait, so two conversations running at once overwrite each other's entries (measured:
 * 1 of 8 survived). A trigger's `webhook()` that starts no execution reads static data fresh from the database
 * and saves it at once, so registrations made there do not undo each other (docs/n8n-persistence.md).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { isObject } from '../http/replies';

const STATE_KEY = 'replyInboxes';

export interface Inbox {
	service: string;
	url: string;
	secret: string;
}

function inboxes(global: IDataObject): IDataObject {
	const stored = global[STATE_KEY];
	return isObject(stored) ? stored : {};
}

/** Called on publish; keeps the secret when the URL did not change, so waits registered before stay valid. */
export function recordInbox(
	global: IDataObject,
	triggerName: string,
	service: string,
	url: string,
): void {
	const all = inboxes(global);
	const earlier = all[triggerName] as Partial<Inbox> | undefined;
	const secret =
		earlier?.url === url && typeof earlier.secret === 'string'
			? earlier.secret
			: randomBytes(32).toString('base64url');
	global[STATE_KEY] = { ...all, [triggerName]: { service, url, secret } };
}

export function forgetInbox(global: IDataObject, triggerName: string): void {
	const all = { ...inboxes(global) };
	delete all[triggerName];
	global[STATE_KEY] = all;
}

export function inboxOf(global: IDataObject, triggerName: string): Inbox | undefined {
	const inbox = inboxes(global)[triggerName] as Partial<Inbox> | undefined;
	if (
		typeof inbox?.url !== 'string' ||
		typeof inbox.secret !== 'string' ||
		typeof inbox.service !== 'string'
	)
		return undefined;
	return inbox as Inbox;
}

export function sign(secret: string, payload: string): string {
	return createHmac('sha256', secret).update(payload, 'utf8').digest('base64url');
}

export function isSignedBy(secret: string, payload: string, signature: unknown): boolean {
	if (typeof signature !== 'string') return false;
	const expected = Buffer.from(sign(secret, payload));
	const given = Buffer.from(signature);
	return expected.length === given.length && timingSafeEqual(expected, given);
}
