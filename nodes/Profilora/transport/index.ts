import type {
	GatewayContext,
	GatewayRequest,
	GatewayResponse,
	GatewayService,
} from '../../shared/http/transport';
import { gatewayRequest } from '../../shared/http/transport';

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
