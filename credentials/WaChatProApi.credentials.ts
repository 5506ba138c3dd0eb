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

import { withJsonBodyField } from '../nodes/shared/files/jsonBody';

/** WAChatPro: a secret key that travels as the `key` field of every JSON request body. */
export class WaChatProApi implements ICredentialType {
	name = 'waChatProApi';

	displayName = 'WAChatPro API';

	icon: Icon = {
		light: 'file:../nodes/WaChatPro/wachatpro.svg',
		dark: 'file:../nodes/WaChatPro/wachatpro.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-whatsapp-gateways#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret key of your WAChatPro instance, from the WAChatPro dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.wachatpro.com',
			description: 'Change only for a self-hosted or white-label gateway, or the local sandbox',
		},
	];

	/**
	 * A function, not generic `body` properties: file sends use a streaming body that generic auth cannot
	 * write into. Redirects are refused because following one re-posts the body, key included, to wherever
	 * the gateway points, and makes the HTTP client keep a copy of the whole body (the file) in memory.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const options = withJsonBodyField(requestOptions, 'key', String(credentials.secretKey ?? ''));
		return { ...options, disableFollowRedirect: true };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/wa/chats',
			method: 'POST',
			body: { limit: 1 },
		},
		rules: testRules as ICredentialTestRequest['rules'],
	};
}

/**
 * A wrong key is a 401 (or 403), or a 200 with a failure in the body. n8n's tester checks each rule by its
 * type, though its TypeScript type admits a list of one kind only, hence the cast above.
 */
const testRules: Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> = [
	{
		type: 'responseCode',
		properties: {
			value: 401,
			message: 'WAChatPro refused the secret key (HTTP 401): check the key in the credential',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 403,
			message: 'WAChatPro refused the secret key (HTTP 403): check the key in the credential',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'status',
			value: false,
			message:
				'WAChatPro answered with status false: check the secret key, and that the instance is running',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'success',
			value: false,
			message:
				'WAChatPro answered with success false: check the secret key, and that the instance is running',
		},
	},
];
