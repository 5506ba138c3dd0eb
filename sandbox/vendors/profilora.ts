/**
 * Profilora as documented (docs/vendors.md): Basic auth, GET /ping, POST /whatsapp/send-message.
 * Webhooks use the `waData` shape seen in public client code; where `eventId` sits is configurable
 * (`eventIdPlacement`) because the vendor does not document it.
 */
import type { HandlerContext, Reply } from '../http';
import { json } from '../http';
import { randomId } from '../random';
import type { GatewayHost, VendorGateway } from '../host';

export interface ProfiloraIncoming {
	from: string;
	text?: string;
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

	constructor(private readonly sandbox: GatewayHost) {}

	reset(): void {
		this.sent = [];
		this.eventIdPlacement = 'top';
	}

	snapshot() {
		return { sent: this.sent, agents: this.sandbox.credentials.profilora.agents };
	}

	handle(ctx: HandlerContext): Reply {
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
	async incoming({ from, text = 'Hello', to }: ProfiloraIncoming) {
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
					message: { conversation: text },
				},
				timestamp: Math.floor(Date.now() / 1000),
			},
		};
		return await this.sandbox.webhooks.post('profilora', payload);
	}
}
