import type { IDataObject } from 'n8n-workflow';

import { extractList, isObject } from '../../shared/http/replies';
import type { GatewayContext, GatewayResponse, GatewayService } from '../../shared/http/transport';
import { GatewayError, gatewayRequest } from '../../shared/http/transport';

/**
 * WAChatPro documents no error format. A PHP gateway commonly answers 200 with `{"status": false, ...}`:
 * such a reply is a failure, whatever the HTTP status said.
 */
export function failureStatusInBody(body: unknown): number | undefined {
	if (!isObject(body)) return undefined;
	const { status, success, error } = body;
	if (status === false || success === false || error === true) return 400;
	if (typeof status === 'string' && /^(error|failed?|invalid)$/i.test(status)) return 400;
	return undefined;
}

/**
 * Where the media of a customer's answer may be downloaded from, by default (Send and Wait for Reply). WAChatPro
 * does not document where a message's `url` points (docs/vendors.md): its own domain is the narrowest default that
 * guesses no host name; a refused download names the host to add.
 */
export const WACHATPRO_MEDIA_HOSTS = '*.wachatpro.com';

export const waChatPro: GatewayService = {
	displayName: 'WAChatPro',
	credentialType: 'waChatProApi',
	defaultBaseUrl: 'https://api.wachatpro.com',
	failureStatusInBody,
};

/** Every WAChatPro call: POST, JSON body; the credential adds `key` to the body. */
export async function waChatProRequest(
	ctx: GatewayContext,
	path: string,
	body: IDataObject | unknown,
	timeoutMs?: number,
): Promise<GatewayResponse> {
	return await gatewayRequest(ctx, waChatPro, {
		method: 'POST',
		path,
		body,
		headers: { 'Content-Type': 'application/json' },
		timeoutMs,
	});
}

/**
 * What "Return All" asks for. WAChatPro documents `limit` (default 100) but no paging, so the only way to
 * get everything is to ask for more than any account has and accept what comes back.
 */
export const RETURN_ALL_LIMIT = 100_000;

/**
 * POSTs a list request and returns its elements, at most `limit`. The reply's shape is undocumented: a bare
 * array or an object wrapping one is accepted; a reply without a list is an error, not an empty result.
 */
export async function fetchList(
	ctx: GatewayContext,
	path: string,
	body: IDataObject,
	listField: string,
	limit: number,
): Promise<IDataObject[]> {
	const { body: reply } = await waChatProRequest(ctx, path, body);
	const list = extractList(reply, ['data', listField]);
	if (!list) {
		throw new GatewayError(
			ctx.getNode(),
			`WAChatPro's reply to ${path} holds no list of ${listField} (looked for an array, or one under "data" or "${listField}")`,
			{ service: waChatPro.displayName, body: reply, retry: 'never' },
		);
	}
	return Number.isFinite(limit) ? list.slice(0, limit) : list;
}
