import type {
	GatewayContext,
	GatewayRequest,
	GatewayResponse,
	GatewayService,
} from '../../shared/http/transport';
import { gatewayRequest } from '../../shared/http/transport';

/**
 * Where the media of a customer's answer may be downloaded from, by default (Send and Wait for Reply). Profilora
 * documents neither its webhook nor where a media message's `url` points (docs/vendors.md): its own domain is the
 * narrowest default that guesses no host name; a refused download names the host to add.
 */
export const PROFILORA_MEDIA_HOSTS = '*.profilora.com';

export const profilora: GatewayService = {
	displayName: 'Profilora',
	credentialType: 'profiloraApi',
	defaultBaseUrl: 'https://api.profilora.com',
};

export async function profiloraRequest(
	ctx: GatewayContext,
	request: GatewayRequest,
): Promise<GatewayResponse> {
	return await gatewayRequest(ctx, profilora, request);
}
