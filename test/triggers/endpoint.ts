/**
 * A loopback stand-in for n8n's production webhook server, small but faithful where the triggers care:
 * it reads the raw body with n8n's default 16 MB cap, parses it as n8n's body parser does (JSON, text,
 * form; broken JSON is answered 422 before the node runs), routes by method to the node's webhook
 * descriptions (no match: 404), builds n8n-core's real `WebhookContext` around an express-like request
 * and response, calls the node's `webhook()`, and answers as n8n's `executeWebhook` does with the result.
 * When the node returns items it starts an execution as n8n does: n8n-core's `WorkflowExecute` with the trigger
 * as the start node and the webhook's items as its input, so the trigger's `execute()` runs (mode `webhook`).
 *
 * Static data is kept as JSON between requests and loaded into a fresh `Workflow` each time, as n8n loads it from
 * its database, and saved as n8n 2.41 really saves it: what `webhook()` changed only when the request starts no
 * execution (when it does, n8n resets the change flag before its save: docs/n8n-persistence.md), and what the
 * execution changed after it ends. n8n's processed-data store is the harness's in-memory `ProcessedDataStore`,
 * kept for the endpoint's lifetime like n8n's database. Webhook and execution run in this one process, as in n8n's
 * single mode: what the package keeps in module memory (webhook/recentEvents.ts) is shared by both, and `restart()`
 * forgets it as an n8n restart does.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';

import { TestCredentialsHelper } from '../harness/credentials';
import type { PackageNodeType } from '../harness/engine';
import {
	PACKAGE,
	loadCredentialTypes,
	makeAdditionalData,
	nodeTypeAt,
	nodeTypesFor,
} from '../harness/engine';
import { ProcessedDataStore, useProcessedDataStore } from '../harness/processedData';
import { eventKey } from '../../nodes/shared/webhook/dedupe';

const WORKFLOW_ID = 'trigger-test-workflow';
import { forgetRecentEvents, takeStartedHere } from '../../nodes/shared/webhook/recentEvents';

/** n8n's N8N_PAYLOAD_SIZE_MAX default, MB. */
const N8N_PAYLOAD_MAX_BYTES = 16 * 1024 * 1024;

export interface HandledRequest {
	method: string;
	status: number;
	/** The parsed JSON answer. */
	response: unknown;
	/** True when the request started an execution. */
	started?: boolean;
	/** The trigger's output items in that execution (empty when its `execute()` dropped every event). */
	items?: INodeExecutionData[];
	/**
	 * What `webhook()` returned as `workflowData`. For a resume webhook (Send and Wait for Reply) this is what n8n
	 * puts on the waiting node's outputs; the endpoint does not run an execution for it then (its answer was sent
	 * by the node itself: `noWebhookResponse`).
	 */
	returned?: INodeExecutionData[][];
	error?: Error;
}

export interface EndpointOptions {
	node: PackageNodeType;
	parameters?: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Extra path after the webhook path, e.g. a query string. */
	query?: string;
	/** n8n's processed-data store (a fresh one by default). */
	processedData?: ProcessedDataStore;
	/** n8n's WEBHOOK_URL as the node sees it (`getNodeWebhookUrl`); the harness's default otherwise. */
	webhookBaseUrl?: string;
	/** The node's version in the workflow (its default version unless told): n8n reads bodies differently for 1. */
	typeVersion?: number;
	/**
	 * Queue mode: the executions run on a worker, a process that did not take the webhook (so it has no note of
	 * having started them: recentEvents.ts `noteStartedHere`).
	 */
	onWorker?: boolean;
	/**
	 * n8n could not create the execution (its database refused, say): webhook-helpers.js then answers the request
	 * with an error (500) instead of the started answer, and nothing runs.
	 */
	startFails?: () => boolean;
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
		if (!express.getHeader('content-type'))
			express.setHeader('content-type', 'application/json; charset=utf-8');
		express.end(JSON.stringify(body));
	};
	express.send = (body) =>
		typeof body === 'string' || Buffer.isBuffer(body) ? express.end(body) : express.json(body);
	return express;
}

export class TriggerEndpoint {
	readonly handled: HandledRequest[] = [];

	/** Executions under way (started by a request already answered). */
	private readonly running = new Set<Promise<void>>();

	/** What n8n would have saved in its database after each call. */
	staticData: IDataObject = {};

	/** n8n's processed-data store of this workflow. */
	readonly processedData: ProcessedDataStore;

	url = '';

	private server: Server | undefined;

	private readonly node: INode;

	private readonly typeName: string;

	private readonly credentialsHelper: TestCredentialsHelper;

	private readonly nodeType: INodeType;

	constructor(private readonly options: EndpointOptions) {
		// A new endpoint is a new n8n process: nothing the package's module-level memory holds carries over.
		forgetRecentEvents();
		this.processedData = options.processedData ?? new ProcessedDataStore();
		const typeVersion = options.typeVersion ?? options.node.description.defaultVersion ?? 1;
		this.nodeType = nodeTypeAt(options.node, typeVersion);
		this.typeName = `${PACKAGE}.${this.nodeType.description.name}`;
		this.node = {
			id: 'trigger-under-test',
			name: 'Trigger Under Test',
			type: this.typeName,
			typeVersion,
			position: [0, 0],
			webhookId: 'b3d1f6a2-5c4e-4f1a-9d7e-2a6b8c0e1f34',
			parameters: options.parameters ?? {},
			credentials: Object.fromEntries(
				Object.keys(options.credentials ?? {}).map((type) => [
					type,
					{ id: `${type}-id`, name: `${type} test` },
				]),
			),
		};
		this.credentialsHelper = new TestCredentialsHelper(
			loadCredentialTypes(),
			options.credentials ?? {},
		);
	}

	/** The trigger's items of every execution that had any, in order (what the rest of a workflow would see). */
	get executions(): INodeExecutionData[][] {
		return this.handled
			.filter((h) => h.items && h.items.length > 0)
			.map((h) => h.items as INodeExecutionData[]);
	}

	/** How many requests started an execution, with items or without. */
	get started(): number {
		return this.handled.filter((h) => h.started).length;
	}

	async start(): Promise<this> {
		const server = createServer((req, res) => {
			// Tracked until `webhook()` returns: a node may answer before it has finished (a resume webhook
			// downloading the answer's file).
			const handling: Promise<void> = this.onRequest(req, expressResponse(res)).finally(() =>
				this.running.delete(handling),
			);
			this.running.add(handling);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		this.server = server;
		const { port } = server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}/webhook/${this.node.webhookId}/webhook${this.options.query ?? ''}`;
		return this;
	}

	/** What an n8n restart does: the process's memory is gone; static data and the processed-data store stay. */
	restart(): void {
		forgetRecentEvents();
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
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
			if (res.writableEnded) return;
			// n8n sends a string body as it is (express: text/html), anything else as JSON.
			if (typeof body === 'string')
				res.status(status).setHeader('content-type', 'text/html; charset=utf-8');
			res.status(status).send(body);
		};
		res.on('finish', () => {
			record.status = res.statusCode;
		});
		this.handled.push(record);

		const rawBody = await this.readBody(req);
		if (!rawBody) return finish(413, { message: 'request entity too large' });
		const description = this.nodeType.description.webhooks?.find((w) =>
			String(w.httpMethod)
				.split(',')
				.map((m) => m.trim())
				.includes(method),
		);
		if (!description)
			return finish(404, { message: `This webhook is not registered for ${method} requests` });

		const contentType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
		let body: unknown;
		let keptRawBody: Buffer | undefined = rawBody;
		// n8n 2.x parses the body of a node of version 2 or later only for these media types (webhook-helpers
		// `parseRequestBody`); otherwise it leaves the body unread, for the node to read with `readRawBody()`.
		const parsable =
			contentType !== undefined &&
			(contentType.startsWith('application/json') ||
				contentType.startsWith('text/plain') ||
				contentType.startsWith('application/x-www-form-urlencoded') ||
				contentType.endsWith('/xml') ||
				contentType.endsWith('+xml'));
		if (contentType === 'multipart/form-data') {
			// n8n parses multipart itself (formidable) and keeps no raw body then.
			body = multipartFields(rawBody.toString('utf8'));
			keptRawBody = undefined;
		} else if (this.node.typeVersion > 1 && !parsable) {
			keptRawBody = undefined;
		} else if (rawBody.length > 0) {
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
			} else if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
				body = xmlObject(text);
			}
		}
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const request = Object.assign(req, {
			body,
			rawBody: keptRawBody,
			contentType,
			query: parseQuery(url.search.replace(/^\?/, '')),
			params: {},
			// n8n's rawBodyReader: the body as it came (read once, above, to apply n8n's 16 MB cap).
			readRawBody: async () => {
				request.rawBody ??= rawBody;
			},
		});

		const workflow = this.workflow();
		const hooks = new ExecutionLifecycleHooks(
			'webhook',
			'test-webhook-execution',
			{} as IWorkflowBase,
		);
		const additionalData = makeAdditionalData(this.credentialsHelper, hooks);
		if (this.options.webhookBaseUrl) additionalData.webhookBaseUrl = this.options.webhookBaseUrl;
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
		const context = new WebhookContext(
			workflow,
			this.node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);

		let result: IWebhookResponseData;
		try {
			result = await (
				this.nodeType.webhook as (this: unknown) => Promise<IWebhookResponseData>
			).call(context);
		} catch (error) {
			record.error = error as Error;
			return finish(500, { message: 'Error in workflow' });
		}

		if (result.noWebhookResponse) {
			record.returned = result.workflowData;
			this.saveStaticData(workflow);
			record.response = res.sentBody;
			if (!res.writableEnded) res.end();
			return;
		}
		if (result.workflowData === undefined) {
			this.saveStaticData(workflow);
			return finish(200, result.webhookResponse ?? { message: 'Webhook call received' });
		}
		record.returned = result.workflowData;
		if (this.options.startFails?.()) {
			return finish(500, { message: 'There was a problem executing the workflow' });
		}
		finish(200, onReceivedAnswer(description.responseData, result));
		record.started = true;
		if (this.options.onWorker) {
			for (const item of result.workflowData[0] ?? []) {
				const key = eventKey(item.json);
				if (key) takeStartedHere(WORKFLOW_ID, this.node.id, key);
			}
		}
		const running = this.execute(result.workflowData).then(
			(items) => void (record.items = items),
			(error: unknown) => void (record.error = error as Error),
		);
		this.running.add(running);
		await running;
		this.running.delete(running);
	}

	/**
	 * Resolves when every request and every execution started so far has ended (n8n answers the webhook before its
	 * execution runs).
	 */
	async idle(): Promise<void> {
		while (this.running.size > 0) await Promise.all([...this.running]);
	}

	/** The execution n8n starts with the webhook's items: the trigger node first, in mode `webhook`. */
	private async execute(workflowData: INodeExecutionData[][]): Promise<INodeExecutionData[]> {
		await useProcessedDataStore(this.processedData);
		const workflow = this.workflow();
		const hooks = new ExecutionLifecycleHooks(
			'webhook',
			'test-webhook-execution',
			{} as IWorkflowBase,
		);
		let finished: (run: IRun) => void = () => {};
		const done = new Promise<IRun>((resolve) => (finished = resolve));
		hooks.addHandler('workflowExecuteAfter', (run) => finished(run));
		const additionalData = makeAdditionalData(this.credentialsHelper, hooks);
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: this.node, data: { main: workflowData }, source: null }],
			},
		});
		await new WorkflowExecute(additionalData, 'webhook', runExecutionData).processRunExecutionData(
			workflow,
		);
		const run = await done;
		this.saveStaticData(workflow);
		const task = run.data.resultData.runData[this.node.name]?.[0];
		if (task?.error) throw task.error;
		return task?.data?.main?.[0] ?? [];
	}

	private workflow(): Workflow {
		return new Workflow({
			id: WORKFLOW_ID,
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

/**
 * What n8n 2.41 answers when a webhook with `responseMode: 'onReceived'` starts an execution (webhook-helpers.js,
 * extractWebhookOnReceivedResponse): the description's `responseData` (default "firstEntryJson", sent as text), nothing
 * for "noData", else the node's `webhookResponse`, else `{message: 'Workflow was started'}`.
 */
function onReceivedAnswer(responseData: unknown, result: IWebhookResponseData): unknown {
	const data = responseData === undefined ? 'firstEntryJson' : responseData;
	if (data === 'noData') return undefined;
	if (data) return data;
	return result.webhookResponse ?? { message: 'Workflow was started' };
}

/** A flat XML document as n8n's xml2js reading gives it (`explicitArray: false`): `{root: {tag: text}}`. */
function xmlObject(text: string): unknown {
	const root = /<([A-Za-z_][\w.-]*)[^>]*>([\s\S]*)<\/\1>/.exec(text);
	if (!root) return undefined;
	const fields: Record<string, string> = {};
	for (const [, tag, value] of root[2].matchAll(/<([A-Za-z_][\w.-]*)[^>]*>([^<]*)<\/\1>/g))
		fields[tag.toLowerCase()] = value;
	return { [root[1].toLowerCase()]: fields };
}

/** The text fields of a multipart/form-data body, as n8n's multipart reading puts them in `body.data`. */
function multipartFields(text: string): unknown {
	const data: Record<string, string> = {};
	for (const [, name, value] of text.matchAll(/name="([^"]+)"\r?\n\r?\n([^\r\n]*)/g))
		data[name] = value;
	return { data };
}
