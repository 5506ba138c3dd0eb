import { testCredential } from '../harness/credentialTest';
import { useSandbox } from '../harness/sandbox';
import { KEY } from './helpers';

const ctx = useSandbox();

describe('WAChatPro API credential test (POST /wa/chats, limit 1)', () => {
	test('succeeds with the right key, sending it in the JSON body', async () => {
		const result = await testCredential('waChatProApi', {
			secretKey: KEY,
			baseUrl: ctx.sandbox.baseUrl('wachatpro'),
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const [request] = ctx.sandbox.requestsTo('wachatpro', '/wa/chats');
		expect(request.method).toBe('POST');
		expect(request.body).toEqual({ key: KEY, limit: 1 });
	});

	test('fails with a wrong key (HTTP 401)', async () => {
		const result = await testCredential('waChatProApi', {
			secretKey: 'wrong-key',
			baseUrl: ctx.sandbox.baseUrl('wachatpro'),
		});
		expect(result).toEqual({
			status: 'Error',
			message: 'WAChatPro refused the secret key (HTTP 401): check the key in the credential',
		});
	});

	test('fails with a wrong key when the gateway answers 200 with status false', async () => {
		ctx.sandbox.wachatpro.errorStyle = 'body';
		const result = await testCredential('waChatProApi', {
			secretKey: 'wrong-key',
			baseUrl: ctx.sandbox.baseUrl('wachatpro'),
		});
		expect(result).toEqual({
			status: 'Error',
			message:
				'WAChatPro answered with status false: check the secret key, and that the instance is running',
		});
	});

	test('fails with an empty key', async () => {
		const result = await testCredential('waChatProApi', {
			secretKey: '',
			baseUrl: ctx.sandbox.baseUrl('wachatpro'),
		});
		expect(result.status).toBe('Error');
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/chats')[0].body).toEqual({ key: '', limit: 1 });
	});
});
