/**
 * Replies that mean the sender itself cannot send, so every further message would fail the same way (and, for a
 * banned or restricted number, sending on makes it worse): the run stops at once and the rest comes back "not sent".
 *
 * Which replies mean what (docs/vendors.md, "Account-level refusals"): HTTP 401 and 403 are documented by Sobot
 * (wrong keys) and are what every gateway answers refused credentials with; 429 after the retries ran out is a rate
 * limit beyond what waiting in this run can fix. Profilora and WAChatPro document no error bodies, so their words are
 * matched tolerantly, in the status text and the body, English and Indonesian: logged out, disconnected, not
 * connected, banned, blocked or restricted (of the account, number, device or instance), instance stopped or not
 * running. Sobot relays Meta's errors; Meta's account-level codes are matched too (inferred: Sobot documents none).
 * A false alarm costs a re-run under the same Campaign ID / Resume Key; missing a ban costs the number.
 */
import { GatewayError, vendorMessage } from '../http/transport';

export type AccountSignalKind = 'credentials' | 'disconnected' | 'banned' | 'rateLimited';

export interface AccountSignal {
	kind: AccountSignalKind;
	/** What to tell the user, with the gateway's own words. */
	reason: string;
}

const KIND_TEXT: Record<AccountSignalKind, string> = {
	credentials: 'the credential was refused',
	disconnected: 'the sending number is disconnected or logged out',
	banned: 'the sending number is banned or restricted',
	rateLimited: 'the account is rate limited beyond the retries',
};

const FIXES: Record<AccountSignalKind, string> = {
	credentials: 'check the API keys in the credential',
	disconnected: "reconnect the number in the gateway's dashboard (scan the QR code again)",
	banned: "check the number's state with the gateway and WhatsApp",
	rateLimited: 'wait, and lower the pace in Sending Options',
};

const DISCONNECTED =
	/\blogged[\s_-]?out\b|\blog[\s_-]?out\b|\bdis-?connected\b|\bnot[\s_-]+connected\b|\bno[\s_-]+(?:active[\s_-]+)?session\b|\bscan[\s_-]+(?:the[\s_-]+)?qr\b|\binstance\b[^!?\n]{0,60}\b(?:stopped|not[\s_-]+running|offline|inactive|not[\s_-]+active|expired|paused)\b|\b(?:device|phone|agent|sender|whatsapp)\b[^!?\n]{0,60}\b(?:offline|not[\s_-]+(?:an[\s_-]+)?active|inactive|not[\s_-]+online)\b|\bterputus\b|\btidak[\s_-]+terhubung\b|\bbelum[\s_-]+terhubung\b|\bperangkat[^!?\n]{0,30}\bkeluar\b|\binstance[^!?\n]{0,30}\b(?:mati|tidak[\s_-]+berjalan)\b/i;

const BANNED =
	/\bbann?ed\b|\bsuspended\b|\bdibanned\b|\bdiblokir\b|\b(?:account|number|sender|agent|instance|device|phone|business|waba)\b[^!?\n]{0,60}\b(?:blocked|restricted|locked|disabled|flagged)\b|\b(?:blocked|restricted|locked|disabled)\b[^!?\n]{0,30}\bby[\s_-]+(?:whatsapp|meta)\b/i;

/** Meta's account-level error codes, as Sobot may relay them (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
const META_CODES: Record<number, AccountSignalKind> = {
	190: 'credentials', // access token expired
	3: 'credentials', // capability or permissions
	10: 'credentials', // permission denied
	200: 'credentials',
	368: 'banned', // temporarily blocked for policy violations
	130429: 'rateLimited', // throughput rate limit hit
	131031: 'banned', // business account locked
	131048: 'rateLimited', // spam rate limit hit
	131042: 'banned', // business eligibility / payment issue
	131005: 'credentials', // access denied
};

function metaCode(body: unknown): number | undefined {
	if (body === null || typeof body !== 'object') return undefined;
	const object = body as Record<string, unknown>;
	const error = object.error as Record<string, unknown> | undefined;
	for (const value of [
		error?.code,
		object.error_code,
		object.errorCode,
		(object.errors as Array<Record<string, unknown>> | undefined)?.[0]?.code,
	]) {
		const code = Number(value);
		if (Number.isInteger(code) && code > 0 && META_CODES[code] !== undefined) return code;
	}
	return undefined;
}

/** All the text a reply carries, for the word checks: its message fields and, for an odd shape, the whole body. */
function replyText(error: GatewayError): string {
	const body = error.details.body;
	const said = vendorMessage(body) ?? '';
	const whole = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
	return `${said} ${whole.slice(0, 2000)}`;
}

/** The account-level signal a failed send carries, or undefined for a failure of this one message. */
export function accountSignalOf(error: unknown): AccountSignal | undefined {
	if (!(error instanceof GatewayError)) return undefined;
	const status = error.details.statusCode;
	// No reply at all (network, timeout) says nothing about the account.
	if (status === undefined) return undefined;
	const text = replyText(error);
	const code = metaCode(error.details.body);
	let kind: AccountSignalKind | undefined;
	if (BANNED.test(text)) kind = 'banned';
	else if (DISCONNECTED.test(text)) kind = 'disconnected';
	else if (code !== undefined) kind = META_CODES[code];
	else if (status === 401 || status === 403) kind = 'credentials';
	else if (status === 429) kind = 'rateLimited';
	if (!kind) return undefined;
	const said = vendorMessage(error.details.body);
	return {
		kind,
		reason: `${error.details.service} says ${KIND_TEXT[kind]} (HTTP ${status}${said ? `: "${said.slice(0, 200)}"` : ''})`,
	};
}

/** The line every remaining item gets: what happened, what to do, how to continue. */
export function notSentAfterSignal(signal: AccountSignal): string {
	return `Not sent: the run stopped because ${signal.reason}. Nothing more was sent; ${FIXES[signal.kind]}, then run again with the same Campaign ID or Resume Key to send only what did not go out.`;
}
