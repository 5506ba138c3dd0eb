/**
 * Sobot's webhook bodies (docs/vendors.md): incoming messages come as an array of Meta-style changes
 * `[{field: "messages", value: {metadata, contacts, messages: [...]}}]`, one n8n item per message;
 * statuses as a flat `{id, status, timestamp}`. Also accepted, because Sobot relays Meta's format: a single
 * change object not wrapped in an array, and Meta's `value.statuses` inside a change.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Choice, GatewayEvent, MediaInfo, PayloadParser } from '../shared/webhook/event';
import { isObject } from '../shared/http/replies';
import { PayloadError, text, toIsoTimestamp } from '../shared/webhook/event';

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

function object(value: unknown): IDataObject {
	return isObject(value) ? value : {};
}

function list(value: unknown, where: string): IDataObject[] {
	if (value === undefined) return [];
	if (!Array.isArray(value)) throw new PayloadError(`"${where}" is not a list`);
	return value.map((entry, index) => {
		if (!isObject(entry)) throw new PayloadError(`${where}[${index}] is not an object`);
		return entry;
	});
}

function status(entry: IDataObject, business: string | null): GatewayEvent {
	const value = text(entry.status);
	if (value === null) throw new PayloadError('a status has no "status"');
	return {
		service: 'sobot',
		event: 'status',
		messageId: text(entry.id),
		status: value.toLowerCase(),
		from: business,
		to: text(entry.recipient_id),
		name: null,
		timestamp: toIsoTimestamp(entry.timestamp),
		messageType: null,
		text: null,
		media: null,
	};
}

/** The media object sits under the message's type; the vendor's own video example puts it under `image`. */
function mediaOf(message: IDataObject, type: string | null): MediaInfo | null {
	if (type === null || !MEDIA_TYPES.has(type)) return null;
	const file = isObject(message[type])
		? message[type]
		: isObject(message.image)
			? message.image
			: undefined;
	if (!file) return null;
	return {
		type,
		url: text(file.url) ?? text(file.link),
		mimeType: text(file.mime_type),
		id: text(file.id),
		sha256: text(file.sha256),
		caption: text(file.caption),
		fileName: text(file.filename),
	};
}

function messageText(message: IDataObject, media: MediaInfo | null): string | null {
	const interactive = object(message.interactive);
	return (
		text(object(message.text).body) ??
		media?.caption ??
		text(object(message.button).text) ??
		text(object(interactive.button_reply).title) ??
		text(object(interactive.list_reply).title)
	);
}

/**
 * Meta's reply shapes as Sobot relays them: `interactive.button_reply` / `interactive.list_reply` ({id, title}) for
 * free-form buttons and lists, `button` ({payload, text}) for a template's quick-reply button.
 */
function choiceOf(message: IDataObject): Choice | null {
	const interactive = object(message.interactive);
	const chosen = isObject(interactive.button_reply)
		? interactive.button_reply
		: isObject(interactive.list_reply)
			? interactive.list_reply
			: undefined;
	if (chosen) return { id: text(chosen.id), title: text(chosen.title) };
	if (isObject(message.button))
		return { id: text(message.button.payload), title: text(message.button.text) };
	return null;
}

function messages(change: IDataObject, index: number): GatewayEvent[] {
	const value = change.value;
	if (!isObject(value)) throw new PayloadError(`entry ${index} has no "value" object`);
	const business = text(object(value.metadata).display_phone_number);
	const contacts = list(value.contacts, `[${index}].value.contacts`);
	const nameOf = (from: string | null) => {
		const contact =
			contacts.find((c) => text(c.wa_id) === from) ??
			(contacts.length === 1 ? contacts[0] : undefined);
		return contact ? text(object(contact.profile).name) : null;
	};
	const incoming = list(value.messages, `[${index}].value.messages`).map(
		(message): GatewayEvent => {
			const type = text(message.type);
			const media = mediaOf(message, type);
			const from = text(message.from);
			return {
				service: 'sobot',
				event: 'message',
				messageId: text(message.id),
				status: 'received',
				from,
				to: business,
				name: nameOf(from),
				timestamp: toIsoTimestamp(message.timestamp),
				messageType: type,
				text: messageText(message, media),
				media,
				choice: choiceOf(message),
				replyTo: text(object(message.context).id),
			};
		},
	);
	const statuses = list(value.statuses, `[${index}].value.statuses`).map((entry) =>
		status(entry, business),
	);
	return [...incoming, ...statuses];
}

export const sobotPayload: PayloadParser = {
	service: 'sobot',
	parse(body: unknown): GatewayEvent[] {
		if (isObject(body) && body.status !== undefined && body.value === undefined)
			return [status(body, null)];
		const changes = Array.isArray(body)
			? body
			: isObject(body) && isObject(body.value)
				? [body]
				: undefined;
		if (!changes) throw new PayloadError('expected an array of message changes or a status object');
		return changes.flatMap((change, index) => {
			if (!isObject(change)) throw new PayloadError(`entry ${index} is not an object`);
			// Other Meta fields (account or template updates) carry no message events.
			if (change.field !== undefined && change.field !== 'messages') return [];
			return messages(change, index);
		});
	},
};
