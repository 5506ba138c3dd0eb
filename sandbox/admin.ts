/**
 * The admin API under /__admin, for tests, benchmarks and `npm run dev` when the sandbox runs in another process:
 *   GET  /__admin/requests?vendor=&path=   recorded requests
 *   GET  /__admin/accepted                 messages the gateways accepted (to count duplicates)
 *   GET  /__admin/accepted/summary?vendor=&since=   per recipient: messages accepted, repeats of the same content
 *                                          (with a log file, as `npm run dev` has, earlier runs included)
 *   GET  /__admin/webhooks                 webhook deliveries made
 *   GET  /__admin/state                    vendor stores (customers, templates, chats...)
 *   POST /__admin/reset                    forget everything but credentials
 *   POST /__admin/faults                   {rate, kinds?, seed?, retryAfterSeconds?, latencyMs?, holdMs?, pathPattern?}
 *   POST /__admin/account                  {vendor, signal, afterMessages?, inBody?}: the sender cannot send from now
 *                                          or after N accepted messages (signal: banned, restricted, loggedOut,
 *                                          disconnected, unauthorized, rateLimited; "none" clears it: "unban")
 *   POST /__admin/webhooks                 {profilora?: url, sobot?: url, wachatpro?: url, stepDelayMs?, headers?}
 *                                          (a name instead of a URL: a receiver registered in `webhooks.named`, or
 *                                          "default"; `npm run dev` names one per example trigger)
 *   GET  /__admin/webhooks/routes          where each vendor's webhooks go now, and the receivers known by name
 *   POST /__admin/incoming                 {vendor, from, text?, name?, media?, choose?}: a customer writes in
 *                                          (Sobot `choose`: taps a button / picks a row of the last one sent;
 *                                          `media`: an image, document, audio (voice note: Sobot `voice`,
 *                                          Profilora and WAChatPro `ptt`) served from loopback at
 *                                          /<vendor>/media/<id> unless it names its own `url`)
 *                                          (WAChatPro: stored in the chat for the polling trigger; no webhook)
 *   POST /__admin/status                   {vendor, id, status}: post one delivery status webhook now
 *   GET  /__admin/model                    the fake model's requests (bodies, what it answered) and options
 *   POST /__admin/model                    {numberForm?: "as-written"|"plus-spaces"|"json-number"}
 */
import { summarizeAccepted } from './acceptedLog';
import type { AccountSignals } from './accountSignals';
import type { FaultInjector } from './faults';
import type { AcceptedMessage } from './host';
import type { HandlerContext, RecordedRequest, Reply, Vendor } from './http';
import { json } from './http';
import type { FakeModel } from './model';
import type { ProfiloraGateway } from './vendors/profilora';
import type { SobotGateway } from './vendors/sobot';
import type { WaChatProGateway } from './vendors/wachatpro';
import type { WebhookSender } from './webhooks';

type Body = Record<string, unknown>;

/** What the admin API reads and drives of the sandbox (the server implements it). */
export interface AdminTarget {
	readonly requests: RecordedRequest[];
	readonly accepted: AcceptedMessage[];
	/** How many of `accepted` were read from the log file of earlier runs. */
	readonly acceptedEarlier: number;
	readonly webhooks: WebhookSender;
	readonly faults: FaultInjector;
	readonly accountSignals: AccountSignals;
	readonly model: FakeModel;
	readonly profilora: ProfiloraGateway;
	readonly wachatpro: WaChatProGateway;
	readonly sobot: SobotGateway;
	reset(): void;
}

export async function handleAdmin(sandbox: AdminTarget, ctx: HandlerContext): Promise<Reply> {
	const body = (ctx.body ?? {}) as Body;
	const route = `${ctx.method} ${ctx.path}`;
	switch (route) {
		case 'GET /requests': {
			const vendor = ctx.query.get('vendor');
			const path = ctx.query.get('path');
			return json(
				200,
				sandbox.requests.filter(
					(r) => (!vendor || r.vendor === vendor) && (!path || r.path === path),
				),
			);
		}
		case 'GET /accepted':
			return json(200, sandbox.accepted);
		case 'GET /accepted/summary':
			return json(200, {
				fromEarlierRuns: sandbox.acceptedEarlier,
				...summarizeAccepted(sandbox.accepted, {
					vendor: ctx.query.get('vendor') ?? undefined,
					since: ctx.query.get('since') ?? undefined,
				}),
			});
		case 'GET /webhooks/routes':
			return json(200, {
				now: Object.fromEntries(
					(['profilora', 'sobot', 'wachatpro'] as Vendor[])
						.filter((vendor) => sandbox.webhooks.targets[vendor])
						.map((vendor) => [vendor, sandbox.webhooks.routeName(vendor)]),
				),
				named: Object.fromEntries(
					Object.entries(sandbox.webhooks.named).map(([name, r]) => [name, r.vendor]),
				),
			});
		case 'GET /webhooks':
			await sandbox.webhooks.idle();
			return json(200, sandbox.webhooks.log);
		case 'GET /state':
			return json(200, {
				profilora: sandbox.profilora.snapshot(),
				wachatpro: sandbox.wachatpro.snapshot(),
				sobot: sandbox.sobot.snapshot(),
				faultsInjected: sandbox.faults.injected,
				accountSignals: sandbox.accountSignals.snapshot(),
			});
		case 'POST /reset':
			sandbox.reset();
			return json(200, { status: 'reset' });
		case 'POST /faults':
			try {
				sandbox.faults.configure(body as never);
			} catch (error) {
				return json(400, { message: (error as Error).message });
			}
			return json(200, sandbox.faults.current);
		case 'POST /account':
			try {
				return json(200, sandbox.accountSignals.configure(body as never));
			} catch (error) {
				return json(400, { message: (error as Error).message });
			}
		case 'POST /webhooks': {
			for (const vendor of ['profilora', 'sobot', 'wachatpro'] as Vendor[]) {
				const url = body[vendor];
				if (typeof url === 'string' && url && !url.includes('://')) {
					try {
						sandbox.webhooks.route(vendor, url);
					} catch (error) {
						return json(400, { message: (error as Error).message });
					}
				} else if (typeof url === 'string' && url)
					sandbox.webhooks.targets[vendor] = { url, headers: body.headers as never };
				if (url === null) delete sandbox.webhooks.targets[vendor];
			}
			if (typeof body.stepDelayMs === 'number') sandbox.webhooks.stepDelayMs = body.stepDelayMs;
			return json(200, sandbox.webhooks.targets);
		}
		case 'POST /incoming': {
			const vendor = body.vendor;
			if (vendor === 'profilora') return json(200, await sandbox.profilora.incoming(body as never));
			if (vendor === 'sobot') {
				try {
					return json(200, await sandbox.sobot.incoming(body as never));
				} catch (error) {
					return json(400, { message: (error as Error).message });
				}
			}
			if (vendor === 'wachatpro') {
				try {
					return json(200, sandbox.wachatpro.incoming(body as never));
				} catch (error) {
					return json(400, { message: (error as Error).message });
				}
			}
			return json(400, { message: 'vendor must be "profilora", "sobot" or "wachatpro"' });
		}
		case 'POST /status': {
			const vendor = body.vendor;
			if (vendor === 'profilora')
				return json(200, await sandbox.profilora.status(String(body.id), String(body.status)));
			if (vendor === 'sobot')
				return json(200, await sandbox.sobot.status(String(body.id), String(body.status)));
			return json(400, { message: 'vendor must be "profilora" or "sobot"' });
		}
		case 'GET /model':
			return json(200, { options: sandbox.model.options, requests: sandbox.model.requests });
		case 'POST /model':
			try {
				return json(200, sandbox.model.configure(body as never));
			} catch (error) {
				return json(400, { message: (error as Error).message });
			}
		default:
			return json(404, { message: `No admin route ${route}` });
	}
}
