/**
 * The sandbox gateway: one loopback HTTP server that speaks the Profilora, WAChatPro and Sobot APIs
 * (each under its own path prefix, so a credential's base URL is `<sandbox>/profilora` and so on), posts
 * their webhooks, records every request, and injects faults. Used as a library by tests, benchmarks and
 * `npm run dev`, and from the command line by `npm run sandbox`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { AcceptedLog } from './acceptedLog';
import { AccountSignals } from './accountSignals';
import type { AdminTarget } from './admin';
import { handleAdmin } from './admin';
import type { GatewayVendor, SandboxCredentials } from './credentials';
import { DEFAULT_CREDENTIALS, vendorBaseUrl } from './credentials';
import { FaultInjector } from './faults';
import type { AcceptedMessage, GatewayHost } from './host';
import { FakeModel } from './model';
import type { HandlerContext, RecordedRequest, Reply, Vendor } from './http';
import { BodyTooLarge, json, parseJson, readBody, send } from './http';
import { seededRandom } from './random';
import { WebhookSender } from './webhooks';
import { ProfiloraGateway } from './vendors/profilora';
import { SobotGateway } from './vendors/sobot';
import { WaChatProGateway } from './vendors/wachatpro';

// The sandbox's library surface, for the code that imports the server.
export { DEFAULT_CREDENTIALS } from './credentials';
export type { SandboxCredentials } from './credentials';
export type { AcceptedMessage, VendorGateway } from './host';

export interface SandboxOptions {
	port?: number;
	host?: string;
	seed?: number;
	credentials?: Partial<SandboxCredentials>;
	/** Largest request body accepted, bytes (default 200 MB: WAChatPro files travel as base64 JSON). */
	maxBodyBytes?: number;
	/** Keep request bodies in the record (default true); benchmarks turn it off. */
	recordBodies?: boolean;
	/**
	 * A file that keeps what was accepted across restarts of the process (`npm run dev`): read into `accepted` at
	 * start, appended at each message, emptied by a reset (acceptedLog.ts).
	 */
	acceptedLogFile?: string;
}

export class Sandbox implements GatewayHost, AdminTarget {
	readonly credentials: SandboxCredentials;

	readonly faults = new FaultInjector();

	/** Account-level refusals (banned, logged out…), from now or after N accepted messages (accountSignals.ts). */
	readonly accountSignals = new AccountSignals();

	readonly webhooks = new WebhookSender();

	readonly requests: RecordedRequest[] = [];

	readonly accepted: AcceptedMessage[] = [];

	/** How many of `accepted` came from the log file, i.e. from earlier runs. */
	acceptedEarlier: number;

	private readonly acceptedLog: AcceptedLog | undefined;

	random: () => number;

	readonly profilora: ProfiloraGateway;

	readonly wachatpro: WaChatProGateway;

	readonly sobot: SobotGateway;

	/** The fake OpenAI-compatible model under `/model/v1` (not a vendor: its requests are logged in `model.requests`). */
	readonly model: FakeModel;

	private server: Server | undefined;

	private sockets = new Set<Socket>();

	private held = new Set<NodeJS.Timeout>();

	private nextRequestId = 1;

	url = '';

	constructor(readonly options: SandboxOptions = {}) {
		this.credentials = {
			profilora: { ...DEFAULT_CREDENTIALS.profilora, ...options.credentials?.profilora },
			wachatpro: { ...DEFAULT_CREDENTIALS.wachatpro, ...options.credentials?.wachatpro },
			sobot: { ...DEFAULT_CREDENTIALS.sobot, ...options.credentials?.sobot },
			model: { ...DEFAULT_CREDENTIALS.model, ...options.credentials?.model },
		};
		this.random = seededRandom(options.seed ?? 42);
		this.profilora = new ProfiloraGateway(this);
		this.wachatpro = new WaChatProGateway(this);
		this.sobot = new SobotGateway(this);
		this.model = new FakeModel(() => this.credentials.model.apiKey);
		this.acceptedLog = options.acceptedLogFile
			? new AcceptedLog(options.acceptedLogFile)
			: undefined;
		this.accepted.push(...(this.acceptedLog?.load() ?? []));
		this.acceptedEarlier = this.accepted.length;
	}

	/** Base URL to put into each credential. */
	baseUrl(vendor: GatewayVendor): string {
		return vendorBaseUrl(this.url, vendor);
	}

	/** Base URL of the fake model, for an OpenAI credential (`<url>/model/v1`). */
	modelBaseUrl(): string {
		return FakeModel.baseUrl(this.url);
	}

	async start(): Promise<this> {
		const server = createServer((req, res) => void this.onRequest(req, res));
		server.keepAliveTimeout = 5000;
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
		});
		this.server = server;
		const { port } = server.address() as AddressInfo;
		this.url = `http://${this.options.host ?? '127.0.0.1'}:${port}`;
		return this;
	}

	async stop(): Promise<void> {
		this.webhooks.cancelAll();
		for (const timer of this.held) clearTimeout(timer);
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
		this.server = undefined;
	}

	/** Forgets all state, records, faults and webhook targets; keeps credentials. */
	reset(): void {
		this.requests.length = 0;
		this.accepted.length = 0;
		this.acceptedLog?.clear();
		this.acceptedEarlier = 0;
		this.webhooks.log.length = 0;
		this.webhooks.cancelAll();
		this.webhooks.clearRouting();
		this.faults.configure({ rate: 0 });
		this.accountSignals.reset();
		this.random = seededRandom(this.options.seed ?? 42);
		this.profilora.reset();
		this.wachatpro.reset();
		this.sobot.reset();
		this.model.reset();
	}

	accept(message: Omit<AcceptedMessage, 'at'>): AcceptedMessage {
		const entry = { ...message, at: new Date().toISOString() };
		this.accepted.push(entry);
		this.acceptedLog?.append(entry);
		this.accountSignals.accepted(message.vendor);
		return entry;
	}

	/** Requests to one vendor, optionally to one path (without the vendor prefix). */
	requestsTo(vendor: Vendor, path?: string): RecordedRequest[] {
		return this.requests.filter(
			(r) => r.vendor === vendor && (path === undefined || r.path === path),
		);
	}

	private route(pathname: string): { vendor: Vendor; path: string } {
		const match = /^\/(profilora|wachatpro|sobot|__admin)(\/.*)?$/.exec(pathname);
		if (!match) return { vendor: 'unknown', path: pathname };
		return {
			vendor: match[1] === '__admin' ? 'admin' : (match[1] as Vendor),
			path: match[2] ?? '/',
		};
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox');
		if (url.pathname === '/model' || url.pathname.startsWith('/model/')) {
			await this.model.handle(req, res, url.pathname.slice('/model'.length) || '/');
			return;
		}
		const { vendor, path } = this.route(url.pathname);
		const record: RecordedRequest = {
			id: this.nextRequestId++,
			at: new Date().toISOString(),
			vendor,
			method: req.method ?? 'GET',
			path,
			query: Object.fromEntries(url.searchParams),
			headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
			body: undefined,
			bodyBytes: 0,
		};

		const fault = vendor === 'admin' || vendor === 'unknown' ? undefined : this.faults.decide(path);
		if (fault) record.fault = fault.kind;
		if (vendor !== 'admin') this.requests.push(record);
		res.once('close', () => {
			if (!res.writableFinished) record.clientGone = true;
		});

		if (fault?.kind === 'refuse') {
			// Closed before the request is read: the gateway never saw it.
			req.socket.destroy();
			return;
		}

		let reply: Reply;
		try {
			const rawBody = await readBody(req, this.options.maxBodyBytes ?? 200 * 1024 * 1024);
			record.bodyBytes = rawBody.length;
			const body = parseJson(rawBody, req.headers['content-type']);
			record.body = this.options.recordBodies === false ? undefined : body;
			const ctx: HandlerContext = {
				req,
				method: record.method,
				path,
				query: url.searchParams,
				headers: req.headers,
				body,
				rawBody,
				record,
			};

			const refusal =
				vendor === 'admin' ? undefined : this.accountSignals.refusal(vendor, path, body);
			if (refusal) {
				// The account cannot send: the gateway refuses before acting, whatever else was injected.
				reply = refusal;
			} else if (fault && !fault.processed && fault.kind !== 'latency') {
				reply = this.faultReply(fault.kind);
			} else {
				if (fault?.kind === 'latency')
					await new Promise((r) => setTimeout(r, this.faults.latencyMs));
				reply = await this.dispatch(vendor, ctx);
				if (fault?.kind === 'drop') {
					req.socket.destroy();
					record.status = 0;
					return;
				}
				if (fault?.kind === 'timeout') {
					const timer = setTimeout(() => {
						this.held.delete(timer);
						if (!res.destroyed) send(res, reply);
					}, this.faults.holdMs);
					this.held.add(timer);
					return;
				}
				if (fault?.kind === '500') reply = this.faultReply('500');
			}
		} catch (error) {
			reply =
				error instanceof BodyTooLarge
					? json(413, { message: 'Request body too large' })
					: json(500, { message: `Sandbox error: ${(error as Error).message}` });
		}
		record.status = reply.status;
		if (!res.destroyed) send(res, reply);
	}

	private faultReply(kind: string): Reply {
		switch (kind) {
			case '429':
				return json(
					429,
					{ message: 'Too many requests', code: 429 },
					{ 'retry-after': String(this.faults.retryAfterSeconds) },
				);
			case '502':
				return json(502, { message: 'Bad gateway' });
			case '503':
				return json(503, { message: 'Service unavailable', code: 503 });
			default:
				return json(500, { message: 'Internal server error', code: 500 });
		}
	}

	private async dispatch(vendor: Vendor, ctx: HandlerContext): Promise<Reply> {
		switch (vendor) {
			case 'admin':
				return await handleAdmin(this, ctx);
			case 'profilora':
				return await this.profilora.handle(ctx);
			case 'wachatpro':
				return await this.wachatpro.handle(ctx);
			case 'sobot':
				return await this.sobot.handle(ctx);
			default:
				return json(404, {
					message: `Unknown path ${ctx.path}: vendor APIs live under /profilora, /wachatpro and /sobot; the admin API under /__admin`,
				});
		}
	}
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await new Sandbox(options).start();
}
