/**
 * WAChatPro as documented (docs/vendors.md): every call is POST with a JSON body carrying `key`.
 * Replies, errors and list shapes are not documented; the ones here are assumptions (docs/vendors.md), and the
 * parts a client must be tolerant about are configurable:
 * - `listShape`: how list replies wrap their list (bare array, `data`, `chats`/`messages`/`contacts`, nested, none);
 * - `errorStyle`: failures as HTTP 4xx, or as 200 with `{"status": false}` as many PHP gateways do;
 * - `maxLimit`: a cap on `limit`, as a gateway might silently apply;
 * - `echoRequests`: successful sends echo their request (key included) under `request`.
 * Rejections of a recipient echo the request body (key included), as careless gateways do, so clients
 * can prove they scrub it.
 */
import { createHash } from 'node:crypto';

import type { HandlerContext, Reply } from '../http';
import { json } from '../http';
import { randomId } from '../random';
import type { GatewayHost, VendorGateway } from '../host';
import { MEDIA_PATH, MediaShelf, defaultMimeType } from '../media';

export type ListShape = 'array' | 'data' | 'named' | 'dataNamed' | 'none';
export type ErrorStyle = 'http' | 'body';

export interface WaChatProChat {
	id: string;
	phone: string;
	name: string;
	unreadCount: number;
	lastMessage: string;
	timestamp: number;
}

export interface WaChatProMessage {
	id: string;
	phone: string;
	fromMe: boolean;
	/** `text`/`file`/`url` for what was sent through the API; a media type for what a customer sent (`incoming`). */
	type: 'text' | 'file' | 'url' | WaChatProIncomingMedia['type'];
	body?: string;
	caption?: string;
	filename?: string;
	size?: number;
	sha256?: string;
	url?: string;
	mimetype?: string;
	/** A voice note. */
	ptt?: boolean;
	timestamp: number;
	status: string;
}

export interface WaChatProIncomingMedia {
	type: 'image' | 'video' | 'audio' | 'document';
	/** Defaults to a file the sandbox serves at /wachatpro/media/<id>. */
	url?: string;
	/** The file's bytes as base64, when a test wants to recognise what it downloads. */
	data?: string;
	/** A voice note (WhatsApp's push-to-talk audio). */
	ptt?: boolean;
	mimetype?: string;
	caption?: string;
	filename?: string;
}

/** A customer writing in (WAChatPro has no webhook: the message only appears in /wa/chats and /wa/messages). */
export interface WaChatProIncoming {
	from: string;
	text?: string;
	name?: string;
	media?: WaChatProIncomingMedia;
	/** The message's time, Unix seconds, instead of the sandbox's own clock (tests of what a real "now" means). */
	at?: number;
}

export interface WaChatProContact {
	id: string;
	phone: string;
	name: string;
	/** Not documented; here so clients are seen to keep unknown fields. */
	labels: string[];
}

type Body = Record<string, unknown>;

const DEFAULT_LIMIT = 100;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Numbers ending in 0000 are "not on WhatsApp": the gateway refuses them and echoes the request. */
const UNREGISTERED = /0000$/;

const SEED_CONTACTS: Array<[string, string]> = [
	['6281211110001', 'Andi'],
	['6281211110002', 'Budi'],
	['6281211110003', 'Citra'],
	['919812345678', 'Priya'],
];

export class WaChatProGateway implements VendorGateway {
	readonly vendor = 'wachatpro' as const;

	listShape: ListShape = 'data';

	errorStyle: ErrorStyle = 'http';

	maxLimit: number | undefined;

	echoRequests = false;

	/** Numbers whose /wa/messages is refused with a 4xx, as a gateway may do for one broken chat. */
	refusedMessagePhones = new Set<string>();

	chats = new Map<string, WaChatProChat>();

	messages = new Map<string, WaChatProMessage[]>();

	contacts: WaChatProContact[] = [];

	/** Every file received by /wa/sendfile, with the decoded bytes' size and sha256 (not the bytes). */
	files: Array<{
		id: string;
		phone: string;
		filename: string;
		caption?: string;
		size: number;
		sha256: string;
	}> = [];

	/** What customers sent, served at GET /wachatpro/media/<id>. */
	media = new MediaShelf();

	/** Every URL /wa/sendfileurl was asked to fetch. */
	urls: Array<{ id: string; phone: string; url: string; caption?: string }> = [];

	private clock = 1_760_000_000;

	constructor(private readonly sandbox: GatewayHost) {
		this.reset();
	}

	reset(): void {
		this.listShape = 'data';
		this.errorStyle = 'http';
		this.maxLimit = undefined;
		this.echoRequests = false;
		this.refusedMessagePhones = new Set();
		this.chats = new Map();
		this.messages = new Map();
		this.files = [];
		this.urls = [];
		this.media = new MediaShelf();
		this.clock = 1_760_000_000;
		this.contacts = SEED_CONTACTS.map(([phone, name]) => ({
			id: `${phone}@s.whatsapp.net`,
			phone,
			name,
			labels: [],
		}));
		for (const [phone, name] of SEED_CONTACTS.slice(0, 3)) {
			this.store({ phone, fromMe: false, type: 'text', body: `Halo, saya ${name}` }, name);
		}
	}

	snapshot() {
		return {
			listShape: this.listShape,
			errorStyle: this.errorStyle,
			chats: this.chatList(),
			messages: Object.fromEntries(this.messages),
			contacts: this.contacts,
			files: this.files,
			urls: this.urls,
			media: this.media.list(),
		};
	}

	/** Adds `count` chats with `messagesEach` incoming messages each (for Return All versus limit tests). */
	addChats(count: number, messagesEach = 1, firstPhone = 6281300000001): string[] {
		const phones: string[] = [];
		for (let i = 0; i < count; i++) {
			const phone = String(firstPhone + i);
			phones.push(phone);
			for (let m = 0; m < messagesEach; m++)
				this.store({ phone, fromMe: false, type: 'text', body: `Message ${m + 1}` });
		}
		return phones;
	}

	/** A customer writes in: the message is stored in its chat, as WAChatPro would list it. Returns it. */
	incoming(input: WaChatProIncoming): WaChatProMessage {
		const message = this.written(input);
		if (input.at !== undefined) message.timestamp = input.at;
		return message;
	}

	private written({ from, text, name, media }: WaChatProIncoming): WaChatProMessage {
		const phone = String(from).replace(/\D/g, '');
		if (!/^\d{7,15}$/.test(phone))
			throw new Error('from must be a phone number with the country code');
		if (media) {
			const fileName = media.filename ?? (media.type === 'document' ? 'document.pdf' : undefined);
			const id = randomId(this.sandbox.random, 12, '0123456789abcdef');
			const mimetype = media.mimetype ?? defaultMimeType(media.type, media.ptt);
			const file = media.url
				? undefined
				: this.media.put(id, mimetype, media.data ? Buffer.from(media.data, 'base64') : undefined);
			const url = media.url ?? `${this.sandbox.baseUrl('wachatpro')}/media/${id}`;
			return this.store(
				{
					phone,
					fromMe: false,
					type: media.type,
					caption: media.caption,
					filename: fileName,
					url,
					mimetype,
					sha256: file?.sha256,
					...(media.ptt ? { ptt: true } : {}),
				},
				name,
			);
		}
		return this.store({ phone, fromMe: false, type: 'text', body: text ?? 'Halo' }, name);
	}

	/** Adds `count` contacts. */
	addContacts(count: number, firstPhone = 6281400000001): void {
		for (let i = 0; i < count; i++) {
			const phone = String(firstPhone + i);
			this.contacts.push({
				id: `${phone}@s.whatsapp.net`,
				phone,
				name: `Contact ${i + 1}`,
				labels: ['bulk'],
			});
		}
	}

	handle(ctx: HandlerContext): Reply {
		const mediaMatch = MEDIA_PATH.exec(ctx.path);
		// Served without the key, like a gateway's media links.
		if (ctx.method === 'GET' && mediaMatch) return this.media.serve(mediaMatch[1]);
		if (ctx.path === '/wa/sendfile') this.summariseFileRecord(ctx);
		if (ctx.method !== 'POST') return this.fail(405, `Method ${ctx.method} not allowed: use POST`);
		const body = ctx.body;
		if (body === null || typeof body !== 'object' || Array.isArray(body)) {
			return this.fail(400, 'Request body must be a JSON object');
		}
		const fields = body as Body;
		if (typeof fields.key !== 'string' || fields.key === '')
			return this.fail(401, 'key is required');
		if (fields.key !== this.sandbox.credentials.wachatpro.key) return this.fail(401, 'Invalid key');
		switch (ctx.path) {
			case '/wa/send':
				return this.send(fields);
			case '/wa/sendfile':
				return this.sendFile(fields);
			case '/wa/sendfileurl':
				return this.sendFileUrl(fields);
			case '/wa/chats':
				return this.list('chats', this.limited(fields, this.chatList()));
			case '/wa/messages':
				return this.listMessages(fields);
			case '/wa/contacts':
				return this.list('contacts', this.contacts);
			default:
				return this.fail(404, `Unknown endpoint ${ctx.path}`);
		}
	}

	private send(body: Body): Reply {
		const phoneError = this.checkPhone(body);
		if (phoneError) return phoneError;
		if (typeof body.body !== 'string' || body.body === '')
			return this.fail(400, 'body is required');
		const message = this.store({
			phone: body.phone as string,
			fromMe: true,
			type: 'text',
			body: body.body,
		});
		this.sandbox.accept({
			vendor: 'wachatpro',
			id: message.id,
			to: message.phone,
			type: 'text',
			content: body.body,
		});
		return this.ok(
			{ message: 'Message sent', data: { id: message.id, phone: message.phone, status: 'sent' } },
			body,
		);
	}

	private sendFile(body: Body): Reply {
		const phoneError = this.checkPhone(body);
		if (phoneError) return phoneError;
		const base64 = body.body;
		if (typeof base64 !== 'string' || base64 === '')
			return this.fail(400, 'body (the file as base64) is required');
		if (base64.length % 4 !== 0 || !BASE64.test(base64))
			return this.fail(400, 'body is not valid base64');
		if (typeof body.filename !== 'string' || body.filename.trim() === '')
			return this.fail(400, 'filename is required');
		if (body.caption !== undefined && typeof body.caption !== 'string')
			return this.fail(400, 'caption must be text');
		const bytes = Buffer.from(base64, 'base64');
		if (bytes.length === 0) return this.fail(400, 'The file is empty');
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		const phone = body.phone as string;
		const caption = body.caption as string | undefined;
		const message = this.store({
			phone,
			fromMe: true,
			type: 'file',
			filename: body.filename,
			caption,
			size: bytes.length,
			sha256,
		});
		this.files.push({
			id: message.id,
			phone,
			filename: body.filename,
			caption,
			size: bytes.length,
			sha256,
		});
		this.sandbox.accept({
			vendor: 'wachatpro',
			id: message.id,
			to: phone,
			type: 'file',
			content: sha256,
		});
		return this.ok(
			{
				message: 'File sent',
				data: { id: message.id, phone, filename: body.filename, size: bytes.length },
			},
			body,
		);
	}

	private sendFileUrl(body: Body): Reply {
		const phoneError = this.checkPhone(body);
		if (phoneError) return phoneError;
		let url: URL;
		try {
			url = new URL(String(body.url ?? ''));
		} catch {
			return this.fail(400, 'url is not a valid URL');
		}
		if (url.protocol !== 'http:' && url.protocol !== 'https:')
			return this.fail(400, 'url must be http or https');
		if (body.caption !== undefined && typeof body.caption !== 'string')
			return this.fail(400, 'caption must be text');
		const phone = body.phone as string;
		const caption = body.caption as string | undefined;
		const message = this.store({
			phone,
			fromMe: true,
			type: 'url',
			url: String(body.url),
			caption,
		});
		this.urls.push({ id: message.id, phone, url: String(body.url), caption });
		this.sandbox.accept({
			vendor: 'wachatpro',
			id: message.id,
			to: phone,
			type: 'url',
			content: String(body.url),
		});
		return this.ok(
			{ message: 'File sent', data: { id: message.id, phone, url: String(body.url) } },
			body,
		);
	}

	private listMessages(body: Body): Reply {
		if (typeof body.phone !== 'string' || !/^\d{7,15}$/.test(body.phone)) {
			return this.fail(400, 'phone must be digits with the country code');
		}
		const limitError = this.checkLimit(body);
		if (limitError) return limitError;
		if (this.refusedMessagePhones.has(body.phone))
			return this.fail(422, `Chat ${body.phone} cannot be read`);
		const newestFirst = [...(this.messages.get(body.phone) ?? [])].reverse();
		return this.list('messages', this.limited(body, newestFirst));
	}

	private limited<T>(body: Body, list: T[]): T[] | Reply {
		const limitError = this.checkLimit(body);
		if (limitError) return limitError;
		let limit = body.limit === undefined ? DEFAULT_LIMIT : Number(body.limit);
		if (this.maxLimit !== undefined) limit = Math.min(limit, this.maxLimit);
		return list.slice(0, limit);
	}

	private checkLimit(body: Body): Reply | undefined {
		if (body.limit === undefined) return undefined;
		const limit = Number(body.limit);
		if (!Number.isInteger(limit) || limit < 1)
			return this.fail(400, 'limit must be a whole number of at least 1');
		return undefined;
	}

	private list(name: 'chats' | 'messages' | 'contacts', list: unknown[] | Reply): Reply {
		if (!Array.isArray(list)) return list;
		switch (this.listShape) {
			case 'array':
				return json(200, list);
			case 'named':
				return json(200, { status: true, [name]: list });
			case 'dataNamed':
				return json(200, { status: true, data: { total: list.length, [name]: list } });
			case 'none':
				return json(200, { status: true, message: 'OK' });
			default:
				return json(200, { status: true, data: list });
		}
	}

	private checkPhone(body: Body): Reply | undefined {
		const phone = body.phone;
		if (typeof phone !== 'string' || !/^\d{7,15}$/.test(phone)) {
			return this.fail(400, 'phone must be digits with the country code, like 62812345678');
		}
		if (UNREGISTERED.test(phone)) {
			// A careless gateway echoes what it received, key included.
			const echo = shortened(body);
			return this.fail(422, `Number ${phone} is not registered on WhatsApp`, {
				request: echo,
				debug: `Rejected request ${JSON.stringify(echo)}`,
			});
		}
		return undefined;
	}

	private store(
		input: Omit<WaChatProMessage, 'id' | 'timestamp' | 'status'>,
		name?: string,
	): WaChatProMessage {
		this.clock += 1;
		const message: WaChatProMessage = {
			id: `3EB0${randomId(this.sandbox.random, 16, '0123456789ABCDEF')}`,
			...input,
			timestamp: this.clock,
			status: input.fromMe ? 'sent' : 'received',
		};
		for (const key of Object.keys(message) as Array<keyof WaChatProMessage>)
			if (message[key] === undefined) delete message[key];
		const thread = this.messages.get(input.phone) ?? [];
		thread.push(message);
		this.messages.set(input.phone, thread);
		const chat = this.chats.get(input.phone);
		this.chats.set(input.phone, {
			id: `${input.phone}@s.whatsapp.net`,
			phone: input.phone,
			name:
				name ??
				chat?.name ??
				this.contacts.find((c) => c.phone === input.phone)?.name ??
				input.phone,
			unreadCount: (chat?.unreadCount ?? 0) + (input.fromMe ? 0 : 1),
			lastMessage: input.body ?? input.caption ?? input.filename ?? input.url ?? '',
			timestamp: this.clock,
		});
		return message;
	}

	private chatList(): WaChatProChat[] {
		return [...this.chats.values()].sort((a, b) => b.timestamp - a.timestamp);
	}

	/** The record keeps a summary of the base64 file instead of the text itself (tens of MB per request). */
	private summariseFileRecord(ctx: HandlerContext): void {
		const body = ctx.record.body;
		if (body === null || typeof body !== 'object' || typeof (body as Body).body !== 'string')
			return;
		const base64 = (body as Body).body as string;
		const sha256 = createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
		ctx.record.body = { ...(body as Body), body: { base64Length: base64.length, sha256 } };
	}

	private ok(reply: Body, request: Body): Reply {
		return json(200, {
			status: true,
			...reply,
			...(this.echoRequests ? { request: shortened(request) } : {}),
		});
	}

	private fail(status: number, message: string, extra: Body = {}): Reply {
		return json(this.errorStyle === 'body' ? 200 : status, { status: false, message, ...extra });
	}
}

/** The request as echoed back: the whole of it but a file's base64, cut short. */
function shortened(body: Body): Body {
	return { ...body, body: typeof body.body === 'string' ? body.body.slice(0, 64) : body.body };
}
