/**
 * Sobot as documented (docs/vendors.md): `x-api-key` / `x-api-secret` headers, customers, templates and
 * `POST /message/`, lists of 20 a page with absolute `next` links back at the sandbox, and the webhooks.
 *
 * Error shapes: always `{"message": ..., "code": <status>}`. Like Sobot, some refusals come with HTTP 200 and
 * only the body's `code` tells (a client must read both):
 * - HTTP 200 + code 400: "Customer already exists", "Template with this name already exists", an unusable
 *   number on /message/ ("Invalid mobile number"), a free-form message outside the 24-hour window (with Meta's
 *   error 131047 under `error`);
 * - HTTP 200 + code 404: updating a customer that does not exist;
 * - HTTP 4xx: missing keys (401), every other validation error (400), unknown paths (404).
 *
 * Sandbox rules (for tests, not Sobot's):
 * - a number ending in 0000 is "not on WhatsApp": /message/ answers "Invalid mobile number";
 * - a number ending in 999 gets a `failed` status webhook after `sent`, one ending in 888 only `sent` (accepted, never
 *   delivered: the phone is off), one ending in 777 `sent` and `delivered` (never read), the others `sent`,
 *   `delivered`, `read`;
 * - free-form messages need the customer to have written within 24 hours through `incoming()` (per number,
 *   `lastInbound`; set `enforceWindow = false` to switch the rule off); templates go any time;
 * - new templates are pending until `review()` (or `POST /sobot/__sandbox/templates/<name>/review`,
 *   `{"status": "approved"|"rejected", "reason"?}`) decides; a few approved templates are seeded on reset;
 * - incoming media is served, without keys, at `GET /sobot/media/<id>` (the URL in the webhook).
 */
import type { HandlerContext, Reply } from '../../http';
import { json } from '../../http';
import { randomId } from '../../random';
import type { GatewayHost, VendorGateway } from '../../host';
import type { SobotCustomer } from './customers';
import { applyCustomer, checkCustomer, listedCustomer } from './customers';
import { MEDIA_PATH, MediaShelf, defaultMimeType } from '../../media';
import { FREE_FORM_TYPES, checkMessage, contentOf } from './messages';
import type { Body, Refusal } from './rules';
import { digitsOf, refuse } from './rules';
import type { SobotTemplate } from './templates';
import { SEED_TEMPLATES, STATUS, checkTemplate, newTemplate } from './templates';

export interface SobotIncoming {
	from: string;
	name?: string;
	text?: string;
	media?: {
		/** `audio` with `voice` is a voice note (Meta's `audio.voice: true`). */
		type: 'image' | 'video' | 'audio' | 'document';
		voice?: boolean;
		/** Defaults to a file the sandbox serves at /sobot/media/<id>. */
		url?: string;
		mime_type?: string;
		caption?: string;
		filename?: string;
		/** The file's bytes as base64, when a test wants to recognise what it downloads. */
		data?: string;
	};
	/** The key the media object sits under; the vendor's own video example uses `image`. */
	mediaKey?: string;
	/**
	 * The customer taps a button or picks a list row (by its title or id) of the last buttons/list message sent
	 * to them: posted as Meta's interactive reply, with `context.id` naming that message. Refused (an Error) when
	 * the last such message offers no such choice, so a test also proves what the node sent.
	 */
	choose?: string;
}

export interface SobotSentMessage {
	id: string;
	to: string;
	name: string;
	type: string;
	body: Body;
	at: string;
}

const PAGE_SIZE = 20;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The business number the sandbox's webhooks come from. */
export const SOBOT_BUSINESS_NUMBER = '919000000001';
const WAMID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The status webhooks the sandbox posts for an accepted message, by the recipient's last digits (rules above). */
export function statusesFor(to: string): string[] {
	if (to.endsWith('999')) return ['sent', 'failed'];
	if (to.endsWith('888')) return ['sent'];
	if (to.endsWith('777')) return ['sent', 'delivered'];
	return ['sent', 'delivered', 'read'];
}

export class SobotGateway implements VendorGateway {
	readonly vendor = 'sobot' as const;

	customers = new Map<string, SobotCustomer>();

	templates: SobotTemplate[] = [];

	sent: SobotSentMessage[] = [];

	media = new MediaShelf();

	/** When each number last wrote in (ms), for the 24-hour rule. */
	lastInbound = new Map<string, number>();

	enforceWindow = true;

	/** The host `next` links name; set it to Sobot's public host to act like a gateway behind a proxy. */
	linkBaseUrl: string | undefined;

	private nextId = 1;

	constructor(private readonly sandbox: GatewayHost) {
		this.reset();
	}

	reset(): void {
		this.customers = new Map();
		this.sent = [];
		this.media = new MediaShelf();
		this.lastInbound = new Map();
		this.enforceWindow = true;
		this.linkBaseUrl = undefined;
		this.nextId = 1;
		this.templates = SEED_TEMPLATES.map(({ status, rejected_reason, body }) => ({
			...newTemplate(this.nextId++, body, status),
			rejected_reason: rejected_reason ?? null,
		}));
	}

	snapshot() {
		return {
			customers: [...this.customers.values()],
			templates: this.templates,
			sent: this.sent,
			windows: Object.fromEntries(
				[...this.lastInbound].map(([number, at]) => [number, new Date(at).toISOString()]),
			),
			media: this.media.list(),
		};
	}

	handle(ctx: HandlerContext): Reply {
		const path = ctx.path.replace(/\/+$/, '') || '/';
		const mediaMatch = MEDIA_PATH.exec(path);
		if (ctx.method === 'GET' && mediaMatch) return this.media.serve(mediaMatch[1]);
		const reviewMatch = /^\/__sandbox\/templates\/([^/]+)\/review$/.exec(path);
		if (ctx.method === 'POST' && reviewMatch) {
			const body = (ctx.body ?? {}) as Body;
			const template = this.review(
				decodeURIComponent(reviewMatch[1]),
				body.status === 'rejected' ? 'rejected' : 'approved',
				body.reason as string,
			);
			return template
				? json(200, template)
				: json(404, { message: 'Template not found', code: 404 });
		}

		if (!this.authorised(ctx))
			return json(401, { message: 'Invalid API key or secret key', code: 401 });
		const body = (ctx.body && typeof ctx.body === 'object' ? ctx.body : {}) as Body;
		const customerMatch = /^\/api\/customer\/([^/]+)$/.exec(path);
		const route = `${ctx.method} ${customerMatch ? '/api/customer/:mobile' : path}`;
		switch (route) {
			case 'POST /api/customer':
				return this.addCustomer(body);
			case 'PUT /api/customer/:mobile':
				return this.updateCustomer(decodeURIComponent(customerMatch![1]), body);
			case 'GET /api/customer':
				return this.page(ctx, '/api/customer', [...this.customers.values()].map(listedCustomer));
			case 'POST /message':
				return this.sendMessage(body);
			case 'POST /api/template':
				return this.createTemplate(body);
			case 'GET /api/template':
				return this.listTemplates(ctx);
			default:
				return json(404, { message: `Not found: ${ctx.method} ${ctx.path}`, code: 404 });
		}
	}

	private authorised(ctx: HandlerContext): boolean {
		const { accessKey, secretKey } = this.sandbox.credentials.sobot;
		return ctx.headers['x-api-key'] === accessKey && ctx.headers['x-api-secret'] === secretKey;
	}

	private refusal({ status, code, message }: Refusal): Reply {
		return json(status, { message, code });
	}

	private addCustomer(body: Body): Reply {
		const problem = checkCustomer(body, true);
		if (problem) return this.refusal(problem);
		const mobile = digitsOf(body.mobile) as string;
		if (this.customers.has(mobile))
			return this.refusal(refuse('Customer already exists', { status: 200 }));
		const now = new Date().toISOString();
		const customer: SobotCustomer = {
			id: this.nextId++,
			mobile,
			name: '',
			first_name: '',
			last_name: '',
			extra_fields: {},
			labels: [],
			created_at: now,
			updated_at: now,
		};
		applyCustomer(customer, body);
		this.customers.set(mobile, customer);
		return json(201, { message: 'Customer added successfully', code: 201 });
	}

	private updateCustomer(mobile: string, body: Body): Reply {
		const customer = this.customers.get(mobile);
		if (!customer) return this.refusal(refuse('Customer not found', { status: 200, code: 404 }));
		if ('mobile' in body) return this.refusal(refuse('mobile cannot be changed'));
		const problem = checkCustomer(body, false);
		if (problem) return this.refusal(problem);
		applyCustomer(customer, body);
		return json(200, { message: 'Customer updated successfully', code: 200 });
	}

	/** One page of a list, `{count, size, next, previous, code, data}`, with absolute links back at the sandbox. */
	private page(ctx: HandlerContext, path: string, all: unknown[]): Reply {
		const raw = ctx.query.get('page') ?? '1';
		const page = Number(raw);
		const pages = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
		if (!Number.isInteger(page) || page < 1 || page > pages)
			return json(404, { message: 'Invalid page.', code: 404 });
		const link = (target: number) => {
			const query = new URLSearchParams(ctx.query);
			query.set('page', String(target));
			return `${this.linkBaseUrl ?? this.sandbox.baseUrl('sobot')}${path}?${query.toString()}`;
		};
		return json(200, {
			count: all.length,
			size: PAGE_SIZE,
			next: page < pages ? link(page + 1) : null,
			previous: page > 1 ? link(page - 1) : null,
			code: 200,
			data: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
		});
	}

	private listTemplates(ctx: HandlerContext): Reply {
		const status = ctx.query.get('status');
		if (status !== null && !['0', '1', '2'].includes(status)) {
			return json(400, {
				message: 'status must be 0 (pending), 1 (approved) or 2 (rejected)',
				code: 400,
			});
		}
		const templates =
			status === null ? this.templates : this.templates.filter((t) => t.status === Number(status));
		return this.page(ctx, '/api/template/', templates);
	}

	private createTemplate(body: Body): Reply {
		const problem = checkTemplate(body, this.templates);
		if (problem) return this.refusal(problem);
		this.templates.push(newTemplate(this.nextId++, body));
		return json(201, { message: 'Template created successfully', code: 201 });
	}

	/** Meta's review, decided by a test or the sandbox route. */
	review(
		name: string,
		decision: 'approved' | 'rejected',
		reason?: string,
	): SobotTemplate | undefined {
		const template = this.templates.find((t) => t.entity_name === name);
		if (!template) return undefined;
		template.status = STATUS[decision];
		template.rejected_reason =
			decision === 'rejected' ? (reason ?? 'Rejected in the sandbox') : null;
		template.template_id = decision === 'approved' ? String(1_000_000_000_000 + template.id) : null;
		template.updated_at = new Date().toISOString();
		return template;
	}

	private sendMessage(body: Body): Reply {
		const to = digitsOf(body.customer_number);
		if (!to || to.endsWith('0000'))
			return this.refusal(refuse('Invalid mobile number', { status: 200 }));
		const template = this.templates.find((t) => t.entity_name === body.template_name);
		const problem = checkMessage(body, template);
		if (problem) return this.refusal(problem);
		if (FREE_FORM_TYPES.includes(String(body.type)) && this.enforceWindow) {
			const wrote = this.lastInbound.get(to);
			if (wrote === undefined || Date.now() - wrote > DAY_MS) return this.windowClosed();
		}

		const id = this.wamid(to);
		const type = String(body.type);
		this.sent.push({
			id,
			to,
			name: String(body.customer_name),
			type,
			body,
			at: new Date().toISOString(),
		});
		this.sandbox.accept({ vendor: 'sobot', id, to, type, content: contentOf(body) });
		const statuses = statusesFor(to);
		this.sandbox.webhooks.schedule(
			'sobot',
			statuses.map((status) => this.statusPayload(id, status)),
		);
		return json(200, {
			data: { id, status: 'submitted' },
			message: 'Message sent successfully.',
			code: 200,
		});
	}

	/**
	 * WhatsApp's refusal of a free-form message outside the window, as Sobot plausibly relays it: its own
	 * `{message, code}` (HTTP 200, code 400) with Meta's error 131047 under `error`, as accountSignals.ts shapes
	 * Meta's account-level errors. The shape is this project's assumption (docs/vendors.md, "The 24-hour window").
	 */
	private windowClosed(): Reply {
		const message =
			'Re-engagement message: more than 24 hours have passed since the customer last replied; send a template instead';
		return json(200, {
			message,
			code: 400,
			error: {
				code: 131047,
				title: 'Re-engagement message',
				message,
				error_data: {
					details:
						'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
				},
			},
		});
	}

	private wamid(to: string): string {
		return `wamid.HBgM${to}FQIAERgS${randomId(this.sandbox.random, 20, WAMID_ALPHABET)}`;
	}

	/** Sobot's status webhook: a flat object, not the array incoming messages use. */
	statusPayload(id: string, status: string): Record<string, unknown> {
		return { id, status, timestamp: String(Math.floor(Date.now() / 1000)) };
	}

	/** Posts one status webhook now. */
	async status(id: string, status: string) {
		return await this.sandbox.webhooks.post('sobot', this.statusPayload(id, status));
	}

	/** A customer writes in: opens the 24-hour window and posts the incoming-message webhook (array payload). */
	async incoming(input: SobotIncoming) {
		const from = String(input.from).replace(/\D/g, '');
		const name = input.name ?? 'Sandbox Customer';
		this.lastInbound.set(from, Date.now());
		if (!this.customers.has(from)) {
			const now = new Date().toISOString();
			const customer: SobotCustomer = {
				id: this.nextId++,
				mobile: from,
				name: '',
				first_name: '',
				last_name: '',
				extra_fields: {},
				labels: [],
				created_at: now,
				updated_at: now,
			};
			applyCustomer(customer, { name });
			this.customers.set(from, customer);
		}

		const message: Record<string, unknown> = {
			from,
			id: `wamid.${randomId(this.sandbox.random, 40, WAMID_ALPHABET)}`,
			timestamp: String(Math.floor(Date.now() / 1000)),
			type: input.media ? input.media.type : 'text',
		};
		if (input.choose !== undefined) {
			Object.assign(message, this.choiceReply(from, input.choose));
		} else if (input.media) {
			message[input.mediaKey ?? input.media.type] = this.mediaObject(input.media);
		} else {
			message.text = { body: input.text ?? 'Hello' };
		}
		const payload = [
			{
				field: 'messages',
				value: {
					messaging_product: 'whatsapp',
					metadata: {
						display_phone_number: SOBOT_BUSINESS_NUMBER,
						phone_number_id: '100000000000001',
					},
					contacts: [{ profile: { name }, wa_id: from }],
					messages: [message],
				},
			},
		];
		return await this.sandbox.webhooks.post('sobot', payload);
	}

	/**
	 * Meta's reply to a buttons or list message. The button id is Sobot's to choose (its API takes titles only);
	 * the sandbox makes it `<wamid>:<index>`. A list row's id is the one the sender gave the row.
	 */
	private choiceReply(from: string, choose: string): Record<string, unknown> {
		const asked = [...this.sent]
			.reverse()
			.find((m) => m.to === from && (m.type === 'quick_reply' || m.type === 'list'));
		if (!asked) throw new Error(`nothing with buttons or a list was sent to ${from}`);
		const context = { from: SOBOT_BUSINESS_NUMBER, id: asked.id };
		if (asked.type === 'quick_reply') {
			const titles = (asked.body.buttons as string[]) ?? [];
			const index = titles.indexOf(choose);
			if (index < 0)
				throw new Error(
					`the last buttons sent to ${from} are ${JSON.stringify(titles)}, not "${choose}"`,
				);
			return {
				type: 'interactive',
				context,
				interactive: {
					type: 'button_reply',
					button_reply: { id: `${asked.id}:${index}`, title: choose },
				},
			};
		}
		const sections = ((asked.body.list_obj as Record<string, unknown>)?.sections ?? []) as Array<{
			rows?: Array<Record<string, string>>;
		}>;
		const row = sections
			.flatMap((section) => section.rows ?? [])
			.find((r) => r.id === choose || r.title === choose);
		if (!row) throw new Error(`the last list sent to ${from} has no row "${choose}"`);
		const listReply: Record<string, string> = { id: row.id, title: row.title };
		if (row.description) listReply.description = row.description;
		return {
			type: 'interactive',
			context,
			interactive: { type: 'list_reply', list_reply: listReply },
		};
	}

	private mediaObject(media: NonNullable<SobotIncoming['media']>): Record<string, unknown> {
		const mime = media.mime_type ?? defaultMimeType(media.type, media.voice);
		const id = randomId(this.sandbox.random, 16, '0123456789');
		const object: Record<string, unknown> = { mime_type: mime, id };
		if (media.url) {
			object.url = media.url;
			object.sha256 = '';
		} else {
			const file = this.media.put(
				id,
				mime,
				media.data ? Buffer.from(media.data, 'base64') : undefined,
			);
			object.url = `${this.sandbox.baseUrl('sobot')}/media/${id}`;
			object.sha256 = file.sha256;
		}
		if (media.caption) object.caption = media.caption;
		if (media.voice) object.voice = true;
		if (media.type === 'document') object.filename = media.filename ?? `document-${id}.pdf`;
		return object;
	}
}
