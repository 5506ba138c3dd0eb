/**
 * The one HTTP path of the package. Every request of every node goes through `gatewayRequest`, which
 * - lets n8n apply the credential (`httpRequestWithAuthentication`), so auth is defined once per credential;
 * - reads the HTTP status and the vendor's in-body error code (Sobot reports errors in the body);
 * - turns every failure into a `GatewayError` that knows whether retrying is safe, with secrets scrubbed.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactText, redactValue, secretsOf } from './redact';

export type GatewayContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface GatewayService {
	/** Shown in error messages: "Sobot rejected the request ...". */
	displayName: string;
	credentialType: string;
	/** Used when a credential has no base URL (older credentials). */
	defaultBaseUrl: string;
	/** A vendor's way of saying a 2xx reply is really a failure (Sobot: `{"code":400}` in the body). */
	failureStatusInBody?: (body: unknown) => number | undefined;
}

export interface GatewayRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, starting with `/`. Absolute `http(s)` URLs (Sobot `next` links) pass as they are. */
	path: string;
	body?: IDataObject | IDataObject[] | unknown;
	qs?: IDataObject;
	headers?: IDataObject;
	timeoutMs?: number;
}

export interface GatewayResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/**
 * Whether a failed request may be sent again without risking a duplicate message:
 * - `safe`: the gateway certainly did not act on it (connection refused, 429, 502/503/504);
 * - `ambiguous`: it may have (timeout after sending, connection dropped mid-reply, 500);
 * - `never`: retrying cannot help (4xx validation, wrong credentials).
 */
export type RetrySafety = 'safe' | 'ambiguous' | 'never';

export interface GatewayErrorDetails {
	service: string;
	statusCode?: number;
	/** The vendor's reply, parsed when it was JSON, with secrets scrubbed. */
	body?: unknown;
	/** Node's network error code, e.g. ECONNREFUSED. */
	code?: string;
	retry: RetrySafety;
	retryAfterMs?: number;
}

/**
 * A failed gateway request, as n8n shows it (a NodeApiError built from scrubbed data only, never from the
 * HTTP client's error, whose config holds the request body and auth header) plus what the retry logic needs.
 */
export class GatewayError extends NodeApiError {
	constructor(
		node: INode,
		message: string,
		readonly details: GatewayErrorDetails,
	) {
		const httpCode = details.statusCode !== undefined ? String(details.statusCode) : undefined;
		super(
			node,
			// No `code` here: NodeApiError would swap our message for a generic one ("The service refused...").
			{ message, ...(httpCode ? { httpCode } : {}) },
			{
				message,
				httpCode,
				description:
					details.body !== undefined
						? `The gateway answered: ${JSON.stringify(details.body).slice(0, 1000)}`
						: undefined,
			},
		);
	}
}

const DEFAULT_TIMEOUT_MS = 60_000;
const NEVER_REACHED_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
const TIMEOUT_CODES = ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_CANCELED'];

export async function gatewayRequest(
	ctx: GatewayContext,
	service: GatewayService,
	request: GatewayRequest,
): Promise<GatewayResponse> {
	const credentials = await ctx.getCredentials(service.credentialType);
	const secrets = secretsOf(credentials);
	const baseUrl = String(credentials.baseUrl || service.defaultBaseUrl).replace(/\/+$/, '');
	const url = /^https?:\/\//i.test(request.path) ? request.path : baseUrl + request.path;

	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		headers: request.headers,
		body: request.body as IHttpRequestOptions['body'],
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};

	let raw: { statusCode: number; headers: IDataObject; body: unknown };
	try {
		raw = await ctx.helpers.httpRequestWithAuthentication.call(ctx, service.credentialType, options);
	} catch (error) {
		throw networkError(ctx.getNode(), service, error, secrets);
	}

	const body = parseBody(raw.body);
	const statusCode = raw.statusCode >= 400 ? raw.statusCode : (service.failureStatusInBody?.(body) ?? raw.statusCode);
	if (statusCode >= 400) throw httpError(ctx.getNode(), service, statusCode, raw.headers ?? {}, body, secrets);
	return { statusCode, headers: raw.headers ?? {}, body };
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text.startsWith('{') || text.startsWith('[')) {
		try {
			return JSON.parse(text);
		} catch {
			return body;
		}
	}
	return body;
}

/** The vendor's own words, from the shapes the three gateways use. */
export function vendorMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
	if (body === null || typeof body !== 'object') return undefined;
	const object = body as IDataObject;
	for (const field of ['message', 'messae', 'error', 'detail', 'msg', 'reason']) {
		const value = object[field];
		if (typeof value === 'string' && value.trim()) return value.trim();
		if (value && typeof value === 'object') {
			const inner = vendorMessage(value);
			if (inner) return inner;
		}
	}
	return undefined;
}

function httpError(
	node: INode,
	service: GatewayService,
	statusCode: number,
	headers: IDataObject,
	body: unknown,
	secrets: string[],
): GatewayError {
	const safeBody = redactValue(body, secrets);
	const said = vendorMessage(safeBody);
	const explanation =
		statusCode === 401 || statusCode === 403
			? 'the credentials were refused: check the key and secret in the credential'
			: statusCode === 429
				? 'too many requests: the gateway asks to slow down'
				: undefined;
	const message = `${service.displayName} rejected the request (HTTP ${statusCode})${said ? `: ${said}` : ''}${
		explanation && !said ? `: ${explanation}` : ''
	}`;
	const retry: RetrySafety =
		statusCode === 429 || statusCode === 502 || statusCode === 503 || statusCode === 504
			? 'safe'
			: statusCode >= 500
				? 'ambiguous'
				: 'never';
	return new GatewayError(node, redactText(message, secrets), {
		service: service.displayName,
		statusCode,
		body: safeBody,
		retry,
		retryAfterMs: retryAfterMs(headers['retry-after']),
	});
}

/** Plain words for network codes: NodeApiError replaces any message containing a raw code with a generic text. */
const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host name not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection closed while sending',
	ETIMEDOUT: 'no answer within the timeout',
	ECONNABORTED: 'no answer within the timeout',
	ESOCKETTIMEDOUT: 'no answer within the timeout',
	ERR_CANCELED: 'request cancelled',
};

function networkError(node: INode, service: GatewayService, error: unknown, secrets: string[]): GatewayError {
	const code = findCode(error);
	const retry: RetrySafety = code && NEVER_REACHED_CODES.includes(code) ? 'safe' : 'ambiguous';
	const what =
		code && TIMEOUT_CODES.includes(code)
			? 'did not answer in time'
			: retry === 'safe'
				? 'could not be reached'
				: 'dropped the connection';
	const words = (code && NETWORK_WORDS[code]) ?? 'network error';
	return new GatewayError(node, redactText(`${service.displayName} ${what} (${words})`, secrets), {
		service: service.displayName,
		code,
		retry,
	});
}

/** n8n wraps the network error (NodeApiError → axios error → socket error): look down the chain. */
function findCode(error: unknown): string | undefined {
	let level: unknown = error;
	for (let depth = 0; depth < 6 && level && typeof level === 'object'; depth++) {
		const { code, message } = level as { code?: unknown; message?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		if (typeof message === 'string') {
			const match = /\b(E[A-Z]{3,})\b/.exec(message);
			if (match) return match[1];
			if (/socket hang up/i.test(message)) return 'ECONNRESET';
			if (/timeout/i.test(message)) return 'ETIMEDOUT';
		}
		level = (level as { cause?: unknown }).cause;
	}
	return undefined;
}

/** `Retry-After` as seconds or an HTTP date. */
export function retryAfterMs(header: unknown): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
