/**
 * Profilora as documented (docs/vendors.md): Basic auth, GET /ping, POST /whatsapp/send-message.
 * Webhooks use the `waData` shape seen in public client code; where `eventId` sits is configurable
 * (`eventIdPlacement`) because the vendor does not document it.
 */
import type { HandlerContext, Reply } from '../http';
import { json } from '../http';
import { randomId } from '../random';
import type { GatewayHost, VendorGateway } from '../host';
import { MEDIA_PATH, MediaShelf, defaultMimeType } from '../media';

export interface ProfiloraIncoming {
	from: string;
	text?: string;
	/**
	 * A file, as a Baileys media message (`imageMessage`, `audioMessage` with `ptt` for a voice note,
	 * `documentMessage`…) whose `url` the sandbox serves at /profilora/media/<id> unless given.
	 */
	media?: {
		type: 'image' | 'video' | 'audio' | 'document';
		url?: string;
		mimetype?: string;
		caption?: string;
		fileName?: string;
		ptt?: boolean;
		/** The file's bytes as base64, when a test wants to recognise what it downloads. */
		data?: string;
	};
	/** Which agent receives it; the first agent by default. */
	to?: string;
}

export type EventIdPlacement = 'top' | 'waData' | 'both';

const STATUS_TYPES: Record<string, string> = {
	sent: 'MESSAGE_SENT',
	delivered: 'MESSAGE_DELIVERED',
	read: 'MESSAGE_READ',
	failed: 'MESSAGE_FAILED',
};

interface SentMessage {
	eventId: string;
	sender: string;
	to: string;
	message: string;
}

export class ProfiloraGateway implements VendorGateway {
	readonly vendor = 'profilora' as const;

	sent: SentMessage[] = [];

	eventIdPlacement: EventIdPlacement = 'top';

	/** What customers sent, served at GET /profilora/media/<id>. */
	media = new MediaShelf();

	constructor(private readonly sandbox: GatewayHost) {}

	reset(): void {
		this.sent = [];
		this.eventIdPlacement = 'top';
		this.media = new MediaShelf();
	}

	snapshot() {
		return {
			sent: this.sent,
			agents: this.sandbox.credentials.profilora.agents,
			media: this.media.list(),
		};
	}

	handle(ctx: HandlerContext): Reply {
		const mediaMatch = MEDIA_PATH.exec(ctx.path);
		// Served without keys, like a media link in a webhook.
		if (ctx.method === 'GET' && mediaMatch) return this.media.serve(mediaMatch[1]);
		if (!this.authorised(ctx))
			return json(401, { message: 'Unauthorized: invalid API key or secret' });
		const route = `${ctx.method} ${ctx.path}`;
		if (route === 'GET /ping') return json(200, { status: 'ok' });
		if (route === 'POST /whatsapp/send-message') return this.sendMessage(ctx);
		return json(404, { message: `Cannot ${ctx.method} ${ctx.path}` });
	}

	private authorised(ctx: HandlerContext): boolean {
		const header = ctx.headers.authorization ?? '';
		const match = /^Basic\s+(.+)$/i.exec(header);
		if (!match) return false;
		const decoded = Buffer.from(match[1], 'base64').toString('utf8');
		const { apiKey, apiSecret } = this.sandbox.credentials.profilora;
		return decoded === `${apiKey}:${apiSecret}`;
	}

	private sendMessage(ctx: HandlerContext): Reply {
		const body = (ctx.body ?? {}) as Record<string, unknown>;
		for (const field of ['sender', 'to', 'message']) {
			if (typeof body[field] !== 'string' || (body[field] as string).trim() === '') {
				return json(400, { message: `"${field}" is required` });
			}
		}
		const sender = body.sender as string;
		const to = body.to as string;
		if (!this.sandbox.credentials.profilora.agents.includes(sender)) {
			return json(400, { message: `Sender ${sender} is not an active agent of this account` });
		}
		if (!/^(\d{7,15}@s\.whatsapp\.net|[\d-]+@g\.us|\d+@lid)$/.test(to)) {
			return json(400, { message: `Invalid recipient JID: ${to}` });
		}
		const eventId = randomId(this.sandbox.random, 21);
		const message = { eventId, sender, to, message: body.message as string };
		this.sent.push(message);
		this.sandbox.accept({
			vendor: 'profilora',
			id: eventId,
			to,
			type: 'text',
			content: message.message,
		});
		// Numbers ending in 999 fail after being sent, so triggers can be tested with a failure.
		const statuses = to.startsWith('999', to.indexOf('@') - 3)
			? ['sent', 'failed']
			: ['sent', 'delivered', 'read'];
		this.sandbox.webhooks.schedule(
			'profilora',
			statuses.map((status) => this.statusPayload(message, status)),
		);
		return json(200, { eventId, message: 'Message will be processed' });
	}

	statusPayload(
		message: Pick<SentMessage, 'eventId' | 'to' | 'message'>,
		status: string,
	): Record<string, unknown> {
		const waData: Record<string, unknown> = {
			type: STATUS_TYPES[status] ?? status.toUpperCase(),
			waInfo: { fromMe: true, peer: message.to, message: { conversation: message.message } },
			timestamp: Math.floor(Date.now() / 1000),
		};
		const payload: Record<string, unknown> = { waData };
		if (this.eventIdPlacement !== 'waData') payload.eventId = message.eventId;
		if (this.eventIdPlacement !== 'top') waData.eventId = message.eventId;
		return payload;
	}

	/** Posts one status webhook for a sent message now. */
	async status(eventId: string, status: string) {
		const message = this.sent.find((m) => m.eventId === eventId) ?? {
			eventId,
			to: '',
			message: '',
		};
		return await this.sandbox.webhooks.post('profilora', this.statusPayload(message, status));
	}

	/** A customer writes to one of the agents. */
	async incoming({ from, text = 'Hello', to, media }: ProfiloraIncoming) {
		const peer = from.includes('@') ? from : `${from}@s.whatsapp.net`;
		const payload = {
			waData: {
				type: 'MESSAGE_RECEIVED',
				eventId: randomId(this.sandbox.random, 21),
				waInfo: {
					fromMe: false,
					peer,
					agent: to ?? this.sandbox.credentials.profilora.agents[0],
					pushName: 'Sandbox Customer',
					message: media ? this.mediaMessage(media) : { conversation: text },
				},
				timestamp: Math.floor(Date.now() / 1000),
			},
		};
		return await this.sandbox.webhooks.post('profilora', payload);
	}

	private mediaMessage(media: NonNullable<ProfiloraIncoming['media']>): Record<string, unknown> {
		const mimetype = media.mimetype ?? defaultMimeType(media.type, media.ptt);
		const id = randomId(this.sandbox.random, 16, '0123456789abcdef');
		const file = media.url
			? undefined
			: this.media.put(id, mimetype, media.data ? Buffer.from(media.data, 'base64') : undefined);
		const content: Record<string, unknown> = {
			url: media.url ?? `${this.sandbox.baseUrl('profilora')}/media/${id}`,
			mimetype,
		};
		// Baileys carries the digest in base64.
		if (file) content.fileSha256 = Buffer.from(file.sha256, 'hex').toString('base64');
		if (media.caption) content.caption = media.caption;
		if (media.ptt) content.ptt = true;
		if (media.type === 'document') content.fileName = media.fileName ?? `document-${id}.pdf`;
		return { [`${media.type}Message`]: content };
	}
}
