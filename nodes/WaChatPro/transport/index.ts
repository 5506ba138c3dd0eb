import type { IDataObject } from 'n8n-workflow';

import { redactText, redactValue, secretsOf } from '../../shared/redact';
import type { GatewayContext, GatewayResponse, GatewayService } from '../../shared/transport';
import { GatewayError, gatewayRequest } from '../../shared/transport';

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

/**
 * Every WAChatPro call: POST, JSON body; the credential adds `key` to the body. Replies are scrubbed of the
 * key too, because a gateway that echoes its request would otherwise put the key into the output items.
 */
export async function waChatProRequest(
	ctx: GatewayContext,
	path: string,
	body: IDataObject | unknown,
	timeoutMs?: number,
): Promise<GatewayResponse> {
	const response = await gatewayRequest(ctx, waChatPro, {
		method: 'POST',
		path,
		body,
		headers: { 'Content-Type': 'application/json' },
		timeoutMs,
	});
	const secrets = secretsOf(await ctx.getCredentials(waChatPro.credentialType));
	if (response.statusCode >= 300) {
		// The credential refuses redirects (they would re-post the key elsewhere): say where it pointed.
		const location = String(response.headers.location ?? 'another address');
		throw new GatewayError(
			ctx.getNode(),
			redactText(
				`WAChatPro answered ${path} with a redirect (HTTP ${response.statusCode}) to ${location}: put the address it redirects to into the credential's Base URL`,
				secrets,
			),
			{ service: waChatPro.displayName, statusCode: response.statusCode, retry: 'never' },
		);
	}
	return { ...response, body: redactValue(response.body, secrets) };
}
