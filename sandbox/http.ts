/** The sandbox's small HTTP toolkit: body reading with a cap, JSON replies, and the request record. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Vendor = 'profilora' | 'wachatpro' | 'sobot' | 'admin' | 'unknown';

export interface RecordedRequest {
	id: number;
	at: string;
	vendor: Vendor;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	/** Parsed JSON when it was JSON; vendors may replace large fields with a summary. */
	body: unknown;
	/** Size of the raw body in bytes. */
	bodyBytes: number;
	status?: number;
	/** The fault injected into this request, if any. */
	fault?: string;
	/**
	 * The client closed the connection before the reply was complete (its own timeout, usually on a busy machine):
	 * like an injected timeout, the client cannot know whether the gateway acted on the request.
	 */
	clientGone?: boolean;
}

export interface HandlerContext {
	req: IncomingMessage;
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	body: unknown;
	rawBody: Buffer;
	record: RecordedRequest;
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
	return { status, body, headers };
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limitBytes) throw new BodyTooLarge(`body over ${limitBytes} bytes`);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

export function parseJson(raw: Buffer, contentType: string | undefined): unknown {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	if (contentType?.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(text));
	}
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export function send(res: ServerResponse, reply: Reply): void {
	if (Buffer.isBuffer(reply.body)) {
		// Files (media downloads) go out as they are, not as JSON.
		res.writeHead(reply.status, {
			'content-type': 'application/octet-stream',
			'content-length': reply.body.length,
			...reply.headers,
		});
		res.end(reply.body);
		return;
	}
	const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
	res.writeHead(reply.status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(payload),
		...reply.headers,
	});
	res.end(payload);
}
