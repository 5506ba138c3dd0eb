import type { IDataObject } from 'n8n-workflow';

import { extractList, isObject } from '../../shared/http/replies';
import { followNextLinks, nextLinkPath, readNextLink } from '../../shared/http/pagination';
import type { FollowOptions } from '../../shared/http/pagination';
import type {
	GatewayContext,
	GatewayRequest,
	GatewayResponse,
	GatewayService,
} from '../../shared/http/transport';
import { gatewayCredential, gatewayRequest } from '../../shared/http/transport';

/**
 * Where media of incoming messages may be downloaded from, by default (the Sobot Trigger's and Send and Wait for
 * Reply's allow-list). Sobot does not document where its media URLs point; any subdomain of its own domain is the
 * narrowest default that does not guess a host name. Users add other hosts (a CDN) explicitly.
 */
export const SOBOT_MEDIA_HOSTS = '*.sobot.in';

export const sobot: GatewayService = {
	displayName: 'Sobot',
	credentialType: 'sobotApi',
	defaultBaseUrl: 'https://api.sobot.in',
	// Sobot often answers HTTP 200 and reports the real outcome as `code` in the body.
	failureStatusInBody: (body) => {
		if (!isObject(body)) return undefined;
		const code = Number(body.code);
		return Number.isInteger(code) && code >= 400 && code < 600 ? code : undefined;
	},
};

export async function sobotRequest(
	ctx: GatewayContext,
	request: GatewayRequest,
): Promise<GatewayResponse> {
	return await gatewayRequest(ctx, sobot, request);
}

/** One page of a paginated Sobot list (`{count, size, next, previous, code, data}`); `next` as the reply gave it. */
export async function sobotPage(
	ctx: GatewayContext,
	path: string,
	next?: string,
): Promise<{ items: IDataObject[]; next?: string }> {
	const { baseUrl } = await gatewayCredential(ctx, sobot);
	const { body } = await sobotRequest(ctx, {
		method: 'GET',
		path: next === undefined ? path : nextLinkPath(next, baseUrl, path),
	});
	const items = extractList(body, ['data', 'results']);
	if (!items) throw new Error(`Sobot's reply to ${path} holds no list (expected "data": [...])`);
	return { items, next: readNextLink(body) };
}

/** A paginated Sobot list, following `next` links. */
export async function sobotList(
	ctx: GatewayContext,
	path: string,
	options: FollowOptions = {},
): Promise<IDataObject[]> {
	return await followNextLinks(async (next) => await sobotPage(ctx, path, next), options);
}
