/**
 * A small client for n8n's internal REST API (`/rest/...`, cookie auth), as the editor uses it. Verified on n8n 2.41.1:
 *   POST /rest/owner/setup   {email, firstName, lastName, password}   fresh instance only; sets the `n8n-auth` cookie
 *   POST /rest/login         {emailOrLdapLoginId, password}           sets the `n8n-auth` cookie
 *   GET  /rest/login                                                  the current user (checks the cookie)
 *   GET  /types/nodes.json                                            every loaded node type (needs the cookie)
 *   POST /rest/node-types    {nodeInfos: [{name, version}]}           full descriptions of the given types
 *   GET  /rest/workflows, GET /rest/workflows/:id, GET /rest/executions, GET /rest/executions/:id
 * Responses are wrapped as `{data: ...}`; `request()` unwraps them.
 * n8n binds the auth cookie to the `browser-id` header sent at login. This client sends none by default, so its
 * token is also accepted from a browser (whose editor sends its own browser-id): the screenshot helper relies on that.
 */
import { randomUUID } from 'crypto';

export interface N8nOwner {
	email: string;
	/** n8n's rule: 8-64 characters with at least one digit and one capital letter. */
	password: string;
	firstName?: string;
	lastName?: string;
}

export const DEFAULT_OWNER: Required<N8nOwner> = {
	email: 'owner@example.com',
	password: 'E2e-Passw0rd',
	firstName: 'E2E',
	lastName: 'Owner',
};

export const AUTH_COOKIE = 'n8n-auth';

export class N8nRestError extends Error {
	constructor(
		message: string,
		readonly status: number,
		readonly body: string,
	) {
		super(message);
	}
}

export class N8nRestClient {
	/** Value of the `n8n-auth` cookie once logged in; pass it to the screenshot helper. */
	authToken?: string;
	/** `browser-id` header sent with every request, if any (`true` in the options picks a random one). */
	readonly browserId?: string;

	constructor(
		readonly baseUrl: string,
		options: { browserId?: string | boolean } = {},
	) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.browserId = options.browserId === true ? randomUUID() : options.browserId || undefined;
	}

	get cookieHeader(): string | undefined {
		return this.authToken ? `${AUTH_COOKIE}=${this.authToken}` : undefined;
	}

	/** Raw request; returns the parsed JSON body (unwrapped from `{data}`) or the text. */
	async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.browserId) headers['browser-id'] = this.browserId;
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookieHeader) headers.cookie = this.cookieHeader;
		const url = `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
		const send = () =>
			fetch(url, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				redirect: 'manual',
			});
		let response: Response;
		try {
			response = await send();
		} catch (error) {
			// fetch reuses a kept-alive socket; when n8n closes it (idle for its 5 s keep-alive timeout, more likely on a
			// loaded machine) just as the request goes out, the request fails before n8n saw it. A GET can be sent again.
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			if (
				method !== 'GET' ||
				!['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(cause?.code ?? '')
			) {
				throw new Error(
					`${method} ${path}: ${(error as Error).message} (${cause?.code ?? ''} ${cause?.message ?? ''})`,
					{ cause: error },
				);
			}
			response = await send();
		}
		for (const cookie of response.headers.getSetCookie?.() ?? []) {
			const match = new RegExp(`^${AUTH_COOKIE}=([^;]*)`).exec(cookie);
			if (match) this.authToken = match[1] || undefined;
		}
		const text = await response.text();
		if (!response.ok)
			throw new N8nRestError(
				`${method} ${path} -> ${response.status}: ${text.slice(0, 500)}`,
				response.status,
				text,
			);
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			return text as T;
		}
		if (
			parsed &&
			typeof parsed === 'object' &&
			!Array.isArray(parsed) &&
			'data' in parsed &&
			Object.keys(parsed).length === 1
		) {
			return (parsed as { data: T }).data;
		}
		return parsed as T;
	}

	get<T = unknown>(path: string): Promise<T> {
		return this.request<T>('GET', path);
	}

	post<T = unknown>(path: string, body?: unknown): Promise<T> {
		return this.request<T>('POST', path, body ?? {});
	}

	/** `POST /rest/owner/setup`: only on an instance without owner. Logs the client in. */
	async setupOwner(owner: N8nOwner = DEFAULT_OWNER): Promise<Record<string, unknown>> {
		return this.post('/rest/owner/setup', {
			email: owner.email,
			firstName: owner.firstName ?? DEFAULT_OWNER.firstName,
			lastName: owner.lastName ?? DEFAULT_OWNER.lastName,
			password: owner.password,
		});
	}

	/** `POST /rest/login`. */
	async login(
		owner: Pick<N8nOwner, 'email' | 'password'> = DEFAULT_OWNER,
	): Promise<Record<string, unknown>> {
		return this.post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}

	/** Logs in, creating the owner first if the instance has none yet. */
	async ensureOwner(owner: N8nOwner = DEFAULT_OWNER): Promise<Record<string, unknown>> {
		const settings = await this.get<{ userManagement?: { showSetupOnFirstLoad?: boolean } }>(
			'/rest/settings',
		);
		if (settings.userManagement?.showSetupOnFirstLoad) return this.setupOwner(owner);
		return this.login(owner);
	}

	/** Loaded node types (`GET /types/nodes.json`): one entry per type and version. */
	nodeTypes(): Promise<Array<{ name: string; version: number | number[]; displayName: string }>> {
		return this.get('/types/nodes.json');
	}

	workflows(): Promise<Array<{ id: string; name: string; active?: boolean }>> {
		return this.get<{ count?: number; data?: unknown } | unknown[]>('/rest/workflows').then(
			unwrapList,
		) as never;
	}

	executions(
		workflowId?: string,
	): Promise<Array<{ id: string; workflowId: string; status: string; mode: string }>> {
		const query = workflowId ? `?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}` : '';
		return this.get<unknown>(`/rest/executions${query}`).then(unwrapList) as never;
	}
}

function unwrapList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (value && typeof value === 'object') {
		for (const key of ['results', 'data']) {
			const inner = (value as Record<string, unknown>)[key];
			if (Array.isArray(inner)) return inner;
		}
	}
	return [];
}
