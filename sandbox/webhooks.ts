/**
 * Outgoing webhooks, as each vendor would post them: to one configurable URL per vendor, in the background,
 * once (Sobot documents no retry). Every attempt is logged for tests to inspect.
 */
import type { Vendor } from './http';

export interface WebhookDelivery {
	vendor: Vendor;
	url: string;
	body: unknown;
	status?: number;
	error?: string;
	at: string;
	/** What each copy (see `copies`) got: its URL and HTTP status or error. */
	copies?: Array<{ url: string; status?: number; error?: string }>;
}

export interface WebhookTarget {
	url: string;
	headers?: Record<string, string>;
	/**
	 * For a receiver in this process (the engine tests' endpoint): resolves when what the delivery started has
	 * ended, so a delivery "completes" with its execution, as the tests read it, although n8n answers first.
	 */
	settled?: () => Promise<void>;
}

export class WebhookSender {
	readonly targets: Partial<Record<Vendor, WebhookTarget>> = {};

	/**
	 * More receivers of every webhook posted to a vendor's target (not a vendor feature: each vendor has one URL).
	 * `npm run dev` uses it so that every example trigger of a vendor sees the events; each copy is posted after the
	 * target has answered, so one message's events keep their order at every receiver.
	 */
	readonly copies: Partial<Record<Vendor, WebhookTarget[]>> = {};

	readonly log: WebhookDelivery[] = [];

	/**
	 * Receivers known by name (`npm run dev`: one per example trigger), so that `POST /__admin/webhooks
	 * {"sobot": "sobot-ai-agent"}` points a vendor at one without its URL and secret; `"default"` brings back the
	 * routing saved by `saveDefaults()`.
	 */
	readonly named: Record<string, { vendor: Vendor; target: WebhookTarget }> = {};

	private defaults: {
		targets: Partial<Record<Vendor, WebhookTarget>>;
		copies: Partial<Record<Vendor, WebhookTarget[]>>;
	} = { targets: {}, copies: {} };

	/** Forgets targets, copies, names and defaults (a sandbox reset). */
	clearRouting(): void {
		for (const key of Object.keys(this.targets)) delete this.targets[key as Vendor];
		for (const key of Object.keys(this.copies)) delete this.copies[key as Vendor];
		for (const key of Object.keys(this.named)) delete this.named[key];
		this.defaults = { targets: {}, copies: {} };
	}

	/** Remembers the current targets and copies as what `"default"` restores. */
	saveDefaults(): void {
		this.defaults = {
			targets: { ...this.targets },
			copies: Object.fromEntries(
				Object.entries(this.copies).map(([vendor, list]) => [vendor, [...(list ?? [])]]),
			),
		};
	}

	/**
	 * Points a vendor's webhooks at a named receiver, or back at the saved default routing. The copies stay: they are
	 * the receivers that only record (delivery statuses, opt-outs), which the default routing feeds as well.
	 */
	route(vendor: Vendor, name: string): WebhookTarget {
		if (name === 'default') {
			const target = this.defaults.targets[vendor];
			if (!target) throw new Error(`no default receiver for ${vendor}`);
			this.targets[vendor] = target;
			this.copies[vendor] = [...(this.defaults.copies[vendor] ?? [])];
			return target;
		}
		const receiver = this.named[name];
		if (!receiver || receiver.vendor !== vendor) {
			const known = Object.entries(this.named)
				.filter(([, r]) => r.vendor === vendor)
				.map(([n]) => n);
			throw new Error(
				`no ${vendor} receiver named "${name}"; known: ${[...known, 'default'].join(', ')} (or give a URL)`,
			);
		}
		this.targets[vendor] = receiver.target;
		return receiver.target;
	}

	/** The name of the receiver a vendor's webhooks go to now (`default` or a named one), else its URL. */
	routeName(vendor: Vendor): string | undefined {
		const url = this.targets[vendor]?.url;
		if (url === undefined) return undefined;
		const named = Object.entries(this.named).find(
			([, r]) => r.vendor === vendor && r.target.url === url,
		);
		if (this.defaults.targets[vendor]?.url === url) return 'default';
		return named?.[0] ?? url;
	}

	private pending = new Set<Promise<void>>();

	private timers = new Set<NodeJS.Timeout>();

	/** Delay between the acceptance of a message and each status event, ms. */
	stepDelayMs = 50;

	/** Posts now (awaitable); resolves with the receiver's HTTP status. */
	async post(vendor: Vendor, body: unknown): Promise<WebhookDelivery | undefined> {
		return await this.deliver(vendor, body, JSON.stringify(body), 'POST', 'application/json');
	}

	/**
	 * Posts a body exactly as given, with any method and content type: a vendor bug, a broken proxy or a
	 * forged request, for testing how receivers refuse them.
	 */
	async postRaw(
		vendor: Vendor,
		payload: string,
		{
			method = 'POST',
			contentType = 'application/json',
		}: { method?: string; contentType?: string } = {},
	): Promise<WebhookDelivery | undefined> {
		return await this.deliver(
			vendor,
			payload,
			method === 'GET' || method === 'HEAD' ? undefined : payload,
			method,
			contentType,
		);
	}

	private async deliver(
		vendor: Vendor,
		body: unknown,
		payload: string | undefined,
		method: string,
		contentType: string,
	): Promise<WebhookDelivery | undefined> {
		const target = this.targets[vendor];
		if (!target) return undefined;
		const delivery: WebhookDelivery = {
			vendor,
			url: target.url,
			body,
			at: new Date().toISOString(),
		};
		this.log.push(delivery);
		Object.assign(delivery, await this.send(target, vendor, payload, method, contentType));
		// A copy that is the target itself (pointed at by name) gets the event once, as the target.
		for (const copy of (this.copies[vendor] ?? []).filter((c) => c.url !== target.url)) {
			(delivery.copies ??= []).push({
				url: copy.url,
				...(await this.send(copy, vendor, payload, method, contentType)),
			});
		}
		await target.settled?.();
		return delivery;
	}

	private async send(
		target: WebhookTarget,
		vendor: Vendor,
		payload: string | undefined,
		method: string,
		contentType: string,
	): Promise<{ status?: number; error?: string }> {
		try {
			const response = await fetch(target.url, {
				method,
				headers: {
					'content-type': contentType,
					'user-agent': `${vendor}-webhook/sandbox`,
					...target.headers,
				},
				body: payload,
				// Generous: on a loaded 2-core machine a receiver's first request (modules still loading) took over 10 s.
				signal: AbortSignal.timeout(60_000),
			});
			await response.arrayBuffer();
			return { status: response.status };
		} catch (error) {
			return { error: (error as Error).message };
		}
	}

	/** Posts a series of events in the background, in order, `stepDelayMs` apart. */
	schedule(vendor: Vendor, bodies: unknown[]): void {
		if (!this.targets[vendor] || bodies.length === 0) return;
		// One message's events go out one after another (sent before delivered before read), each `stepDelayMs`
		// after the previous one was answered: with separate timers a slow receiver could see them reordered.
		const [body, ...rest] = bodies;
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			const done = this.post(vendor, body).then(() => this.schedule(vendor, rest));
			this.pending.add(done);
			void done.finally(() => this.pending.delete(done));
		}, this.stepDelayMs);
		this.timers.add(timer);
	}

	/** Waits until every scheduled webhook has been posted. */
	async idle(): Promise<void> {
		while (this.timers.size > 0 || this.pending.size > 0) {
			await Promise.all([...this.pending]);
			if (this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	cancelAll(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}
