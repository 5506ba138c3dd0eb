/**
 * The one HTTP path of the package. Every request of every node goes through `gatewayRequest`, which
 * - lets n8n apply the credential (`httpRequestWithAuthentication`), so auth is defined once per credential,
 *   and reads (decrypts) that credential once per node run instead of twice per request;
 * - reads the HTTP status and the vendor's in-body error code (Sobot reports errors in the body);
 * - turns every failure into a `GatewayError` that knows whether retrying is safe, with secrets scrubbed.
 */
import type {
	ICredentialDataDecryptedObject,
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
import { isObject } from './replies';

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
 * - `safe`: the gateway certainly did not act on it (no connection made, 408, 429, 502/503/504);
 * - `ambiguous`: it may have (timeout after sending, connection reset or dropped mid-reply, 500);
 * - `never`: retrying cannot help (4xx validation, wrong credentials, cancelled execution).
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
/** No connection was ever made, so no byte of the request reached the gateway. */
const NEVER_REACHED_CODES = [
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
];
/**
 * The request went out (or may have) and the answer was lost. A reset looks the same on the wire whether the
 * gateway closed the socket before reading the request or after sending the message, so it cannot count as safe.
 */
const LOST_REPLY_CODES = ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT'];
const TIMEOUT_CODES = ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT'];
/** Axios' code when n8n aborts the request because the user stopped the execution. */
const CANCELLED_CODE = 'ERR_CANCELED';

/** A node run's view of its credential: read once, used by every request of the run. */
export interface RunCredential {
	id: string;
	name: string;
	data: ICredentialDataDecryptedObject;
	/** Without a trailing slash. */
	baseUrl: string;
	/** The values to scrub from anything a reply or an error could echo. */
	secrets: string[];
}

/**
 * Credentials per context object. n8n gives each node run (and each loadOptions call, each webhook request)
 * a context of its own, so an entry lives exactly as long as one run. Without this, every request read the
 * credential twice (our base URL and secrets, then n8n's helper again), each a database query and a decryption.
 * A credential edited during a long paced run takes effect at the next run, as with n8n's built-in nodes.
 */
const runCredentials = new WeakMap<object, Map<string, Promise<RunCredential>>>();

export async function gatewayCredential(
	ctx: GatewayContext,
	service: GatewayService,
): Promise<RunCredential> {
	let byType = runCredentials.get(ctx);
	if (!byType) {
		byType = new Map();
		runCredentials.set(ctx, byType);
	}
	const type = service.credentialType;
	let pending = byType.get(type);
	if (!pending) {
		const entries = byType;
		// A failed read is not kept: the next request asks n8n again (and gets n8n's own error again).
		pending = readCredential(ctx, service).then(undefined, (error: unknown) => {
			entries.delete(type);
			throw error;
		});
		entries.set(type, pending);
	}
	return await pending;
}

async function readCredential(
	ctx: GatewayContext,
	service: GatewayService,
): Promise<RunCredential> {
	const data = await ctx.getCredentials(service.credentialType);
	const reference = ctx.getNode().credentials?.[service.credentialType];
	return {
		id: String(reference?.id ?? ''),
		name: reference?.name ?? service.credentialType,
		data,
		baseUrl: String(data.baseUrl || service.defaultBaseUrl).replace(/\/+$/, ''),
		secrets: secretsOf(data),
	};
}

export async function gatewayRequest(
	ctx: GatewayContext,
	service: GatewayService,
	request: GatewayRequest,
): Promise<GatewayResponse> {
	const credential = await gatewayCredential(ctx, service);
	const { baseUrl, secrets } = credential;
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
		// A followed redirect would send the credential (Basic auth, key headers, WAChatPro's key in the body) to
		// wherever the gateway points; a 3xx is reported instead, naming its target.
		disableFollowRedirect: true,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};

	let raw: { statusCode: number; headers: IDataObject; body: unknown };
	try {
		// One call is one request: n8n-core 2.41 and @n8n/backend-network do not retry (their only re-send follows a
		// 401 for credentials with a preAuthentication step, which none here have, and HTTP errors are not thrown
		// here anyway). So `withRetries` is the only place a message is sent again, and `attempts` is exact.
		// n8n applies the credential's `authenticate` to the data given here instead of reading it again.
		raw = await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			service.credentialType,
			options,
			{
				credentialsDecrypted: {
					id: credential.id,
					name: credential.name,
					type: service.credentialType,
					data: credential.data,
				},
			},
		);
	} catch (error) {
		throw networkError(ctx.getNode(), service, error, secrets);
	}

	const body = parseBody(raw.body);
	const headers = raw.headers ?? {};
	if (raw.statusCode >= 300 && raw.statusCode < 400)
		throw redirectError(ctx.getNode(), service, request.path, raw.statusCode, headers, secrets);
	const statusCode =
		raw.statusCode >= 400
			? raw.statusCode
			: (service.failureStatusInBody?.(body) ?? raw.statusCode);
	if (statusCode >= 400)
		throw httpError(
			ctx.getNode(),
			service,
			statusCode,
			headers,
			body,
			secrets,
			raw.statusCode < 400 ? raw.statusCode : undefined,
		);
	// A gateway that echoes its request would otherwise put the secret into the output items.
	return { statusCode, headers, body: redactValue(body, secrets) };
}

function redirectError(
	node: INode,
	service: GatewayService,
	path: string,
	statusCode: number,
	headers: IDataObject,
	secrets: string[],
): GatewayError {
	const location = typeof headers.location === 'string' ? headers.location : 'another address';
	const message = `${service.displayName} answered ${path} with a redirect (HTTP ${statusCode}) to ${location}: put the address it redirects to into the credential's Base URL`;
	return new GatewayError(node, redactText(message, secrets), {
		service: service.displayName,
		statusCode,
		retry: 'never',
	});
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
	/** The HTTP status when it said success and the error code came in the body (Sobot answers 200 with `code: 400`). */
	httpStatusOfBodyError?: number,
): GatewayError {
	const safeBody = redactValue(body, secrets);
	const said = vendorMessage(safeBody);
	const explanation =
		statusCode === 401 || statusCode === 403
			? 'the credentials were refused: check the key and secret in the credential'
			: statusCode === 429
				? 'too many requests: the gateway asks to slow down'
				: undefined;
	// Not "HTTP 400" when the HTTP status said success: the error came in the body (Sobot's `code`, WAChatPro's `status: false`).
	const bodyCode = isObject(safeBody) ? Number(safeBody.code) : NaN;
	const where =
		httpStatusOfBodyError === undefined
			? `HTTP ${statusCode}`
			: `HTTP ${httpStatusOfBodyError}, ${bodyCode === statusCode ? `error code ${statusCode}` : 'a failure'} in the body`;
	const message = `${service.displayName} rejected the request (${where})${said ? `: ${said}` : ''}${
		explanation && !said ? `: ${explanation}` : ''
	}`;
	return new GatewayError(node, redactText(message, secrets), {
		service: service.displayName,
		statusCode,
		body: safeBody,
		retry: retrySafetyOfStatus(statusCode),
		retryAfterMs: retryAfterMs(headers['retry-after']),
	});
}

/**
 * 408, 429 and 502/503/504 say the gateway did not act on the request (it was throttled, or a proxy in front
 * of it could not hand it on); any other 5xx may come after the message was queued.
 */
export function retrySafetyOfStatus(statusCode: number): RetrySafety {
	if ([408, 429, 502, 503, 504].includes(statusCode)) return 'safe';
	return statusCode >= 500 ? 'ambiguous' : 'never';
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
	ENETDOWN: 'network down',
};

/** Whether a failure without an HTTP answer may be retried, from the network code found under n8n's wrapping. */
export function retrySafetyOfCode(code: string | undefined): RetrySafety {
	if (code && NEVER_REACHED_CODES.includes(code)) return 'safe';
	if (code && LOST_REPLY_CODES.includes(code)) return 'ambiguous';
	// Cancelled by the user, or not a network failure at all (bad URL, blocked host): retrying cannot help.
	return 'never';
}

function networkError(
	node: INode,
	service: GatewayService,
	error: unknown,
	secrets: string[],
): GatewayError {
	const code = findCode(error);
	const retry = retrySafetyOfCode(code);
	let text: string;
	if (code === CANCELLED_CODE)
		text = `${service.displayName} request cancelled (the execution was stopped)`;
	else if (code && TIMEOUT_CODES.includes(code))
		text = `${service.displayName} did not answer in time (${NETWORK_WORDS[code]})`;
	else if (retry === 'safe')
		text = `${service.displayName} could not be reached (${NETWORK_WORDS[code as string] ?? code})`;
	else if (retry === 'ambiguous')
		text = `${service.displayName} dropped the connection (${NETWORK_WORDS[code as string]})`;
	else
		text = `${service.displayName} request failed (${code ? (NETWORK_WORDS[code] ?? code) : errorText(error)})`;
	return new GatewayError(node, redactText(text, secrets), {
		service: service.displayName,
		code,
		retry,
	});
}

function errorText(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.slice(0, 300) || 'unknown error';
}

/**
 * n8n wraps the network error (NodeApiError → axios error → socket error). Codes are looked for down the
 * whole chain before any message, because n8n's outer message is a paraphrase that may mention "timeout".
 */
export function findCode(error: unknown): string | undefined {
	const chain: object[] = [];
	for (let level: unknown = error; chain.length < 6 && level && typeof level === 'object'; ) {
		chain.push(level);
		level = (level as { cause?: unknown }).cause;
	}
	for (const level of chain) {
		const { code } = level as { code?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
	}
	for (const level of chain) {
		const { message } = level as { message?: unknown };
		if (typeof message !== 'string') continue;
		const match =
			/\b(E(?:CONN[A-Z]+|PIPE|TIMEDOUT|NOTFOUND|AI_AGAIN|HOSTUNREACH|NET[A-Z]+|SOCKETTIMEDOUT))\b/.exec(
				message,
			);
		if (match) return match[1];
		if (/socket hang up/i.test(message)) return 'ECONNRESET';
		if (/timeout of \d+ms exceeded/i.test(message)) return 'ECONNABORTED';
	}
	return undefined;
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110); anything else is ignored rather than read as 0. */
export function retryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
	const value = String(Array.isArray(header) ? header[0] : (header ?? '')).trim();
	if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
	if (!/[a-z]/i.test(value)) return undefined;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
