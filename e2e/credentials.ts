/** The credentials an e2e run imports (good ones, wrong keys, wrong base URLs) and every secret in them, labelled for the leak scan. */
import { randomBytes } from 'crypto';

import type { ImportableCredential, WebhookSecrets } from '../scripts/dev/provision';
import { sandboxCredentials } from '../scripts/dev/provision';
import { DEFAULT_CREDENTIALS, sandboxCredentialData } from '../sandbox/credentials';
import type { Sandbox, startSandbox } from '../sandbox/server';
import type { CredentialCase } from './checks/registration';
import type { E2eContext } from './context';
import { E2E_CREDENTIAL_IDS } from './workflows';

/** A secret no other string in the run contains by chance. */
export const secret = (label: string) => `e2e-${label}-${randomBytes(8).toString('hex')}`;

/** Random keys for the sandbox's three gateways and the triggers' webhook secrets. */
export function e2eSecrets(): {
	webhookSecrets: WebhookSecrets;
	credentials: NonNullable<Parameters<typeof startSandbox>[0]>['credentials'];
} {
	return {
		webhookSecrets: {
			header: { name: 'X-Webhook-Secret', secret: secret('header-secret') },
			query: { name: 'token', token: secret('query-token') },
			basic: { user: 'sandbox', password: secret('basic-password') },
		},
		credentials: {
			profilora: {
				apiKey: secret('profilora-key'),
				apiSecret: secret('profilora-secret'),
				agents: DEFAULT_CREDENTIALS.profilora.agents,
			},
			wachatpro: { key: secret('wachatpro-key') },
			sobot: { accessKey: secret('sobot-access'), secretKey: secret('sobot-secret') },
			model: { apiKey: secret('model-key') },
		},
	};
}

export function e2eCredentials(
	sandbox: Sandbox,
	closedPort: number,
	secrets: WebhookSecrets,
): { cases: CredentialCase[]; labelled: E2eContext['secrets'] } {
	const good = sandboxCredentials(sandbox, secrets);
	const wrong = {
		profilora: {
			apiKey: secret('wrong-profilora-key'),
			apiSecret: secret('wrong-profilora-secret'),
		},
		waChatPro: { secretKey: secret('wrong-wachatpro-key') },
		sobot: { apiKey: secret('wrong-sobot-access'), secretKey: secret('wrong-sobot-secret') },
	};
	const nowhere = `http://127.0.0.1:${closedPort}`;
	const c = sandbox.credentials;
	const api = sandboxCredentialData(sandbox);
	const extra: ImportableCredential[] = [
		{
			id: E2E_CREDENTIAL_IDS.badKey.profilora,
			name: 'Profilora (wrong key)',
			type: 'profiloraApi',
			data: { ...wrong.profilora, baseUrl: sandbox.baseUrl('profilora') },
		},
		{
			id: E2E_CREDENTIAL_IDS.badKey.waChatPro,
			name: 'WAChatPro (wrong key)',
			type: 'waChatProApi',
			data: { ...wrong.waChatPro, baseUrl: sandbox.baseUrl('wachatpro') },
		},
		{
			id: E2E_CREDENTIAL_IDS.badKey.sobot,
			name: 'Sobot (wrong key)',
			type: 'sobotApi',
			data: { ...wrong.sobot, baseUrl: sandbox.baseUrl('sobot') },
		},
		// The right keys sent where nothing listens: an error must not carry them along.
		{
			id: E2E_CREDENTIAL_IDS.badUrl.profilora,
			name: 'Profilora (wrong base URL)',
			type: 'profiloraApi',
			data: { ...api.profiloraApi, baseUrl: nowhere },
		},
		{
			id: E2E_CREDENTIAL_IDS.badUrl.waChatPro,
			name: 'WAChatPro (wrong base URL)',
			type: 'waChatProApi',
			data: { ...api.waChatProApi, baseUrl: nowhere },
		},
		{
			id: E2E_CREDENTIAL_IDS.badUrl.sobot,
			name: 'Sobot (wrong base URL)',
			type: 'sobotApi',
			data: { ...api.sobotApi, baseUrl: nowhere },
		},
		{
			id: E2E_CREDENTIAL_IDS.shortSecret,
			name: 'Webhook header secret (too short)',
			type: 'whatsAppWebhookHeaderAuthApi',
			data: { name: 'X-Webhook-Secret', secret: 'short' },
		},
	];
	const cases: CredentialCase[] = [
		...good.map((credential) => ({ ...credential, expect: 'OK' as const })),
		...extra.map((credential) => ({ ...credential, expect: 'Error' as const })),
	];
	const basic = (user: string, password: string) =>
		Buffer.from(`${user}:${password}`).toString('base64');
	const labelled = [
		{ label: 'Profilora API key', value: c.profilora.apiKey },
		{ label: 'Profilora API secret', value: c.profilora.apiSecret },
		{ label: 'Profilora Basic header', value: basic(c.profilora.apiKey, c.profilora.apiSecret) },
		{ label: 'WAChatPro key', value: c.wachatpro.key },
		{ label: 'Sobot access key', value: c.sobot.accessKey },
		{ label: 'Sobot secret key', value: c.sobot.secretKey },
		{ label: 'fake model API key (OpenAI credential)', value: c.model.apiKey },
		{ label: 'wrong Profilora key', value: wrong.profilora.apiKey },
		{ label: 'wrong Profilora secret', value: wrong.profilora.apiSecret },
		{
			label: 'wrong Profilora Basic header',
			value: basic(wrong.profilora.apiKey, wrong.profilora.apiSecret),
		},
		{ label: 'wrong WAChatPro key', value: wrong.waChatPro.secretKey },
		{ label: 'wrong Sobot access key', value: wrong.sobot.apiKey },
		{ label: 'wrong Sobot secret key', value: wrong.sobot.secretKey },
		{ label: 'webhook header secret', value: secrets.header.secret },
		{ label: 'webhook query token', value: secrets.query.token },
		{ label: 'webhook basic password', value: secrets.basic.password },
	];
	return { cases, labelled };
}
