import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** Profilora: HTTP Basic with the API client's key and secret (created in the dashboard after an agent is connected). */
export class ProfiloraApi implements ICredentialType {
	name = 'profiloraApi';

	displayName = 'Profilora API';

	icon: Icon = {
		light: 'file:../nodes/Profilora/profilora.svg',
		dark: 'file:../nodes/Profilora/profilora.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-whatsapp-gateways#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The API client key from the Profilora dashboard',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The API client secret shown once when the client was created',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.profilora.com',
			description: 'Change only for a self-hosted or white-label gateway, or the local sandbox',
		},
	];

	/**
	 * A function, not generic `auth` properties: n8n resolves generic properties as expressions on every
	 * request, which cost more than the request itself in a large campaign. Redirects are refused because
	 * following one would hand the Basic credentials to wherever the gateway points (the credential test too).
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			auth: {
				username: String(credentials.apiKey ?? ''),
				password: String(credentials.apiSecret ?? ''),
			},
			disableFollowRedirect: true,
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/ping',
			method: 'GET',
		},
		rules: testRules as ICredentialTestRequest['rules'],
	};
}

const REFUSED = 'check the API Key and the API Secret in the credential';

/**
 * A wrong key or secret is a 401 (or 403), or a 200 whose status is "error". n8n's tester checks each rule by its type,
 * though its TypeScript type admits a list of one kind only, hence the cast above.
 */
const testRules: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	{
		type: 'responseCode',
		properties: { value: 401, message: `Profilora refused the credentials (HTTP 401): ${REFUSED}` },
	},
	{
		type: 'responseCode',
		properties: { value: 403, message: `Profilora refused the credentials (HTTP 403): ${REFUSED}` },
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'status',
			value: undefined,
			message:
				'The server at this base URL did not answer /ping like Profilora (expected {"status":"ok"})',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'status',
			value: 'error',
			message: `Profilora answered /ping with status "error": ${REFUSED}`,
		},
	},
];
