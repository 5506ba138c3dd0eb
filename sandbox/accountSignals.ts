/**
 * Account-level fault modes: the sender itself cannot send any more (banned, restricted, logged out, disconnected,
 * credential refused, rate limited for an hour), from now or after N accepted messages of that vendor, until cleared
 * ("unban"). Each vendor refuses in the shape it plausibly would (docs/vendors.md, "Account-level refusals"):
 * - Profilora: HTTP 4xx with `{"message": ...}` naming the agent (its only documented error field is `message`);
 * - WAChatPro: `{"status": false, "message": ...}`, as HTTP 4xx or, with errorStyle "body", HTTP 200;
 * - Sobot: `{"message": ..., "code": <status>}`, Meta's error under `error` where Meta has one.
 * Driven by `POST /__admin/account {vendor, signal, afterMessages?}` (`signal: "none"` clears it).
 */
import type { GatewayVendor } from './credentials';
import type { Reply } from './http';
import { json } from './http';

export type AccountSignalKind =
	| 'banned'
	| 'restricted'
	| 'loggedOut'
	| 'disconnected'
	| 'unauthorized'
	| 'rateLimited';

export const ACCOUNT_SIGNAL_KINDS: AccountSignalKind[] = [
	'banned',
	'restricted',
	'loggedOut',
	'disconnected',
	'unauthorized',
	'rateLimited',
];

export interface AccountSignalConfig {
	vendor: GatewayVendor;
	signal: AccountSignalKind | 'none';
	/** Messages of this vendor accepted before the signal starts (0: at once). */
	afterMessages?: number;
	/** For WAChatPro: HTTP 200 with `status: false` instead of an HTTP error. */
	inBody?: boolean;
}

interface ActiveSignal {
	signal: AccountSignalKind;
	afterMessages: number;
	accepted: number;
	inBody: boolean;
	/** Requests refused since the signal started. */
	refused: number;
}

/** The send paths of each vendor: a signal other than a refused credential refuses only these. */
const SEND_PATHS: Record<GatewayVendor, RegExp> = {
	profilora: /^\/whatsapp\/send-message$/,
	wachatpro: /^\/wa\/send(file|fileurl)?$/,
	sobot: /^\/message\/?$/,
};

const RATE_LIMIT_RETRY_AFTER_S = 3600;

export class AccountSignals {
	private readonly active = new Map<GatewayVendor, ActiveSignal>();

	configure(config: AccountSignalConfig): Record<string, unknown> {
		if (!['profilora', 'wachatpro', 'sobot'].includes(config.vendor))
			throw new Error('vendor must be "profilora", "wachatpro" or "sobot"');
		if (config.signal === 'none') {
			this.active.delete(config.vendor);
			return this.snapshot();
		}
		if (!ACCOUNT_SIGNAL_KINDS.includes(config.signal))
			throw new Error(`signal must be one of ${ACCOUNT_SIGNAL_KINDS.join(', ')} or "none"`);
		const after = config.afterMessages ?? 0;
		if (!Number.isInteger(after) || after < 0)
			throw new Error('afterMessages must be a whole number');
		this.active.set(config.vendor, {
			signal: config.signal,
			afterMessages: after,
			accepted: 0,
			inBody: config.inBody === true,
			refused: 0,
		});
		return this.snapshot();
	}

	reset(): void {
		this.active.clear();
	}

	snapshot(): Record<string, unknown> {
		return Object.fromEntries(this.active);
	}

	/** A message of `vendor` was accepted: counts towards "after N messages". */
	accepted(vendor: string): void {
		const active = this.active.get(vendor as GatewayVendor);
		if (active) active.accepted++;
	}

	/** The refusal for this request, or undefined when the account can send. */
	refusal(vendor: string, path: string, body: unknown): Reply | undefined {
		const active = this.active.get(vendor as GatewayVendor);
		if (!active || active.accepted < active.afterMessages) return undefined;
		const gateway = vendor as GatewayVendor;
		if (active.signal !== 'unauthorized' && !SEND_PATHS[gateway].test(path)) return undefined;
		active.refused++;
		const sender = senderOf(gateway, body);
		switch (gateway) {
			case 'profilora':
				return profiloraRefusal(active.signal, sender);
			case 'wachatpro':
				return waChatProRefusal(active.signal, active.inBody);
			default:
				return sobotRefusal(active.signal);
		}
	}
}

function senderOf(vendor: GatewayVendor, body: unknown): string {
	if (vendor !== 'profilora' || body === null || typeof body !== 'object') return 'the agent';
	const sender = (body as Record<string, unknown>).sender;
	return typeof sender === 'string' ? `Agent ${sender}` : 'the agent';
}

function rateLimited(body: Record<string, unknown>): Reply {
	return json(429, body, { 'retry-after': String(RATE_LIMIT_RETRY_AFTER_S) });
}

function profiloraRefusal(signal: AccountSignalKind, sender: string): Reply {
	switch (signal) {
		case 'banned':
			return json(403, { message: `${sender} is banned by WhatsApp and cannot send messages` });
		case 'restricted':
			return json(403, {
				message: `${sender} is restricted by WhatsApp from sending messages for 24 hours`,
			});
		case 'loggedOut':
			return json(400, {
				message: `${sender} is logged out: scan the QR code again in the dashboard`,
			});
		case 'disconnected':
			return json(400, { message: `${sender} is not connected` });
		case 'unauthorized':
			return json(401, { message: 'Unauthorized: invalid API key or secret' });
		default:
			return rateLimited({ message: 'Too many requests: sending limit reached' });
	}
}

function waChatProRefusal(signal: AccountSignalKind, inBody: boolean): Reply {
	const fail = (status: number, message: string) =>
		json(inBody ? 200 : status, { status: false, message });
	switch (signal) {
		case 'banned':
			return fail(403, 'Nomor WhatsApp diblokir (banned): this number cannot send');
		case 'restricted':
			return fail(403, 'Account restricted: sending is blocked by WhatsApp for now');
		case 'loggedOut':
			return fail(400, 'Device logged out, scan the QR code again');
		case 'disconnected':
			return fail(400, 'Instance stopped: make sure the instance is running');
		case 'unauthorized':
			return fail(401, 'Invalid key');
		default:
			return rateLimited({ status: false, message: 'Too many requests' });
	}
}

function sobotRefusal(signal: AccountSignalKind): Reply {
	switch (signal) {
		case 'banned':
			return json(403, {
				message: 'Your WhatsApp Business account is banned: messages cannot be sent',
				code: 403,
				error: { code: 131031, message: 'Business Account locked' },
			});
		case 'restricted':
			return json(403, {
				message: 'Your WhatsApp Business account is restricted from sending messages',
				code: 403,
				error: { code: 368, message: 'Temporarily blocked for policies violations' },
			});
		case 'loggedOut':
		case 'disconnected':
			return json(400, {
				message: 'The WhatsApp Business number is disconnected from Sobot: connect it again',
				code: 400,
			});
		case 'unauthorized':
			return json(401, { message: 'Invalid API key or secret', code: 401 });
		default:
			return rateLimited({ message: 'Too many requests', code: 429 });
	}
}
