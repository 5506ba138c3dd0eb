/**
 * Reading WAChatPro's chat and message objects, whose shape WAChatPro does not document. Every field is
 * looked for under the names WhatsApp gateways commonly use (docs/vendors.md, WAChatPro), and the
 * result is the same `GatewayEvent` the webhook triggers emit, so workflows can switch gateways.
 */
import type { IDataObject } from 'n8n-workflow';

import type { GatewayEvent, MediaInfo } from '../../shared/webhook/event';
import { isObject } from '../../shared/http/replies';
import { text, toIsoTimestamp } from '../../shared/webhook/event';
import { normaliseNumber } from '../../shared/parameters/phone';
import { shortKey } from '../../shared/polling/context';

/** The first present value among `paths` (dotted for nested fields). */
function pick(object: IDataObject, paths: string[]): unknown {
	for (const path of paths) {
		let value: unknown = object;
		for (const part of path.split('.')) value = isObject(value) ? value[part] : undefined;
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

/** International digits of a phone number or user JID; undefined for groups, `@lid` ids and anything else. */
export function phoneDigits(value: unknown): string | undefined {
	const candidate = isObject(value) ? (value._serialized ?? value.user) : value;
	try {
		const number = normaliseNumber(typeof candidate === 'number' ? String(candidate) : candidate);
		return number.kind === 'user' ? number.digits : undefined;
	} catch {
		return undefined;
	}
}

export interface WaChat {
	phone: string;
	name: string | null;
	/** Changes whenever the listing shows new activity in the chat; undefined when the listing carries none. */
	activity: string | undefined;
}

/** Fields that move when a chat gets a message: with none of them the chat must be read on every poll. */
const ACTIVITY_FIELDS = [
	'timestamp',
	't',
	'time',
	'lastMessage',
	'last_message',
	'lastMessageTime',
	'last_message_time',
	'conversationTimestamp',
	'updatedAt',
	'updated_at',
	'unreadCount',
	'unread_count',
	'unread',
];

/** A listed chat, or undefined for one that is not a person's phone number (groups cannot be read by `phone`). */
export function readChat(chat: IDataObject): WaChat | undefined {
	const phone = phoneDigits(
		pick(chat, ['phone', 'number', 'wa_id', 'jid', 'remoteJid', 'chatId', 'id']),
	);
	if (!phone) return undefined;
	const present = ACTIVITY_FIELDS.filter(
		(field) => chat[field] !== undefined && chat[field] !== null,
	);
	return {
		phone,
		name: text(pick(chat, ['name', 'pushName', 'contactName', 'title', 'formattedTitle'])),
		activity: present.length
			? shortKey(JSON.stringify(present.map((field) => chat[field])))
			: undefined,
	};
}

/** Our own sent messages are left out: the trigger is about what customers write. */
export function isFromMe(message: IDataObject): boolean {
	const flag = pick(message, [
		'fromMe',
		'from_me',
		'isFromMe',
		'is_from_me',
		'key.fromMe',
		'id.fromMe',
	]);
	if (flag !== undefined)
		return flag === true || flag === 1 || flag === '1' || String(flag).toLowerCase() === 'true';
	const direction = text(pick(message, ['direction', 'type_message']));
	return direction !== null && /^(out|outgoing|outbound|sent)$/i.test(direction);
}

/** The message's time as ISO 8601, from whichever field WAChatPro filled. */
function messageIso(message: IDataObject): string | null {
	return toIsoTimestamp(
		pick(message, [
			'timestamp',
			't',
			'messageTimestamp',
			'time',
			'date',
			'created_at',
			'createdAt',
		]),
	);
}

/** Vendor time in milliseconds, or undefined. */
export function messageTime(message: IDataObject): number | undefined {
	const iso = messageIso(message);
	return iso === null ? undefined : Date.parse(iso);
}

function messageIdOf(message: IDataObject): string | null {
	const id = pick(message, ['id', 'messageId', 'message_id', 'msgId', 'key.id', '_id']);
	if (isObject(id)) return text(id._serialized ?? id.id);
	return text(id);
}

/**
 * What identifies a message across polls: its id, else a hash of what it says and when (a gateway that
 * gives no id gives the same message the same fields on every listing).
 */
export function messageKey(phone: string, message: IDataObject): string {
	const id = messageIdOf(message);
	return shortKey(
		id !== null ? `id\n${phone}\n${id}` : `content\n${phone}\n${JSON.stringify(message)}`,
	);
}

const TYPE_NAMES: Record<string, string> = {
	chat: 'text',
	conversation: 'text',
	extendedtextmessage: 'text',
	ptt: 'audio',
	voice: 'audio',
	file: 'document',
	url: 'document',
	imagemessage: 'image',
	videomessage: 'video',
	audiomessage: 'audio',
	documentmessage: 'document',
	stickermessage: 'sticker',
};

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

export function toEvent(
	phone: string,
	chatName: string | null,
	message: IDataObject,
): GatewayEvent {
	const rawType =
		text(pick(message, ['type', 'messageType', 'message_type', 'mediaType']))?.toLowerCase() ??
		null;
	const mediaUrl = text(
		pick(message, ['url', 'mediaUrl', 'media_url', 'fileUrl', 'file_url', 'media.url']),
	);
	const fileName = text(pick(message, ['filename', 'fileName', 'file_name', 'media.filename']));
	let messageType = rawType === null ? null : (TYPE_NAMES[rawType] ?? rawType);
	if (messageType === null) messageType = mediaUrl || fileName ? 'document' : 'text';
	const caption = text(pick(message, ['caption', 'media.caption']));
	let media: MediaInfo | null = null;
	let body: string | null;
	if (MEDIA_TYPES.has(messageType)) {
		media = {
			type: messageType,
			url: mediaUrl,
			mimeType: text(
				pick(message, ['mimetype', 'mimeType', 'mime_type', 'media.mimetype', 'media.mime_type']),
			),
			id: text(pick(message, ['mediaId', 'media_id', 'media.id'])),
			sha256: text(pick(message, ['sha256', 'fileSha256', 'media.sha256'])),
			caption,
			fileName,
		};
		// A media message's `body` may be the file itself (base64), never the text.
		body = caption;
	} else {
		const textValue = pick(message, [
			'body',
			'text',
			'message',
			'content',
			'text.body',
			'conversation',
		]);
		body = text(isObject(textValue) ? textValue.body : textValue) ?? caption;
	}
	const iso = messageIso(message);
	return {
		service: 'wachatpro',
		event: 'message',
		messageId: messageIdOf(message),
		status: 'received',
		from: phone,
		to: text(pick(message, ['to'])),
		name:
			text(pick(message, ['notifyName', 'pushName', 'senderName', 'sender_name', 'name'])) ??
			chatName,
		timestamp: iso,
		messageType,
		text: body,
		media,
	};
}
