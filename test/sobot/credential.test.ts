import { testCredential } from '../harness/credentialTest';
import { useSandbox } from '../harness/sandbox';
import { ACCESS_KEY, SECRET_KEY } from './helpers';

const ctx = useSandbox();

describe('Sobot API credential test (GET /api/customer)', () => {
	test('succeeds with the right keys, sent as x-api-key and x-api-secret', async () => {
		const result = await testCredential('sobotApi', {
			apiKey: ACCESS_KEY,
			secretKey: SECRET_KEY,
			baseUrl: ctx.sandbox.baseUrl('sobot'),
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = ctx.sandbox.requestsTo('sobot', '/api/customer');
		expect(request.method).toBe('GET');
		expect(request.headers['x-api-key']).toBe(ACCESS_KEY);
		expect(request.headers['x-api-secret']).toBe(SECRET_KEY);
	});

	test.each([
		['a wrong secret key', { apiKey: ACCESS_KEY, secretKey: 'wrong-secret' }],
		['a wrong access key', { apiKey: 'wrong-access', secretKey: SECRET_KEY }],
		['swapped keys', { apiKey: SECRET_KEY, secretKey: ACCESS_KEY }],
	])('fails with %s', async (_name, keys) => {
		const result = await testCredential('sobotApi', {
			...keys,
			baseUrl: ctx.sandbox.baseUrl('sobot'),
		});
		expect(result.status).toBe('Error');
		// Which fields to check, not only "Unauthorized".
		expect(result.message).toBe(
			'Sobot refused the keys (HTTP 401): check the Access Key and the Secret Key in the credential (generating new keys in the Sobot dashboard retires the old pair)',
		);
		expect(result.message).not.toContain('wrong-');
	});

	test('fails when the base URL answers 200 but is not Sobot', async () => {
		const result = await testCredential('sobotApi', {
			apiKey: ACCESS_KEY,
			secretKey: SECRET_KEY,
			baseUrl: `${ctx.sandbox.url}/__admin/state?x=`,
		});
		expect(result).toEqual({
			status: 'Error',
			message:
				'The server at this base URL did not answer /api/customer like Sobot (no "code" in the reply)',
		});
	});

	test("defaults to Sobot's public base URL", async () => {
		const { loadCredentialTypes } = await import('../harness/engine');
		const type = loadCredentialTypes().sobotApi;
		expect(type.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.sobot.in');
		expect(type.properties.filter((p) => p.typeOptions?.password).map((p) => p.name)).toEqual([
			'apiKey',
			'secretKey',
		]);
	});
});
