/**
 * Runs a credential's declarative `test` the way n8n's credentials tester does: the request's
 * `={{$credentials.x}}` expressions are resolved by n8n's expression engine, the credential's `authenticate`
 * is applied, any non-2xx answer fails (with the rule's message for a matching `responseCode` rule), and
 * `responseSuccessBody` rules fail a 2xx answer whose body has the named value. The end-to-end tests run the
 * same test inside a real n8n.
 */
import axios from 'axios';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	INodeType,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper, resolveCredentialExpression } from './credentials';
import { loadCredentialTypes, nodeTypesFor } from './engine';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

function get(object: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], object);
}

export async function testCredential(
	typeName: string,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const types = loadCredentialTypes();
	const type = types[typeName];
	if (!type?.test) throw new Error(`${typeName} has no declarative test`);
	const defaults = Object.fromEntries(
		type.properties.map((p) => [p.name, p.default]),
	) as ICredentialDataDecryptedObject;
	const credentials = { ...defaults, ...data };
	const node: INode = {
		id: 'credential-test',
		name: 'Credential Test',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const testNodeType = {
		description: {
			name: 'credentialTest',
			displayName: 'Credential Test',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			properties: [],
		},
	} as unknown as INodeType;
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesFor({ 'test.credentialTest': testNodeType }),
	});
	const resolve = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(resolve);
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
		}
		return resolveCredentialExpression(value, credentials, workflow, node);
	};
	const request = resolve(type.test.request) as IHttpRequestOptions & { baseURL?: string };
	const helper = new TestCredentialsHelper(types, { [typeName]: credentials });
	const options = await helper.authenticate(
		credentials,
		typeName,
		{ ...request, url: request.url ?? '' },
		workflow,
		node,
	);

	const response = await axios.request({
		method: options.method ?? 'GET',
		baseURL: request.baseURL,
		url: options.url,
		headers: options.headers as Record<string, string>,
		params: options.qs,
		data: options.body,
		auth: options.auth as { username: string; password: string } | undefined,
		validateStatus: () => true,
		timeout: 10_000,
	});
	const rules = type.test.rules ?? [];
	if (response.status < 200 || response.status >= 300) {
		for (const rule of rules) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return {
			status: 'Error',
			message: `Authorization failed - please check your credentials (HTTP ${response.status})`,
		};
	}
	for (const rule of rules) {
		if (
			rule.type === 'responseSuccessBody' &&
			get(response.data, rule.properties.key) === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
