/**
 * The HTTP side of a trigger request: method, size, body parsing, and refusals written straight to the
 * response (n8n then starts no execution because the node returns `noWebhookResponse`).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/** What the triggers use of the express request n8n hands over; n8n's raw-body reader sets `rawBody`. */
interface WebhookRequest {
	method?: string;
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	rawBody?: Buffer;
}

interface WebhookResponse {
	status(code: number): WebhookResponse;
	setHeader(name: string, value: string): void;
	json(body: unknown): void;
}

export const ACCEPTED_METHOD = 'POST';

/** Answers the request now and tells n8n not to answer again and not to start the workflow. */
export function refuse(
	ctx: IWebhookFunctions,
	status: number,
	message: string,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	const res = ctx.getResponseObject() as unknown as WebhookResponse;
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	res.status(status).json({ message });
	return { noWebhookResponse: true };
}

/** Acknowledged with 200 but nothing to run: n8n answers with `webhookResponse` and starts no execution. */
export function acknowledge(reason: string, extra: IDataObject = {}): IWebhookResponseData {
	return { webhookResponse: { received: true, started: false, reason, ...extra } };
}

export function request(ctx: IWebhookFunctions): WebhookRequest {
	return ctx.getRequestObject() as unknown as WebhookRequest;
}

export function isAcceptedMethod(ctx: IWebhookFunctions): boolean {
	return (request(ctx).method ?? '').toUpperCase() === ACCEPTED_METHOD;
}

/** Body size in bytes: the raw body when n8n kept it, else the declared length, else the parsed body re-serialised. */
export function bodySize(ctx: IWebhookFunctions): number {
	const req = request(ctx);
	if (req.rawBody && typeof req.rawBody.length === 'number') return req.rawBody.length;
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared >= 0) return declared;
	const body = req.body;
	if (body === undefined) return 0;
	return Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

function isEmptyObject(value: unknown): boolean {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

export type ParsedBody = { ok: true; body: unknown } | { ok: false; problem: string };

/**
 * The JSON body. n8n parses `application/json` itself (and answers 422 to broken JSON before the node
 * runs); a vendor that sends JSON as text/plain or without a content type leaves a string or nothing
 * parsed, so the raw body is parsed here.
 */
export function parseJsonBody(ctx: IWebhookFunctions): ParsedBody {
	const req = request(ctx);
	let body: unknown = req.body;
	const rawText = req.rawBody && req.rawBody.length > 0 ? req.rawBody.toString('utf8') : undefined;
	// Depending on n8n's version and the content type, a body n8n did not parse is undefined, a Buffer or {}.
	const unparsed = body === undefined || Buffer.isBuffer(body) || isEmptyObject(body);
	if (unparsed && rawText !== undefined) body = rawText;
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') {
		const text = body.replace(/^\uFEFF/, '').trim();
		if (text === '') return { ok: false, problem: 'The request body is empty' };
		try {
			body = JSON.parse(text) as unknown;
		} catch {
			return { ok: false, problem: 'The request body is not JSON' };
		}
	}
	if (body === undefined || body === null) return { ok: false, problem: 'The request body is empty' };
	if (typeof body !== 'object') return { ok: false, problem: 'The request body is not a JSON object or array' };
	return { ok: true, body };
}
