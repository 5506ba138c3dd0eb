import type { IDataObject } from 'n8n-workflow';

import type { GatewayContext, GatewayResponse, GatewayService } from '../../shared/transport';
import { gatewayRequest } from '../../shared/transport';

/**
 * WAChatPro documents no error format. A PHP gateway commonly answers 200 with `{"status": false, ...}`:
 * such a reply is a failure, whatever the HTTP status said.
 */
export function failureStatusInBody(body: unknown): number | undefined {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const { status, success, error } = body as IDataObject;
	if (status === false || success === false || error === true) return 400;
	if (typeof status === 'string' && /^(error|failed?|invalid)$/i.test(status)) return 400;
	return undefined;
}

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
