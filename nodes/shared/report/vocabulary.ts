/**
 * The status words the report understands, from this package's send output (Campaign › Send's `status`, Profilora's
 * `accepted`, Sobot's `submitted`), from the guardrails (`opted out`, `held`), from the delivery-tracking table
 * `sobot_delivery` (`accepted`, `sent`, `delivered`, `read`, `failed`) and from the triggers' status events (WhatsApp's
 * `sent`, `delivered`, `read`, `played`, `failed`). Case, spaces, `_` and `-` do not matter: `Opted_Out` is `opted out`.
 */

/** What became of one recipient's message before WhatsApp took over. */
export type Outcome =
	| 'accepted'
	| 'failed'
	| 'uncertain'
	| 'skipped'
	| 'notSent'
	| 'optedOut'
	| 'held'
	| 'other';

/** What WhatsApp later said about an accepted message. */
export type DeliveryEvent = 'sent' | 'delivered' | 'read' | 'replied' | 'failed';

export function normaliseStatus(value: string): string {
	return value
		.trim()
		.toLowerCase()
		.replace(/[\s_-]+/g, ' ');
}

interface LineStatus {
	outcome: Outcome;
	alreadySent?: boolean;
	/** A line that already carries WhatsApp's verdict (a row of `sobot_delivery`). */
	event?: DeliveryEvent;
}

const LINE_STATUSES: Record<string, LineStatus> = {
	sent: { outcome: 'accepted' },
	accepted: { outcome: 'accepted' },
	submitted: { outcome: 'accepted' },
	'already sent': { outcome: 'accepted', alreadySent: true },
	delivered: { outcome: 'accepted', event: 'delivered' },
	read: { outcome: 'accepted', event: 'read' },
	played: { outcome: 'accepted', event: 'read' },
	replied: { outcome: 'accepted', event: 'replied' },
	failed: { outcome: 'failed' },
	uncertain: { outcome: 'uncertain' },
	skipped: { outcome: 'skipped' },
	'not sent': { outcome: 'notSent' },
	'opted out': { outcome: 'optedOut' },
	optedout: { outcome: 'optedOut' },
	held: { outcome: 'held' },
};

/** A recipient line's status word, or undefined for a word the report does not know. */
export function lineStatus(word: string): LineStatus | undefined {
	return LINE_STATUSES[normaliseStatus(word)];
}

const EVENT_STATUSES: Record<string, DeliveryEvent> = {
	sent: 'sent',
	accepted: 'sent',
	delivered: 'delivered',
	read: 'read',
	// WhatsApp's "played" (a voice note listened to) implies it was read.
	played: 'read',
	replied: 'replied',
	failed: 'failed',
};

/** A delivery-status row's status word, or undefined for a word the report does not know. */
export function eventStatus(word: string): DeliveryEvent | undefined {
	return EVENT_STATUSES[normaliseStatus(word)];
}
