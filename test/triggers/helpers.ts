/** Shared pieces of the trigger tests: an endpoint per test, the sandbox admin API, credentials. */
import type { ICredentialDataDecryptedObject, INodeParameters, INodeType } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox/server';
import type { Vendor } from '../../sandbox/http';
import { TriggerEndpoint } from './endpoint';
import type { ProcessedDataStore } from '../harness/processedData';

export const SECRET = 'correct-horse-battery-staple-42';

export const CREDENTIALS: Record<string, Record<string, ICredentialDataDecryptedObject>> = {
	headerAuth: { whatsAppWebhookHeaderAuthApi: { name: 'X-Webhook-Secret', secret: SECRET } },
	queryAuth: { whatsAppWebhookQueryAuthApi: { name: 'token', token: SECRET } },
	basicAuth: { whatsAppWebhookBasicAuthApi: { user: 'gateway', password: SECRET } },
};

export function basic(user: string, password: string): string {
	return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface Access {
	headers?: Record<string, string>;
	query?: string;
}

/** Each authentication mode with a request that passes and one that must not. */
export const AUTH_CASES: Array<{ mode: string; good: Access; bad: Access }> = [
	{
		mode: 'headerAuth',
		good: { headers: { 'X-Webhook-Secret': SECRET } },
		bad: { headers: { 'X-Webhook-Secret': `${SECRET}x` } },
	},
	{ mode: 'queryAuth', good: { query: `?token=${SECRET}` }, bad: { query: '?token=guess' } },
	{
		mode: 'basicAuth',
		good: { headers: { authorization: basic('gateway', SECRET) } },
		bad: { headers: { authorization: basic('gateway', 'wrong-password-wrong-password') } },
	},
];

const open: TriggerEndpoint[] = [];

afterEach(async () => {
	await Promise.all(open.splice(0).map(async (endpoint) => await endpoint.stop()));
});

/** Starts a trigger endpoint and points the sandbox's webhooks for `vendor` at it. */
export async function listen(
	sandbox: Sandbox,
	vendor: Vendor,
	node: INodeType,
	parameters: INodeParameters = {},
	options: {
		credentials?: Record<string, ICredentialDataDecryptedObject>;
		query?: string;
		headers?: Record<string, string>;
		processedData?: ProcessedDataStore;
		typeVersion?: number;
		onWorker?: boolean;
		startFails?: () => boolean;
	} = {},
): Promise<TriggerEndpoint> {
	const endpoint = await new TriggerEndpoint({
		node,
		parameters,
		credentials: options.credentials,
		query: options.query,
		processedData: options.processedData,
		typeVersion: options.typeVersion,
		onWorker: options.onWorker,
		startFails: options.startFails,
	}).start();
	open.push(endpoint);
	sandbox.webhooks.targets[vendor] = {
		url: endpoint.url,
		headers: options.headers,
		settled: async () => await endpoint.idle(),
	};
	sandbox.webhooks.stepDelayMs = 5;
	return endpoint;
}

/** Calls the sandbox's admin API over HTTP, as another process would. */
export async function admin(
	sandbox: Sandbox,
	path: string,
	body: unknown,
): Promise<{ status?: number; body?: unknown }> {
	const response = await fetch(`${sandbox.url}/__admin${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return (await response.json()) as { status?: number; body?: unknown };
}

/** HTTP statuses the sandbox got back from the trigger, in order. */
export function statuses(sandbox: Sandbox): Array<number | undefined> {
	return sandbox.webhooks.log.map((delivery) => delivery.status);
}
