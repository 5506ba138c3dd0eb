/**
 * The one event shape both triggers emit, whatever the vendor posted. Normalised fields come first so a
 * workflow can switch gateways without rewiring; the vendor's own payload rides along under `raw`.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ConsentKeywords } from './consent';
import { DEFAULT_CONSENT_KEYWORDS } from './consent';

export type EventKind = 'status' | 'message';

export interface MediaInfo {
	type: string;
	url: string | null;
	mimeType: string | null;
	id: string | null;
	sha256: string | null;
	caption: string | null;
	fileName: string | null;
}

export interface GatewayEvent {
	service: string;
	event: EventKind;
	/** Profilora `eventId`, Sobot `wamid`: what a send returned, so a status can be matched to its message. */
	messageId: string | null;
	/** Delivery status in lower case (`sent`, `delivered`, `read`, `failed`, or whatever the vendor said); `received` for incoming messages. */
	status: string;
	/** The sender and recipient as the vendor wrote them (a JID or digits); items carry them normalised (toItemJson). */
	from: string | null;
	to: string | null;
	/** The customer's display name, when the vendor sends one. */
	name: string | null;
	timestamp: string | null;
	messageType: string | null;
	text: string | null;
	media: MediaInfo | null;
	/** The button or list row a customer chose (Sobot's interactive and template-button replies). */
	choice?: Choice | null;
	/** The id of the message this one answers, when the vendor says (a tapped button names its message). */
	replyTo?: string | null;
}

export interface Choice {
	/** The button's id or payload, or the list row's id; null when the vendor gave only a title. */
	id: string | null;
	title: string | null;
}

/** A payload that is JSON but not in any shape the vendor is known to send: answered with 400. */
export class PayloadError extends Error {}

export interface PayloadParser {
	service: string;
	/** Every event in one request body, in the order the vendor listed them. Throws PayloadError. */
	parse(body: unknown): GatewayEvent[];
}

/** A non-empty string, or a number written as one (ids and phone numbers sometimes arrive as numbers). */
export function text(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/**
 * Vendor timestamps as ISO text: Unix seconds (Sobot sends them as a string), Unix milliseconds, or a
 * date string. Anything else is null rather than a guess.
 */
export function toIsoTimestamp(value: unknown): string | null {
	let ms: number | undefined;
	if (
		typeof value === 'number' ||
		(typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()))
	) {
		const number = Number(value);
		// Below 1e11 a value can only be seconds (1e11 ms is 1973; 1e11 s is the year 5138).
		ms = number < 1e11 ? number * 1000 : number;
	} else if (typeof value === 'string' && value.trim() !== '') {
		ms = Date.parse(value);
	}
	if (ms === undefined || !Number.isFinite(ms)) return null;
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * `from`/`to` as every trigger outputs them, whatever the vendor wrote: a phone number (`+62 812…`, `62812…`) or a
 * person's JID (`62812…@s.whatsapp.net`, `…@c.us`, with or without a device suffix `:12`) becomes its digits with the
 * country code; anything that names no phone number (a group `…@g.us`, an opaque `…@lid`, a broadcast list) stays as
 * the vendor wrote it, so a send to it is refused with a clear error instead of reaching a wrong number.
 */
export function normalisedNumber(value: string | null): string | null {
	if (value === null) return null;
	const trimmed = value.trim();
	if (/^\+?[\d\s().-]+$/.test(trimmed)) {
		const digits = trimmed.replace(/\D/g, '');
		return digits === '' ? null : digits;
	}
	const person = /^(\d+)(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$/i.exec(trimmed);
	return person ? person[1] : value;
}

export function toItemJson(
	event: GatewayEvent,
	receivedAt: string,
	raw: unknown,
	includeRaw: boolean,
	consent: ConsentKeywords = DEFAULT_CONSENT_KEYWORDS,
): IDataObject {
	// Only what a customer wrote can ask to stop; a status event never does.
	const asks =
		event.event === 'message' ? consent.classify(event.text) : { optOut: false, optIn: false };
	const json: IDataObject = {
		service: event.service,
		event: event.event,
		messageId: event.messageId,
		status: event.status,
		from: normalisedNumber(event.from),
		to: normalisedNumber(event.to),
		fromRaw: event.from,
		toRaw: event.to,
		name: event.name,
		timestamp: event.timestamp,
		messageType: event.messageType,
		text: event.text,
		media: event.media ? ({ ...event.media } as IDataObject) : null,
		choice: event.choice ? { ...event.choice } : null,
		replyTo: event.replyTo ?? null,
		optOut: asks.optOut,
		optIn: asks.optIn,
		receivedAt,
	};
	if (includeRaw) json.raw = raw as IDataObject;
	return json;
}
