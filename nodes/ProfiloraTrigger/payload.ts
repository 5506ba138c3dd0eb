/**
 * Profilora's webhook body, which the vendor does not document. Read as seen in public client code
 * (docs/vendors.md): `{eventId?, waData: {type, eventId?, timestamp?, waInfo: {fromMe, peer, agent?, pushName?,
 * message: {...}}}}`. docs/triggers.md ("Output") lists every field read here.
 */
import type { IDataObject } from 'n8n-workflow';

import type { GatewayEvent, MediaInfo, PayloadParser } from '../shared/webhook/event';
import { isObject } from '../shared/http/replies';
import { PayloadError, text, toIsoTimestamp } from '../shared/webhook/event';

const STATUS_TYPES: Record<string, string> = {
	MESSAGE_SENT: 'sent',
	MESSAGE_DELIVERED: 'delivered',
	MESSAGE_READ: 'read',
	MESSAGE_FAILED: 'failed',
};

const INCOMING_TYPES = new Set(['MESSAGE_RECEIVED', 'MESSAGE_INCOMING', 'INCOMING_MESSAGE']);

/** WhatsApp (Baileys) message keys that carry a file, and the media type each stands for. */
const MEDIA_KEYS: Record<string, string> = {
	imageMessage: 'image',
	videoMessage: 'video',
	audioMessage: 'audio',
	documentMessage: 'document',
	stickerMessage: 'sticker',
};

function object(value: unknown): IDataObject {
	return isObject(value) ? value : {};
}

/** Unknown types become statuses named after the type: MESSAGE_PLAYED → "played". */
function statusOf(type: string): string {
	return STATUS_TYPES[type] ?? type.replace(/^MESSAGE_/, '').toLowerCase();
}

function messageContent(message: IDataObject): {
	messageType: string | null;
	text: string | null;
	media: MediaInfo | null;
} {
	const extended = object(message.extendedTextMessage);
	const mediaKey = Object.keys(MEDIA_KEYS).find((key) => isObject(message[key]));
	const file = mediaKey ? object(message[mediaKey]) : {};
	const caption = text(file.caption);
	const body = text(message.conversation) ?? text(extended.text) ?? caption;
	const media: MediaInfo | null = mediaKey
		? {
				type: MEDIA_KEYS[mediaKey],
				url: text(file.url),
				mimeType: text(file.mimetype) ?? text(file.mimeType),
				id: null,
				sha256: text(file.fileSha256),
				caption,
				fileName: text(file.fileName),
			}
		: null;
	const messageType = media
		? media.type
		: text(message.conversation) !== null || text(extended.text) !== null
			? 'text'
			: (Object.keys(message)[0] ?? null);
	return { messageType, text: body, media };
}

export const profiloraPayload: PayloadParser = {
	service: 'profilora',
	parse(body: unknown): GatewayEvent[] {
		if (!isObject(body) || !isObject(body.waData))
			throw new PayloadError('expected a JSON object with "waData"');
		const waData = body.waData;
		const type = typeof waData.type === 'string' ? waData.type.trim().toUpperCase() : '';
		if (!type) throw new PayloadError('"waData.type" is missing');
		const waInfo = object(waData.waInfo);
		const incoming =
			!(type in STATUS_TYPES) && (INCOMING_TYPES.has(type) || waInfo.fromMe === false);
		const peer = text(waInfo.peer);
		const agent = text(waInfo.agent);
		const content = messageContent(object(waInfo.message));
		return [
			{
				service: 'profilora',
				event: incoming ? 'message' : 'status',
				messageId: text(body.eventId) ?? text(waData.eventId),
				status: incoming ? 'received' : statusOf(type),
				from: incoming ? peer : agent,
				to: incoming ? agent : peer,
				name: incoming ? text(waInfo.pushName) : null,
				timestamp: toIsoTimestamp(waData.timestamp ?? body.timestamp ?? waInfo.messageTimestamp),
				messageType: content.messageType,
				text: content.text,
				media: content.media,
			},
		];
	},
};
