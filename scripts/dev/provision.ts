/**
 * What a fresh n8n needs to use this package against the sandbox, shared by `npm run dev`, `npm run test:e2e`
 * and `npm run screenshots`:
 *   - credentials (fixed ids, so re-importing updates them instead of adding copies) pointing at the sandbox;
 *   - the example workflows of `examples/`, with their `__CREDENTIAL_ID_<type>__` placeholders filled in;
 *   - the sandbox's webhook targets set to the example triggers' production URLs, with their secrets.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { sandboxCredentialData } from '../../sandbox/credentials';
import type { Sandbox } from '../../sandbox/server';
import { REPO_ROOT } from '../n8n/install';

export const PACKAGE_NAME = (
	JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string }
).name;
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

export type CredentialType =
	| 'profiloraApi'
	| 'waChatProApi'
	| 'sobotApi'
	| 'whatsAppWebhookHeaderAuthApi'
	| 'whatsAppWebhookQueryAuthApi'
	| 'whatsAppWebhookBasicAuthApi'
	// n8n's own OpenAI credential, pointed at the sandbox's fake model (sandbox/model/), for the AI agent example.
	| 'openAiApi';

/** n8n ids are 16 letters and digits. */
export const CREDENTIAL_IDS: Record<CredentialType, string> = {
	profiloraApi: 'sbxProfiloraApi1',
	waChatProApi: 'sbxWaChatProApi1',
	sobotApi: 'sbxSobotApi00001',
	whatsAppWebhookHeaderAuthApi: 'sbxWebhookHeader',
	whatsAppWebhookQueryAuthApi: 'sbxWebhookQuery1',
	whatsAppWebhookBasicAuthApi: 'sbxWebhookBasic1',
	openAiApi: 'sbxFakeModelApi1',
};

export const CREDENTIAL_NAMES: Record<CredentialType, string> = {
	profiloraApi: 'Profilora (sandbox)',
	waChatProApi: 'WAChatPro (sandbox)',
	sobotApi: 'Sobot (sandbox)',
	whatsAppWebhookHeaderAuthApi: 'Webhook header secret (sandbox)',
	whatsAppWebhookQueryAuthApi: 'Webhook query token (sandbox)',
	whatsAppWebhookBasicAuthApi: 'Webhook basic auth (sandbox)',
	openAiApi: 'Sandbox model (OpenAI-compatible)',
};

export interface WebhookSecrets {
	header: { name: string; secret: string };
	query: { name: string; token: string };
	basic: { user: string; password: string };
}

/** Fixed for the dev instance (they only guard a loopback n8n); e2e makes random ones. */
export const DEV_WEBHOOK_SECRETS: WebhookSecrets = {
	header: { name: 'X-Webhook-Secret', secret: 'dev-sandbox-header-secret-0001' },
	query: { name: 'token', token: 'devsandboxquerytoken0001' },
	basic: { user: 'sandbox', password: 'dev-sandbox-basic-password-01' },
};

export interface ImportableCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** One credential per service pointing at the sandbox, the three webhook-secret credentials of the triggers, and an OpenAI credential for the fake model. */
export function sandboxCredentials(
	sandbox: Sandbox,
	secrets: WebhookSecrets,
): ImportableCredential[] {
	const { profiloraApi, waChatProApi, sobotApi, openAiApi } = sandboxCredentialData(sandbox);
	const data: Record<CredentialType, Record<string, unknown>> = {
		profiloraApi,
		waChatProApi,
		sobotApi,
		whatsAppWebhookHeaderAuthApi: { name: secrets.header.name, secret: secrets.header.secret },
		whatsAppWebhookQueryAuthApi: { name: secrets.query.name, token: secrets.query.token },
		whatsAppWebhookBasicAuthApi: { user: secrets.basic.user, password: secrets.basic.password },
		openAiApi,
	};
	return (Object.keys(data) as CredentialType[]).map((type) => ({
		id: CREDENTIAL_IDS[type],
		name: CREDENTIAL_NAMES[type],
		type,
		data: data[type],
	}));
}

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface TriggerInfo {
	vendor: 'profilora' | 'sobot';
	nodeName: string;
	webhookId: string;
	/** The node's webhook path (both triggers use `webhook`). */
	path: string;
	authentication: 'none' | 'headerAuth' | 'queryAuth' | 'basicAuth';
}

/** A polling trigger of an example (WAChatPro Trigger, Sobot Template Trigger): published like webhook triggers. */
export interface PollerInfo {
	nodeName: string;
	type: string;
}

export interface Example {
	/** File name in examples/, without `.json`. */
	key: string;
	workflow: WorkflowJson;
	/** sha256 of the filled-in workflow: `npm run dev` re-imports an example only when this changes. */
	hash: string;
	trigger?: TriggerInfo;
	poller?: PollerInfo;
}

export const POLLING_TRIGGER_TYPES = [
	`${PACKAGE_NAME}.waChatProTrigger`,
	`${PACKAGE_NAME}.sobotTemplateTrigger`,
];

export function pollerOf(workflow: WorkflowJson): PollerInfo | undefined {
	const node = workflow.nodes.find((n) => POLLING_TRIGGER_TYPES.includes(n.type));
	return node ? { nodeName: node.name, type: node.type } : undefined;
}

/** Examples whose workflow is published on import: webhook triggers and polling triggers. */
export function isPublished(example: Example): boolean {
	return example.trigger !== undefined || example.poller !== undefined;
}

/** Replaces `__CREDENTIAL_ID_<type>__` placeholders with the ids `sandboxCredentials` uses. */
export function fillPlaceholders(
	text: string,
	ids: Record<string, string> = CREDENTIAL_IDS,
): string {
	return text.replace(/__CREDENTIAL_ID_(\w+?)__/g, (match, type: string) => {
		if (!(type in ids)) throw new Error(`unknown credential placeholder ${match}`);
		return ids[type];
	});
}

export function triggerOf(workflow: WorkflowJson): TriggerInfo | undefined {
	const node = workflow.nodes.find(
		(n) =>
			n.type === `${PACKAGE_NAME}.profiloraTrigger` || n.type === `${PACKAGE_NAME}.sobotTrigger`,
	);
	if (!node) return undefined;
	if (!node.webhookId)
		throw new Error(`${workflow.name}: trigger node "${node.name}" has no webhookId`);
	return {
		vendor: node.type.endsWith('.profiloraTrigger') ? 'profilora' : 'sobot',
		nodeName: node.name,
		webhookId: node.webhookId,
		path: 'webhook',
		authentication:
			(node.parameters.authentication as TriggerInfo['authentication'] | undefined) ?? 'none',
	};
}

/** Every `examples/*.json`, filled in, in file-name order. */
export function loadExamples(dir: string = EXAMPLES_DIR): Example[] {
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const text = fillPlaceholders(fs.readFileSync(path.join(dir, file), 'utf8'));
			const workflow = JSON.parse(text) as WorkflowJson;
			return {
				key: file.replace(/\.json$/, ''),
				workflow,
				hash: createHash('sha256').update(text).digest('hex'),
				trigger: triggerOf(workflow),
				poller: pollerOf(workflow),
			};
		});
}

/** The production URL n8n serves a published trigger at, and what the sandbox must send for the trigger's authentication. */
export function webhookTarget(
	trigger: TriggerInfo,
	n8nUrl: string,
	secrets: WebhookSecrets,
): { url: string; headers?: Record<string, string> } {
	const url = `${n8nUrl.replace(/\/+$/, '')}/webhook/${trigger.webhookId}/${trigger.path}`;
	switch (trigger.authentication) {
		case 'headerAuth':
			return { url, headers: { [secrets.header.name]: secrets.header.secret } };
		case 'queryAuth':
			return {
				url: `${url}?${encodeURIComponent(secrets.query.name)}=${encodeURIComponent(secrets.query.token)}`,
			};
		case 'basicAuth':
			return {
				url,
				headers: {
					authorization: `Basic ${Buffer.from(`${secrets.basic.user}:${secrets.basic.password}`).toString('base64')}`,
				},
			};
		default:
			return { url };
	}
}

/**
 * Examples whose trigger answers the customer (the AI agent replies, Send and Wait asks and waits): they get a vendor's
 * webhooks only when pointed at by name (`POST /__admin/webhooks {"sobot": "sobot-ai-agent"}`), never by default nor
 * as a copy, or a button tapped for another example would also make the agent write to that customer.
 */
export const ON_DEMAND_EXAMPLES = ['sobot-ai-agent', 'sobot-send-and-wait'];

const byDefault = (example: Example) => !ON_DEMAND_EXAMPLES.includes(example.key);

/**
 * Points the sandbox's Profilora and Sobot webhooks at the example triggers (the last one per vendor wins), the
 * on-demand examples left out.
 */
export function wireWebhooks(
	sandbox: Sandbox,
	examples: Example[],
	n8nUrl: string,
	secrets: WebhookSecrets,
): Record<string, string> {
	const wired: Record<string, string> = {};
	for (const { trigger } of examples.filter(byDefault)) {
		if (!trigger) continue;
		sandbox.webhooks.targets[trigger.vendor] = webhookTarget(trigger, n8nUrl, secrets);
		wired[trigger.vendor] = sandbox.webhooks.targets[trigger.vendor]!.url;
	}
	return wired;
}

/**
 * Every other example trigger of a vendor gets a copy of that vendor's webhooks (the sandbox's `copies`), so in
 * `npm run dev` the delivery-tracking workflow (examples/sobot-delivery-2-statuses.json) sees the same status events as
 * the Sobot Trigger example that `wireWebhooks` picked. A real vendor posts to one URL only (docs/delivery-tracking.md).
 */
export function wireWebhookCopies(
	sandbox: Sandbox,
	examples: Example[],
	n8nUrl: string,
	secrets: WebhookSecrets,
): string[] {
	const copied: string[] = [];
	for (const { trigger } of examples.filter(byDefault)) {
		if (!trigger) continue;
		const target = webhookTarget(trigger, n8nUrl, secrets);
		if (sandbox.webhooks.targets[trigger.vendor]?.url === target.url) continue;
		const copies = (sandbox.webhooks.copies[trigger.vendor] ??= []);
		if (!copies.some((c) => c.url === target.url)) copies.push(target);
		copied.push(target.url);
	}
	return copied;
}

/**
 * Every example trigger as a receiver the sandbox knows by the example's name, and the routing set up so far as its
 * `"default"`: `POST /__admin/webhooks {"sobot": "sobot-ai-agent"}` then points Sobot's webhooks at the agent, and
 * `{"sobot": "default"}` back. Returns the names, per vendor.
 */
export function nameReceivers(
	sandbox: Sandbox,
	examples: Example[],
	n8nUrl: string,
	secrets: WebhookSecrets,
): Record<string, string[]> {
	const names: Record<string, string[]> = {};
	for (const { key, trigger } of examples) {
		if (!trigger) continue;
		sandbox.webhooks.named[key] = {
			vendor: trigger.vendor,
			target: webhookTarget(trigger, n8nUrl, secrets),
		};
		(names[trigger.vendor] ??= []).push(key);
	}
	sandbox.webhooks.saveDefaults();
	return names;
}

/** A column of an n8n data table (n8n 2.41: `string`, `number`, `boolean` or `date`). */
export interface DataTableColumn {
	name: string;
	type: 'string' | 'number' | 'boolean' | 'date';
}

/**
 * The data tables the delivery-tracking examples (examples/sobot-delivery-*.json) read and write. The workflows name
 * them (the Data table node's "By Name" mode), so they need no ids filled in. docs/delivery-tracking.md.
 */
export const DELIVERY_TABLES: Array<{ name: string; columns: DataTableColumn[] }> = [
	{
		name: 'sobot_delivery',
		columns: [
			{ name: 'campaign', type: 'string' },
			{ name: 'number', type: 'string' },
			{ name: 'name', type: 'string' },
			{ name: 'messageId', type: 'string' },
			{ name: 'status', type: 'string' },
			{ name: 'statusRank', type: 'number' },
			{ name: 'error', type: 'string' },
			{ name: 'sentAt', type: 'date' },
			{ name: 'statusAt', type: 'date' },
		],
	},
	{
		name: 'sobot_status_events',
		columns: [
			{ name: 'messageId', type: 'string' },
			{ name: 'status', type: 'string' },
			{ name: 'statusRank', type: 'number' },
			{ name: 'error', type: 'string' },
			{ name: 'statusAt', type: 'date' },
		],
	},
];

/**
 * The table the opt-out examples (examples/sobot-optout-*.json) write and read: one row per number that asked to stop
 * (the Sobot Trigger's `optOut`), removed when it asks to start again (`optIn`). docs/keep-your-number-safe.md, "Opt-out".
 */
export const OPT_OUT_TABLES: Array<{ name: string; columns: DataTableColumn[] }> = [
	{
		name: 'sobot_opt_outs',
		columns: [
			{ name: 'number', type: 'string' },
			{ name: 'name', type: 'string' },
			{ name: 'text', type: 'string' },
			{ name: 'optedOutAt', type: 'date' },
		],
	},
];

interface RestLike {
	get<T = unknown>(path: string): Promise<T>;
	post<T = unknown>(path: string, body?: unknown): Promise<T>;
}

export interface DataTableRef {
	id: string;
	name: string;
	projectId: string;
	created: boolean;
}

/**
 * Creates the data tables that do not exist yet in the owner's personal project (where imported workflows live),
 * through n8n's REST API (n8n 2.41.1: `GET /rest/projects/personal`, `GET|POST /rest/projects/:projectId/data-tables`),
 * logged in as the owner. Idempotent: a table with that exact name is kept as it is, rows and columns included.
 */
export async function ensureDataTables(
	rest: RestLike,
	tables = DELIVERY_TABLES,
): Promise<DataTableRef[]> {
	const project = await rest.get<{ id: string }>('/rest/projects/personal');
	const refs: DataTableRef[] = [];
	for (const table of tables) {
		// The name filter is a case-insensitive "contains": pick the exact name among the hits.
		const filter = encodeURIComponent(JSON.stringify({ name: table.name }));
		const listed = await rest.get<{ data?: Array<{ id: string; name: string }> }>(
			`/rest/projects/${project.id}/data-tables?filter=${filter}&take=100`,
		);
		const existing = (listed.data ?? []).find((t) => t.name === table.name);
		if (existing) {
			refs.push({ id: existing.id, name: table.name, projectId: project.id, created: false });
			continue;
		}
		const created = await rest.post<{ id: string }>(`/rest/projects/${project.id}/data-tables`, {
			name: table.name,
			columns: table.columns,
		});
		refs.push({ id: created.id, name: table.name, projectId: project.id, created: true });
	}
	return refs;
}
