/**
 * A loopback stand-in for n8n's production webhook server, small but faithful where the triggers care:
 * it reads the raw body with n8n's default 16 MB cap, parses it as n8n's body parser does (JSON, text,
 * form; broken JSON is answered 422 before the node runs), routes by method to the node's webhook
 * descriptions (no match: 404), builds n8n-core's real `WebhookContext` around an express-like request
 * and response, calls the node's `webhook()`, and answers as n8n's `executeWebhook` does with the result.
 * Workflow static data is kept as JSON between requests and loaded into a fresh `Workflow` each time,
 * as n8n loads it from its database for every webhook call.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { ExecutionLifecycleHooks, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from '../harness/credentials';
import { PACKAGE, loadCredentialTypes, makeAdditionalData, nodeTypesFor } from '../harness/engine';

/** n8n's N8N_PAYLOAD_SIZE_MAX default, MB. */
const N8N_PAYLOAD_MAX_BYTES = 16 * 1024 * 1024;

export interface HandledRequest {
	method: string;
	status: number;
	/** The parsed JSON answer. */
	response: unknown;
	/** Output items when the request started an execution. */
	items?: INodeExecutionData[];
	error?: Error;
}

export interface EndpointOptions {
	node: INodeType;
	parameters?: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Extra path after the webhook path, e.g. a query string. */
	query?: string;
}

type ExpressResponse = ServerResponse & {
	/** The last body sent through json(), for tests to read what the node answered. */
	sentBody?: unknown;
	status(code: number): ExpressResponse;
	json(body: unknown): void;
	send(body: unknown): void;
};

function expressResponse(res: ServerResponse): ExpressResponse {
	const express = res as ExpressResponse;
	express.status = (code) => {
		express.statusCode = code;
		return express;
	};
	express.json = (body) => {
		express.sentBody = body;
		if (!express.getHeader('content-type')) express.setHeader('content-type', 'application/json; charset=utf-8');
		express.end(JSON.stringify(body));
	};
	express.send = (body) => (typeof body === 'string' || Buffer.isBuffer(body) ? express.end(body) : express.json(body));
	return express;
}

export class TriggerEndpoint {
	readonly handled: HandledRequest[] = [];

	/** What n8n would have saved in its database after each call. */
	staticData: IDataObject = {};

	url = '';

	private server: Server | undefined;

	private readonly node: INode;

	private readonly typeName: string;

	private readonly credentialsHelper: TestCredentialsHelper;

	constructor(private readonly options: EndpointOptions) {
		this.typeName = `${PACKAGE}.${options.node.description.name}`;
		this.node = {
			id: 'trigger-under-test',
			name: 'Trigger Under Test',
			type: this.typeName,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'b3d1f6a2-5c4e-4f1a-9d7e-2a6b8c0e1f34',
			parameters: options.parameters ?? {},
			credentials: Object.fromEntries(
				Object.keys(options.credentials ?? {}).map((type) => [type, { id: `${type}-id`, name: `${type} test` }]),
			),
		};
		this.credentialsHelper = new TestCredentialsHelper(loadCredentialTypes(), options.credentials ?? {});
	}

	/** Items of every request that started an execution, in order. */
	get executions(): INodeExecutionData[][] {
		return this.handled.filter((h) => h.items).map((h) => h.items as INodeExecutionData[]);
	}

	async start(): Promise<this> {
		const server = createServer((req, res) => void this.onRequest(req, expressResponse(res)));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		this.server = server;
		const { port } = server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}/webhook/${this.node.webhookId}/webhook${this.options.query ?? ''}`;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
		this.server = undefined;
	}

	private async readBody(req: IncomingMessage): Promise<Buffer | undefined> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size > N8N_PAYLOAD_MAX_BYTES) return undefined;
			chunks.push(chunk as Buffer);
		}
		return Buffer.concat(chunks);
	}

	private async onRequest(req: IncomingMessage, res: ExpressResponse): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const record: HandledRequest = { method, status: 0, response: undefined };
		const finish = (status: number, body: unknown) => {
			record.status = status;
			record.response = body;
			if (!res.writableEnded) res.status(status).json(body);
		};
		res.on('finish', () => {
			record.status = res.statusCode;
		});
		this.handled.push(record);

		const rawBody = await this.readBody(req);
		if (!rawBody) return finish(413, { message: 'request entity too large' });
		const description = this.options.node.description.webhooks?.find((w) =>
			String(w.httpMethod)
				.split(',')
				.map((m) => m.trim())
				.includes(method),
		);
		if (!description) return finish(404, { message: `This webhook is not registered for ${method} requests` });

		const contentType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
		let body: unknown;
		if (rawBody.length > 0) {
			const text = rawBody.toString('utf8');
			if (contentType === 'application/json') {
				try {
					body = JSON.parse(text.replace(/^\uFEFF/, ''));
				} catch {
					return finish(422, { message: 'Failed to parse request body' });
				}
			} else if (contentType === 'text/plain') {
				body = text;
			} else if (contentType === 'application/x-www-form-urlencoded') {
				body = parseQuery(text);
			}
		}
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const request = Object.assign(req, {
			body,
			rawBody,
			contentType,
			query: parseQuery(url.search.replace(/^\?/, '')),
			params: {},
		});

		const workflow = this.workflow();
		const hooks = new ExecutionLifecycleHooks('webhook', 'test-webhook-execution', {} as IWorkflowBase);
		const additionalData = makeAdditionalData(this.credentialsHelper, hooks);
		additionalData.httpRequest = request as never;
		additionalData.httpResponse = res as never;
		const webhookData: IWebhookData = {
			httpMethod: method as IHttpRequestMethods,
			node: this.node.name,
			path: `${this.node.webhookId}/${description.path}`,
			webhookDescription: description,
			workflowId: 'trigger-test-workflow',
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
		};
		const context = new WebhookContext(workflow, this.node, additionalData, 'webhook', webhookData, [], null);

		let result: IWebhookResponseData;
		try {
			result = await (this.options.node.webhook as (this: unknown) => Promise<IWebhookResponseData>).call(context);
		} catch (error) {
			record.error = error as Error;
			return finish(500, { message: 'Error in workflow' });
		}
		this.saveStaticData(workflow);

		if (result.noWebhookResponse) {
			record.response = res.sentBody;
			if (!res.writableEnded) res.end();
			return;
		}
		if (result.workflowData === undefined) {
			return finish(200, result.webhookResponse ?? { message: 'Webhook call received' });
		}
		record.items = result.workflowData[0];
		finish(200, { message: 'Workflow was started' });
	}

	private workflow(): Workflow {
		return new Workflow({
			id: 'trigger-test-workflow',
			name: 'Trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: nodeTypesFor({ [this.typeName]: this.options.node }),
			staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
			settings: {},
		});
	}

	/** n8n saves static data only when the node changed it. */
	private saveStaticData(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged !== true) return;
		const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		delete saved.__dataChanged;
		this.staticData = saved;
	}
}
