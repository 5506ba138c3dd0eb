/**
 * What a vendor gateway (sandbox/vendors/) may use of the sandbox it runs in, and what the sandbox asks of a gateway.
 * The server implements the host and holds the gateways; the gateways know only this interface, not the server.
 */
import type { GatewayVendor, SandboxCredentials } from './credentials';
import type { HandlerContext, Reply, Vendor } from './http';
import type { WebhookSender } from './webhooks';

/** A message a gateway accepted for sending: what tests count to find duplicates. */
export interface AcceptedMessage {
	vendor: Vendor;
	id: string;
	to: string;
	type: string;
	/** What identifies the content, e.g. the text or the file's sha256. */
	content: string;
	at: string;
}

export interface VendorGateway {
	readonly vendor: Vendor;
	handle(ctx: HandlerContext): Promise<Reply> | Reply;
	reset(): void;
}

export interface GatewayHost {
	readonly credentials: SandboxCredentials;
	readonly webhooks: WebhookSender;
	/** The sandbox's seeded random source; a reset replaces it, so read it at each use. */
	readonly random: () => number;
	/** Records a message as accepted for sending. */
	accept(message: Omit<AcceptedMessage, 'at'>): AcceptedMessage;
	/** The gateway's base URL on this sandbox (for absolute links in replies and webhooks). */
	baseUrl(vendor: GatewayVendor): string;
}
