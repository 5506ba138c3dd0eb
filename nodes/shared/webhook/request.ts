/**
 * The HTTP side of a trigger request: method, size, body parsing, and refusals written straight to the
 * response (n8n then starts no execution because the node returns `noWebhookResponse`).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { isObject } from '../http/replies';

/** What the triggers use of the express request n8n hands over; n8n's raw-body reader sets `rawBody`. */
interface WebhookRequest {
	method?: string;
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	rawBody?: Buffer;
	/** The media type n8n read from the Content-Type header. */
	contentType?: string;
	/** n8n's own reader of the body into `rawBody` (body-parser.js `rawBodyReader`): its size cap, gzip and deflate. */
	readRawBody?: () => Promise<void>;
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

/**
 * The answer to a request that starts an execution (the webhook's `responseData` is empty, so n8n sends this once
 * it has created the execution).
 */
export function started(events: number): IDataObject {
	return { received: true, started: true, events };
}

export function request(ctx: IWebhookFunctions): WebhookRequest {
	return ctx.getRequestObject() as unknown as WebhookRequest;
}

export function isAcceptedMethod(ctx: IWebhookFunctions): boolean {
	return (request(ctx).method ?? '').toUpperCase() === ACCEPTED_METHOD;
}

/**
 * n8n reads the body of a node of version 2 or later only when it can parse the media type (JSON, text, form, XML:
 * webhook-helpers `parseRequestBody`), so a gateway that posts JSON with no Content-Type, or another one, would
 * arrive unread. It is read here with n8n's own reader, as n8n reads it for version 1.
 */
export async function readUnparsedBody(ctx: IWebhookFunctions): Promise<void> {
	const req = request(ctx);
	if (req.rawBody !== undefined || req.body !== undefined) return;
	if (typeof req.readRawBody === 'function') await req.readRawBody();
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

export type ParsedBody = { ok: true; body: unknown } | { ok: false; problem: string };

/**
 * How deep a webhook body may nest. The vendors' bodies nest about 6 levels; n8n stores a much deeper body (it parses
 * 100,000 levels) as an execution it cannot read back, so anything deeper than this is refused before it gets there.
 */
export const MAX_JSON_DEPTH = 64;

/** The media type without parameters, lower case: n8n's own reading when it made one, else the header's. */
function mediaType(req: WebhookRequest): string | undefined {
	const declared = req.contentType ?? req.headers['content-type'];
	const text = Array.isArray(declared) ? declared[0] : declared;
	const type = text?.split(';')[0].trim().toLowerCase();
	return type === '' ? undefined : type;
}

/** Bodies n8n turns into objects although they are not JSON. */
function isFormOrXml(type: string | undefined): boolean {
	return (
		type !== undefined &&
		(type === 'application/x-www-form-urlencoded' ||
			type.startsWith('multipart/') ||
			type.endsWith('/xml') ||
			type.endsWith('+xml'))
	);
}

function notJson(type: string | undefined): string {
	return `The request body is not JSON${type ? ` (Content-Type ${type})` : ''}: the gateway must post JSON`;
}

/** Whether JSON text opens more than `max` objects or arrays inside each other; a scan, so any depth is safe. */
export function jsonTextDeeperThan(text: string, max: number): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c) i++;
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x7b || c === 0x5b) {
			if (++depth > max) return true;
		} else if (c === 0x7d || c === 0x5d) depth--;
	}
	return false;
}

/** The same for a value already parsed, walked without recursion. */
export function valueDeeperThan(value: unknown, max: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [current, depth] = stack.pop() as [unknown, number];
		if (current === null || typeof current !== 'object') continue;
		if (depth > max) return true;
		for (const child of Object.values(current)) stack.push([child, depth + 1]);
	}
	return false;
}

/**
 * The JSON body, judged by the bytes that came: n8n keeps them as `rawBody` and, depending on the Content-Type, has
 * also made an object of them, from JSON (answering 422 to broken JSON before the node runs) but also from a
 * form-encoded or XML body, which must not pass as a webhook. A vendor that sends JSON as text/plain or without a
 * Content-Type is read from the raw body too. Bodies nested deeper than MAX_JSON_DEPTH are refused.
 */
export function parseJsonBody(ctx: IWebhookFunctions): ParsedBody {
	const req = request(ctx);
	const type = mediaType(req);
	if (type?.startsWith('multipart/')) return { ok: false, problem: notJson(type) };
	let text: string | undefined;
	if (req.rawBody && req.rawBody.length > 0) text = req.rawBody.toString('utf8');
	else if (typeof req.body === 'string') text = req.body;
	else if (Buffer.isBuffer(req.body)) text = req.body.toString('utf8');

	let body: unknown;
	if (text !== undefined) {
		text = text.replace(/^\uFEFF/, '').trim();
		if (text === '') return { ok: false, problem: 'The request body is empty' };
		if (jsonTextDeeperThan(text, MAX_JSON_DEPTH)) return { ok: false, problem: tooDeep() };
		if (
			type === 'application/json' &&
			req.body !== null &&
			typeof req.body === 'object' &&
			!Buffer.isBuffer(req.body)
		) {
			body = req.body; // n8n parsed these very bytes already
		} else {
			try {
				body = JSON.parse(text) as unknown;
			} catch {
				return { ok: false, problem: notJson(type) };
			}
		}
	} else {
		// No bytes kept (an n8n that does not keep the raw body): only an object n8n made from JSON is taken.
		body = req.body;
		if (isFormOrXml(type)) return { ok: false, problem: notJson(type) };
		if (isEmptyObject(body)) body = undefined;
		if (valueDeeperThan(body, MAX_JSON_DEPTH)) return { ok: false, problem: tooDeep() };
	}
	if (body === undefined || body === null)
		return { ok: false, problem: 'The request body is empty' };
	if (typeof body !== 'object')
		return { ok: false, problem: 'The request body is not a JSON object or array' };
	return { ok: true, body };
}

function tooDeep(): string {
	return `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`;
}

function isEmptyObject(value: unknown): boolean {
	return isObject(value) && Object.keys(value).length === 0;
}
