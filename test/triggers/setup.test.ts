/**
 * Set-up of the triggers: the webhook lifecycle (run through n8n-core's HookContext, as n8n does on
 * activation), the descriptions n8n's webhook router reads, and the webhook-secret credential test.
 */
import { ExecutionLifecycleHooks, HookContext } from 'n8n-core';
import type {
	INode,
	INodeType,
	IWebhookData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ProfiloraTrigger } from '../../nodes/ProfiloraTrigger/ProfiloraTrigger.node';
import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { checkWebhookSecret, webhookSecretTest } from '../../nodes/shared/webhook/credentialTest';
import { TestCredentialsHelper } from '../harness/credentials';
import { PACKAGE, loadCredentialTypes, makeAdditionalData, nodeTypesFor } from '../harness/engine';

const triggers: Array<[string, INodeType]> = [
	['Profilora', new ProfiloraTrigger()],
	['Sobot', new SobotTrigger()],
];

describe.each(triggers)('%s Trigger set-up', (vendor, nodeType) => {
	const node: INode = {
		id: 'trigger',
		name: `${vendor} Trigger`,
		type: `${PACKAGE}.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
		parameters: {},
	};

	function hook(workflow: Workflow, baseUrl = 'https://n8n.example.com') {
		const hooks = new ExecutionLifecycleHooks('webhook', 'x', {} as IWorkflowBase);
		const additionalData: IWorkflowExecuteAdditionalData = {
			...makeAdditionalData(new TestCredentialsHelper(loadCredentialTypes(), {}), hooks),
			webhookBaseUrl: `${baseUrl}/webhook`,
		};
		const description = nodeType.description.webhooks!.find((w) => w.name === 'default')!;
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${node.webhookId}/webhook`,
			webhookDescription: description,
			workflowId: 'wf',
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
		};
		const context = new HookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			'activate',
			webhookData,
		);
		const logged: string[] = [];
		Object.defineProperty(context, 'logger', {
			value: { info: (message: string) => logged.push(message) },
		});
		return { context, logged };
	}

	it('records the production URL on activation, notices when it changes, forgets it on deactivation', async () => {
		const workflow = new Workflow({
			id: 'wf',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: nodeTypesFor({ [node.type]: nodeType }),
		});
		const methods = nodeType.webhookMethods!.default!;
		const url = `https://n8n.example.com/webhook/${node.webhookId}/webhook`;

		const first = hook(workflow);
		expect(await methods.checkExists.call(first.context)).toBe(false);
		expect(await methods.create.call(first.context)).toBe(true);
		expect(first.logged[0]).toBe(
			`${vendor} Trigger: paste ${url} into the ${vendor} dashboard as the webhook URL`,
		);
		expect(await methods.checkExists.call(first.context)).toBe(true);

		const moved = hook(workflow, 'https://automation.example.org');
		expect(await methods.checkExists.call(moved.context)).toBe(false);

		expect(await methods.delete.call(first.context)).toBe(true);
		expect(first.logged[1]).toContain(
			`${url} no longer receives events; remove it from the ${vendor} dashboard`,
		);
		expect(await methods.checkExists.call(first.context)).toBe(false);
		expect(workflow.staticData.__dataChanged).toBe(true);
	});

	it('is a trigger without inputs, not a tool, with a POST webhook and a hidden one for other methods', () => {
		const { description } = nodeType;
		expect(description.name.endsWith('Trigger')).toBe(true);
		expect(description.inputs).toEqual([]);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.group).toEqual(['trigger']);
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'webhook' }),
			expect.objectContaining({
				name: 'setup',
				httpMethod: 'GET,PUT,PATCH,DELETE',
				path: 'webhook',
				ndvHideUrl: true,
			}),
		]);
		expect(description.properties[0]).toMatchObject({ type: 'notice', name: 'setupNotice' });
		expect(description.properties[0].displayName).toContain('Production URL');
	});
});

describe('webhook secret credential test', () => {
	it.each([
		['whatsAppWebhookHeaderAuthApi', { name: 'X-Webhook-Secret', secret: 'a'.repeat(16) }, 'OK'],
		['whatsAppWebhookHeaderAuthApi', { name: 'X Webhook', secret: 'a'.repeat(16) }, 'Error'],
		['whatsAppWebhookHeaderAuthApi', { name: 'X-Webhook-Secret', secret: 'short' }, 'Error'],
		['whatsAppWebhookQueryAuthApi', { name: 'token', token: 'b'.repeat(20) }, 'OK'],
		['whatsAppWebhookQueryAuthApi', { name: 'to ken', token: 'b'.repeat(20) }, 'Error'],
		['whatsAppWebhookQueryAuthApi', { name: 'token', token: '' }, 'Error'],
		['whatsAppWebhookBasicAuthApi', { user: 'gateway', password: 'c'.repeat(16) }, 'OK'],
		['whatsAppWebhookBasicAuthApi', { user: '', password: 'c'.repeat(16) }, 'Error'],
		['whatsAppWebhookBasicAuthApi', { user: 'a:b', password: 'c'.repeat(16) }, 'Error'],
		['whatsAppWebhookBasicAuthApi', { user: 'gateway', password: 'password' }, 'Error'],
	])('%s %j → %s', async (type, data, status) => {
		expect(checkWebhookSecret(type, data).status).toBe(status);
		const result = await webhookSecretTest.call({} as never, { id: '1', name: 'c', type, data });
		expect(result.status).toBe(status);
	});

	it('is wired as testedBy for every credential of both triggers', () => {
		for (const [, nodeType] of triggers) {
			expect(nodeType.description.credentials).toHaveLength(3);
			for (const credential of nodeType.description.credentials!) {
				expect(credential.testedBy).toBe('webhookSecretTest');
				expect(Object.keys(loadCredentialTypes())).toContain(credential.name);
			}
			expect(nodeType.methods?.credentialTest?.webhookSecretTest).toBe(webhookSecretTest);
		}
	});
});
