/**
 * One input item as a recipient line of the report: its outcome, its message id (to match delivery statuses) and
 * its campaign. Statuses come either from this package's send output as it is, or from a field the user names.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidField } from '../execution/items';
import { isObject } from '../http/replies';
import type { DeliveryEvent, Outcome } from './vocabulary';
import { lineStatus } from './vocabulary';

export interface RecipientLine {
	outcome: Outcome;
	alreadySent: boolean;
	/** The status as written, for lines counted under "other". */
	otherStatus?: string;
	messageId?: string;
	campaign?: string;
	/** What WhatsApp said about the message: from the line itself, then from the delivery-status rows. */
	events: Set<DeliveryEvent>;
}

export type StatusSource = { from: 'sendOutput' } | { from: 'field'; field: string };

/** A field by name, or by a dotted path (`result.status`) when the item has no field of that exact name. */
export function fieldAt(json: IDataObject, path: string): unknown {
	if (path in json) return json[path];
	let value: unknown = json;
	for (const part of path.split('.')) {
		if (!isObject(value)) return undefined;
		value = value[part];
	}
	return value;
}

function idText(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The id a status event will carry: Sobot's `messageId` (the wamid), Profilora's `eventId`, WAChatPro's `data.id`
 * (its reply as it came; docs/vendors.md).
 */
export function lineMessageId(json: IDataObject): string | undefined {
	return (
		idText(json.messageId) ??
		idText(json.eventId) ??
		(isObject(json.data) ? idText(json.data.id) : undefined)
	);
}

function hasError(json: IDataObject): boolean {
	return json.error !== undefined && json.error !== null && json.error !== '';
}

/** An item of a send that wrote no status word of ours: what runSends' flags and fields say about it. */
function fromSendFields(json: IDataObject): Pick<RecipientLine, 'outcome' | 'alreadySent'> {
	if (hasError(json)) {
		if (json.skipped === true) return { outcome: 'skipped', alreadySent: false };
		if (json.optedOut === true) return { outcome: 'optedOut', alreadySent: false };
		if (json.held === true) return { outcome: 'held', alreadySent: false };
		if (json.uncertain === true) return { outcome: 'uncertain', alreadySent: false };
		if (json.notSent === true) return { outcome: 'notSent', alreadySent: false };
		return { outcome: 'failed', alreadySent: false };
	}
	if (json.alreadySent === true) return { outcome: 'accepted', alreadySent: true };
	// Only a send the gateway took comes out of runSends without an error and with attempts: whatever the vendor's
	// own `status` field says (WAChatPro's is `true`).
	if (typeof json.attempts === 'number' && json.attempts > 0)
		return { outcome: 'accepted', alreadySent: false };
	return { outcome: 'other', alreadySent: false };
}

export function readLine(
	ctx: IExecuteFunctions,
	itemIndex: number,
	json: IDataObject,
	source: StatusSource,
): RecipientLine {
	const messageId = lineMessageId(json);
	const campaign = typeof json.campaign === 'string' && json.campaign ? json.campaign : undefined;
	const line = (
		outcome: Outcome,
		alreadySent = false,
		event?: DeliveryEvent,
		otherStatus?: string,
	): RecipientLine => {
		// A failed line with a message id was accepted first: WhatsApp failed it later (a row of `sobot_delivery`).
		if (outcome === 'failed' && messageId !== undefined)
			return { outcome: 'accepted', alreadySent, messageId, campaign, events: new Set(['failed']) };
		return {
			outcome,
			alreadySent,
			messageId,
			campaign,
			otherStatus,
			events: new Set(event ? [event] : []),
		};
	};

	const written = source.from === 'field' ? fieldAt(json, source.field) : (json.status as unknown);
	if (source.from === 'field') {
		if (written === undefined || written === null || written === '')
			throw invalidField(
				ctx,
				itemIndex,
				'Status Field',
				`the item has no field "${source.field}" (its fields: ${Object.keys(json).slice(0, 12).join(', ') || 'none'})`,
			);
		if (typeof written !== 'string')
			throw invalidField(
				ctx,
				itemIndex,
				'Status Field',
				`"${source.field}" holds ${Array.isArray(written) ? 'a list' : typeof written}, not a status text`,
			);
	}
	if (typeof written === 'string') {
		const known = lineStatus(written);
		if (known) return line(known.outcome, known.alreadySent, known.event);
		if (source.from === 'field') return line('other', false, undefined, written.trim());
	}
	const fields = fromSendFields(json);
	if (fields.outcome !== 'other') return line(fields.outcome, fields.alreadySent);
	return line(
		'other',
		false,
		undefined,
		typeof written === 'string' && written.trim() ? written.trim() : '(no status)',
	);
}
