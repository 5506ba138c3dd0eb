/**
 * The sandbox's keys, and the n8n credential data that points at a sandbox: the one place tests, `npm run dev`,
 * `npm run test:e2e`, `npm run screenshots` and the benchmarks take them from.
 */
import { FakeModel } from './model';

/** The three gateways the sandbox speaks, each under its own path prefix. */
export type GatewayVendor = 'profilora' | 'wachatpro' | 'sobot';

export interface SandboxCredentials {
	profilora: { apiKey: string; apiSecret: string; agents: string[] };
	wachatpro: { key: string };
	sobot: { accessKey: string; secretKey: string };
	/** The fake OpenAI-compatible model (sandbox/model/): the API key its clients send as `Bearer`. */
	model: { apiKey: string };
}

export const DEFAULT_CREDENTIALS: SandboxCredentials = {
	profilora: {
		apiKey: 'sandbox-profilora-key',
		apiSecret: 'sandbox-profilora-secret',
		agents: ['6281100000001@s.whatsapp.net', '6281100000002@s.whatsapp.net'],
	},
	wachatpro: { key: 'sandbox-wachatpro-key' },
	sobot: { accessKey: 'sandbox-sobot-access', secretKey: 'sandbox-sobot-secret' },
	model: { apiKey: 'sandbox-model-key' },
};

/** A gateway's base URL (what goes into its credential) on the sandbox listening at `sandboxUrl`. */
export function vendorBaseUrl(sandboxUrl: string, vendor: GatewayVendor): string {
	return `${sandboxUrl}/${vendor}`;
}

/**
 * Where a sandbox listens and which keys it takes: a `Sandbox` of this process, or one in another process known by
 * its URL (then it runs with the default keys).
 */
export interface SandboxAddress {
	readonly url: string;
	readonly credentials?: SandboxCredentials;
}

/**
 * The data of each n8n credential that talks to the sandbox: this package's three API credentials, n8n's HTTP Basic
 * Auth credential with Profilora's keys (for the HTTP Request node, as a user without this package would call
 * Profilora), and n8n's OpenAI credential for the fake model.
 */
export function sandboxCredentialData(sandbox: SandboxAddress) {
	const keys = sandbox.credentials ?? DEFAULT_CREDENTIALS;
	return {
		profiloraApi: {
			apiKey: keys.profilora.apiKey,
			apiSecret: keys.profilora.apiSecret,
			baseUrl: vendorBaseUrl(sandbox.url, 'profilora'),
		},
		waChatProApi: {
			secretKey: keys.wachatpro.key,
			baseUrl: vendorBaseUrl(sandbox.url, 'wachatpro'),
		},
		sobotApi: {
			apiKey: keys.sobot.accessKey,
			secretKey: keys.sobot.secretKey,
			baseUrl: vendorBaseUrl(sandbox.url, 'sobot'),
		},
		httpBasicAuth: { user: keys.profilora.apiKey, password: keys.profilora.apiSecret },
		openAiApi: { apiKey: keys.model.apiKey, url: FakeModel.baseUrl(sandbox.url), header: false },
	};
}
