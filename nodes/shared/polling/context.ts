/**
 * What the polling triggers share: n8n's poll context used for gateway requests, and the bounded
 * short keys they remember in the node's static data.
 */
import { createHash } from 'node:crypto';
import type { IPollFunctions } from 'n8n-workflow';

import type { GatewayContext } from '../http/transport';

/**
 * `gatewayRequest` reads only `getNode`, `getCredentials` and `helpers.httpRequestWithAuthentication`,
 * which n8n's poll context has too (n8n-core's PollContext builds the same request helpers as an
 * execution). The shared transport's context type does not list IPollFunctions yet, hence the cast.
 */
export function pollGatewayContext(ctx: IPollFunctions): GatewayContext {
	return ctx as unknown as GatewayContext;
}

/** 80 bits of SHA-256: short enough to keep thousands in static data, long enough never to collide in practice. */
export function shortKey(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 14);
}
