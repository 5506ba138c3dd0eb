/**
 * Request authentication for the triggers. Neither vendor signs its webhooks, so the trigger checks a
 * secret of its own: a header, a query-string token or HTTP Basic. Secrets live in credentials (encrypted
 * by n8n, never shown in the workflow JSON) and are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IDataObject, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

export type AuthMode = 'none' | 'headerAuth' | 'queryAuth' | 'basicAuth';

export const HEADER_CREDENTIAL = 'whatsAppWebhookHeaderAuthApi';
export const QUERY_CREDENTIAL = 'whatsAppWebhookQueryAuthApi';
export const BASIC_CREDENTIAL = 'whatsAppWebhookBasicAuthApi';

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Basic Auth',
			value: 'basicAuth',
			description: 'User and password, e.g. in the URL as https://user:password@host/…',
		},
		{
			name: 'Header Secret',
			value: 'headerAuth',
			description: 'Only if the dashboard lets you add a header',
		},
		{ name: 'None', value: 'none', description: 'The random ID in the URL is the only secret' },
		{
			name: 'Query Token',
			value: 'queryAuth',
			description: 'A token appended to the URL: works with any dashboard',
		},
	],
	default: 'none',
	description:
		'How the trigger tells real vendor requests from forged ones. Requests that fail get 401 and start nothing.',
};

/** Hashing first makes both sides the same length, so the comparison leaks neither content nor length. */
export function constantTimeEqual(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

function single(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	// A repeated header or query key is ambiguous: refuse rather than pick one.
	return undefined;
}

function decodeBasic(header: string | undefined): { user: string; password: string } | undefined {
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export interface AuthResult {
	ok: boolean;
	/** Extra response headers for a refusal (Basic asks the client to authenticate). */
	headers?: Record<string, string>;
}

/** Checks the request against the chosen credential. A missing or incomplete credential is a set-up error (thrown). */
export async function checkAuthentication(ctx: IWebhookFunctions): Promise<AuthResult> {
	const mode = ctx.getNodeParameter('authentication', 'none') as AuthMode;
	if (mode === 'none') return { ok: true };
	const headers = ctx.getHeaderData() as IDataObject;

	if (mode === 'headerAuth') {
		const credential = await ctx.getCredentials(HEADER_CREDENTIAL);
		const name = String(credential.name ?? '').toLowerCase();
		const expected = String(credential.secret ?? '');
		const given = single(headers[name]);
		// Both branches compare, so a missing header costs the same time as a wrong one.
		return {
			ok: constantTimeEqual(given ?? '', expected) && given !== undefined && expected !== '',
		};
	}

	if (mode === 'queryAuth') {
		const credential = await ctx.getCredentials(QUERY_CREDENTIAL);
		const expected = String(credential.token ?? '');
		const query = (ctx.getQueryData() ?? {}) as IDataObject;
		const given = single(query[String(credential.name ?? '')]);
		return {
			ok: constantTimeEqual(given ?? '', expected) && given !== undefined && expected !== '',
		};
	}

	const credential = await ctx.getCredentials(BASIC_CREDENTIAL);
	const expectedUser = String(credential.user ?? '');
	const expectedPassword = String(credential.password ?? '');
	const given = decodeBasic(single(headers.authorization));
	const userOk = constantTimeEqual(given?.user ?? '', expectedUser);
	const passwordOk = constantTimeEqual(given?.password ?? '', expectedPassword);
	const ok = userOk && passwordOk && given !== undefined && expectedPassword !== '';
	return ok ? { ok } : { ok, headers: { 'WWW-Authenticate': 'Basic realm="webhook"' } };
}
