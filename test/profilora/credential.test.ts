import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import { testCredential } from '../harness/credentialTest';
import { useSandbox } from '../harness/sandbox';

const ctx = useSandbox();
const { apiKey, apiSecret } = DEFAULT_CREDENTIALS.profilora;

describe('Profilora API credential test (GET /ping)', () => {
	test('succeeds with the right key and secret', async () => {
		const result = await testCredential('profiloraApi', {
			apiKey,
			apiSecret,
			baseUrl: ctx.sandbox.baseUrl('profilora'),
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [ping] = ctx.sandbox.requestsTo('profilora', '/ping');
		expect(ping.method).toBe('GET');
		expect(ping.headers.authorization).toBe(
			`Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
		);
	});

	test('fails with a wrong secret', async () => {
		const result = await testCredential('profiloraApi', {
			apiKey,
			apiSecret: 'wrong-secret',
			baseUrl: ctx.sandbox.baseUrl('profilora'),
		});
		expect(result.status).toBe('Error');
		// Which fields to check, not only "Unauthorized".
		expect(result.message).toBe(
			'Profilora refused the credentials (HTTP 401): check the API Key and the API Secret in the credential',
		);
	});

	test('fails when the base URL answers 200 but is not Profilora', async () => {
		// The Sobot part of the sandbox answers /ping with something else entirely (no "status":"ok").
		const result = await testCredential('profiloraApi', {
			apiKey,
			apiSecret,
			baseUrl: `${ctx.sandbox.url}/__admin/state?x=`,
		});
		expect(result.status).toBe('Error');
	});
});
