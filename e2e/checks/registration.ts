/** n8n lists every node and credential package.json declares, serves their icons, and runs each credential's test. */
import Module from 'module';
import * as path from 'path';

import { packageJson } from '../../scripts/dev/build';
import { REPO_ROOT } from '../../scripts/n8n/install';
import { PACKAGE_NAME } from '../../scripts/dev/provision';
import type { E2eContext } from '../context';
import { expect, fail } from '../harness';

interface NodeTypeEntry {
	name: string;
	displayName: string;
	iconUrl?: string | { light: string; dark: string };
	usableAsTool?: boolean;
}

interface CredentialTypeEntry {
	name: string;
	displayName: string;
	iconUrl?: string | { light: string; dark: string };
	supportedNodes?: string[];
}

/** What the installed package declares: each file of package.json's `n8n` field, loaded, and its type name. */
function declaredTypes(installedDir: string): {
	nodes: Array<{ name: string; usableAsTool: boolean }>;
	credentials: string[];
} {
	const { n8n } = packageJson();
	// The installed copy requires n8n-workflow, which n8n provides through NODE_PATH; here this repository's copy does.
	process.env.NODE_PATH = [path.join(REPO_ROOT, 'node_modules'), process.env.NODE_PATH]
		.filter(Boolean)
		.join(path.delimiter);
	(Module as unknown as { _initPaths(): void })._initPaths();
	const load = (file: string) => {
		const exported = require(path.join(installedDir, file)) as Record<
			string,
			new () => Record<string, unknown>
		>;
		const [Class] = Object.values(exported);
		if (typeof Class !== 'function') fail(`${file} exports no class`);
		return new Class();
	};
	return {
		nodes: n8n.nodes.map((file) => {
			const type = load(file) as {
				description: { name: string; usableAsTool?: boolean };
				nodeVersions?: Record<number, { description: { usableAsTool?: boolean } }>;
				currentVersion?: number;
			};
			// A versioned node (VersionedNodeType) says usableAsTool in each version's description; n8n reads its default's.
			const description = type.nodeVersions
				? { ...type.description, ...type.nodeVersions[type.currentVersion ?? 1].description }
				: type.description;
			return { name: description.name, usableAsTool: description.usableAsTool === true };
		}),
		credentials: n8n.credentials.map((file) => String(load(file).name)),
	};
}

export async function registrationChecks(ctx: E2eContext): Promise<void> {
	const { suite, rest } = ctx;
	const declared = declaredTypes(ctx.installedDir);
	let nodeTypes: NodeTypeEntry[] = [];
	let credentialTypes: CredentialTypeEntry[] = [];

	await suite.check(
		'n8n registers every node of package.json (GET /types/nodes.json)',
		async () => {
			nodeTypes = (await rest.get<NodeTypeEntry[]>('/types/nodes.json')).filter((t) =>
				t.name.startsWith(`${PACKAGE_NAME}.`),
			);
			const listed = new Set(nodeTypes.map((t) => t.name));
			const expected = new Set(declared.nodes.map((n) => `${PACKAGE_NAME}.${n.name}`));
			// n8n adds a "<name>Tool" variant of every node with usableAsTool, for AI agents.
			for (const node of declared.nodes)
				if (node.usableAsTool) expected.add(`${PACKAGE_NAME}.${node.name}Tool`);
			const missing = [...expected].filter((name) => !listed.has(name));
			const extra = [...listed].filter((name) => !expected.has(name));
			expect(
				missing.length === 0 && extra.length === 0,
				`node types differ: missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}`,
			);
			suite.note(
				`${declared.nodes.length} nodes (${declared.nodes.map((n) => n.name).join(', ')}) + ${expected.size - declared.nodes.length} AI tool variants`,
			);
		},
	);

	await suite.check(
		'n8n registers every credential of package.json (GET /types/credentials.json)',
		async () => {
			const all = await rest.get<CredentialTypeEntry[]>('/types/credentials.json');
			credentialTypes = all.filter((c) => declared.credentials.includes(c.name));
			const missing = declared.credentials.filter(
				(name) => !credentialTypes.some((c) => c.name === name),
			);
			expect(missing.length === 0, `credential types missing from n8n: ${JSON.stringify(missing)}`);
			const unused = credentialTypes.filter((c) => !c.supportedNodes?.length).map((c) => c.name);
			expect(
				unused.length === 0,
				`credentials no node of the package uses (supportedNodes empty): ${JSON.stringify(unused)}`,
			);
			suite.note(
				credentialTypes
					.map((c) => `${c.name} → ${c.supportedNodes!.map((n) => n.split('.')[1]).join('/')}`)
					.join('; '),
			);
		},
	);

	await suite.check('n8n serves the light and dark icon of every node and credential', async () => {
		const urls = new Set<string>();
		for (const entry of [...nodeTypes, ...credentialTypes]) {
			const icon = entry.iconUrl;
			if (!icon) fail(`${entry.name} has no iconUrl (n8n would show a placeholder)`);
			for (const url of typeof icon === 'string' ? [icon] : [icon.light, icon.dark]) urls.add(url);
		}
		const bad: string[] = [];
		for (const url of urls) {
			const response = await fetch(`${ctx.n8n.url}/${url}`, {
				headers: { cookie: rest.cookieHeader ?? '' },
			});
			const body = await response.text();
			if (!response.ok || !body.includes('<svg'))
				bad.push(`${url}: HTTP ${response.status}, ${body.slice(0, 80)}`);
		}
		expect(bad.length === 0, `icons not served as SVG:\n${bad.join('\n')}`);
		suite.note(`${urls.size} icon files`);
	});
}

export interface CredentialCase {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
	expect: 'OK' | 'Error';
}

/** Each credential's Test button, through n8n's own endpoint (`POST /rest/credentials/test`, as the editor calls it). */
export async function credentialTestChecks(
	ctx: E2eContext,
	cases: CredentialCase[],
): Promise<void> {
	const run = async (which: 'OK' | 'Error') => {
		const wrong: string[] = [];
		for (const credential of cases.filter((c) => c.expect === which)) {
			const { id, name, type, data } = credential;
			const result = await ctx.rest.post<{ status: string; message: string }>(
				'/rest/credentials/test',
				{ credentials: { id, name, type, data } },
			);
			ctx.suite.note(`${name} (${type}): ${result.status} - ${result.message}`);
			if (result.status !== which)
				wrong.push(`${name}: expected ${which}, got ${result.status} (${result.message})`);
		}
		expect(wrong.length === 0, wrong.join('\n'));
	};
	await ctx.suite.check(
		'credential tests pass with the sandbox keys (POST /rest/credentials/test)',
		() => run('OK'),
	);
	await ctx.suite.check(
		'credential tests fail with wrong keys, a wrong base URL and a short webhook secret',
		() => run('Error'),
	);
}

interface ListSearch {
	node: 'sobot' | 'waChatPro';
	credentialType: 'sobotApi' | 'waChatProApi';
	methodName: string;
	parameters: Record<string, unknown>;
	path: string;
	/** A value the sandbox's seed data guarantees in the list; undefined where the list may be empty. */
	expected?: string;
	filter?: string;
}

const LIST_SEARCHES: ListSearch[] = [
	{
		node: 'sobot',
		credentialType: 'sobotApi',
		methodName: 'searchApprovedTemplates',
		parameters: { resource: 'message', operation: 'sendTemplate' },
		path: 'template',
		expected: 'order_update',
	},
	{
		node: 'sobot',
		credentialType: 'sobotApi',
		methodName: 'searchApprovedTemplates',
		parameters: { resource: 'message', operation: 'sendTemplate' },
		path: 'template',
		expected: 'order_update',
		filter: 'ORDER_up',
	},
	{
		node: 'sobot',
		credentialType: 'sobotApi',
		methodName: 'searchTemplates',
		parameters: { resource: 'template', operation: 'get' },
		path: 'template',
		expected: 'diwali_sale',
	},
	{
		node: 'sobot',
		credentialType: 'sobotApi',
		methodName: 'searchCustomers',
		parameters: { resource: 'customer', operation: 'update' },
		path: 'mobile',
	},
	{
		node: 'waChatPro',
		credentialType: 'waChatProApi',
		methodName: 'searchContacts',
		parameters: { resource: 'message', operation: 'sendText' },
		path: 'recipient',
		expected: '919812345678',
	},
	{
		node: 'waChatPro',
		credentialType: 'waChatProApi',
		methodName: 'searchChats',
		parameters: { resource: 'chat', operation: 'getMessages' },
		path: 'mobile',
	},
];

/**
 * Every resource locator's "From List", through n8n's own endpoint as the editor calls it
 * (`POST /rest/dynamic-node-parameters/resource-locator-results`), with the stored sandbox credential.
 */
export async function listSearchChecks(ctx: E2eContext, cases: CredentialCase[]): Promise<void> {
	await ctx.suite.check(
		'every "From List" search answers through n8n (POST /rest/dynamic-node-parameters/resource-locator-results)',
		async () => {
			const wrong: string[] = [];
			for (const search of LIST_SEARCHES) {
				const credential = cases.find((c) => c.type === search.credentialType && c.expect === 'OK');
				if (!credential) fail(`no working ${search.credentialType} credential imported`);
				const answer = await ctx.rest.post<{
					results: Array<{ name: string; value: string }>;
					paginationToken?: string;
				}>('/rest/dynamic-node-parameters/resource-locator-results', {
					nodeTypeAndVersion: { name: `${PACKAGE_NAME}.${search.node}`, version: 1 },
					path: `parameters.${search.path}`,
					methodName: search.methodName,
					filter: search.filter,
					currentNodeParameters: search.parameters,
					credentials: { [search.credentialType]: { id: credential.id, name: credential.name } },
				});
				const values = Array.isArray(answer?.results)
					? answer.results.map((entry) => entry.value)
					: undefined;
				ctx.suite.note(
					`${search.node} ${search.methodName}${search.filter ? ` "${search.filter}"` : ''}: ${values?.length ?? 'no'} entries`,
				);
				if (!values)
					wrong.push(
						`${search.methodName}: no results list in ${JSON.stringify(answer).slice(0, 200)}`,
					);
				else if (search.expected !== undefined && !values.includes(search.expected))
					wrong.push(`${search.methodName}: ${search.expected} missing from ${values.join(', ')}`);
			}
			expect(wrong.length === 0, wrong.join('\n'));
		},
	);
}
