/**
 * Headless Debian Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`, fds 3/4):
 * no npm dependency, no debugging port. Install the browser with `apt-get install -y chromium`.
 *
 *   await screenshot({ url: `${n8n.url}/workflow/${id}`, file: 'wf.png', cookie: rest.authToken });
 *   // or: login: { baseUrl: n8n.url, email, password } — logs in over REST first.
 *
 * For more than a picture, `launchChromium()` returns a page with navigate / evaluate / waitFor / screenshot.
 * CLI: `tsx scripts/n8n/screenshot.ts <url> <out.png> [--cookie TOKEN | --email E --password P] [--selector CSS]`
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Readable, Writable } from 'stream';

import { AUTH_COOKIE, DEFAULT_OWNER, N8nRestClient } from './rest';

export const CHROMIUM_CANDIDATES = [
	'/usr/lib/chromium/chromium',
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
];

export function findChromium(): string {
	const fromEnv = process.env.CHROMIUM_PATH;
	const found = [fromEnv, ...CHROMIUM_CANDIDATES].find((p): p is string => !!p && fs.existsSync(p));
	if (!found)
		throw new Error(
			'Chromium not found: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)',
		);
	return found;
}

export interface LaunchOptions {
	width?: number;
	height?: number;
	/** Extra Chromium flags. */
	args?: string[];
	/** Milliseconds for each protocol command; default 30 000. */
	commandTimeoutMs?: number;
}

export interface ChromiumPage {
	/** Navigates and waits for the load event. */
	navigate(url: string, timeoutMs?: number): Promise<void>;
	/** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
	evaluate<T = unknown>(expression: string): Promise<T>;
	/** Polls until `expression` is truthy in the page. */
	waitFor(expression: string, timeoutMs?: number): Promise<void>;
	/** Waits for `document.querySelector(selector)`. */
	waitForSelector(selector: string, timeoutMs?: number): Promise<void>;
	setCookie(cookie: { name: string; value: string; url: string }): Promise<void>;
	/** Writes a PNG of the viewport (or the full page). */
	screenshot(file: string, options?: { fullPage?: boolean }): Promise<void>;
	/** Console errors and uncaught exceptions seen so far. */
	errors: string[];
	/** Low-level DevTools command in the page session. */
	send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
	close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A timer for Promise.race that does not keep the process alive once the race is decided. */
const deadline = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** Starts a fresh headless Chromium (new empty profile) with one page. */
export async function launchChromium(options: LaunchOptions = {}): Promise<ChromiumPage> {
	const width = options.width ?? 1440;
	const height = options.height ?? 900;
	const commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
	const args = [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--no-first-run',
		'--no-default-browser-check',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--disable-extensions',
		'--disable-default-apps',
		'--disable-domain-reliability',
		'--disable-client-side-phishing-detection',
		'--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication',
		'--disable-dev-shm-usage',
		'--metrics-recording-only',
		'--password-store=basic',
		'--mute-audio',
		'--hide-scrollbars',
		`--window-size=${width},${height}`,
		`--user-data-dir=${profile}`,
		'--remote-debugging-pipe',
		...(options.args ?? []),
		'about:blank',
	];
	const child: ChildProcess = spawn(findChromium(), args, {
		stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
		detached: true,
	});
	let stderr = '';
	child.stderr!.on('data', (c: Buffer) => {
		stderr = (stderr + c.toString('utf8')).slice(-4000);
	});
	const toBrowser = child.stdio[3] as Writable;
	const fromBrowser = child.stdio[4] as Readable;

	let nextId = 1;
	const pending = new Map<
		number,
		{ resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }
	>();
	const listeners = new Set<
		(message: { method: string; params: Record<string, unknown>; sessionId?: string }) => void
	>();
	let buffer = Buffer.alloc(0);
	fromBrowser.on('data', (chunk: Buffer) => {
		buffer = Buffer.concat([buffer, chunk]);
		let end: number;
		while ((end = buffer.indexOf(0)) >= 0) {
			const message = JSON.parse(buffer.subarray(0, end).toString('utf8')) as {
				id?: number;
				result?: unknown;
				error?: { message: string };
				method?: string;
				params?: Record<string, unknown>;
				sessionId?: string;
			};
			buffer = buffer.subarray(end + 1);
			if (message.id !== undefined) {
				const waiter = pending.get(message.id);
				pending.delete(message.id);
				if (message.error) waiter?.reject(new Error(`${waiter.method}: ${message.error.message}`));
				else waiter?.resolve(message.result);
			} else if (message.method) {
				for (const listener of listeners)
					listener({
						method: message.method,
						params: message.params ?? {},
						sessionId: message.sessionId,
					});
			}
		}
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	void exited.then(() => {
		for (const waiter of pending.values()) waiter.reject(new Error(`Chromium exited\n${stderr}`));
		pending.clear();
	});
	toBrowser.on('error', () => {});

	const rawSend = <T>(
		method: string,
		params: Record<string, unknown> = {},
		sessionId?: string,
	): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			const id = nextId++;
			const timer = setTimeout(() => {
				pending.delete(id);
				reject(new Error(`${method} timed out after ${commandTimeoutMs} ms`));
			}, commandTimeoutMs);
			pending.set(id, {
				method,
				resolve: (v) => {
					clearTimeout(timer);
					resolve(v as T);
				},
				reject: (e) => {
					clearTimeout(timer);
					reject(e);
				},
			});
			toBrowser.write(
				JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0',
			);
		});

	const close = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			await Promise.race([rawSend('Browser.close').catch(() => {}), deadline(3000)]);
			await Promise.race([exited, deadline(3000)]);
			if (child.exitCode === null && child.signalCode === null && child.pid) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					/* gone */
				}
				await Promise.race([exited, deadline(2000)]);
			}
		}
		fs.rmSync(profile, { recursive: true, force: true });
	};

	try {
		const { targetId } = await rawSend<{ targetId: string }>('Target.createTarget', {
			url: 'about:blank',
		});
		const { sessionId } = await rawSend<{ sessionId: string }>('Target.attachToTarget', {
			targetId,
			flatten: true,
		});
		const send = <T = Record<string, unknown>>(
			method: string,
			params: Record<string, unknown> = {},
		) => rawSend<T>(method, params, sessionId);
		const errors: string[] = [];
		listeners.add(({ method, params, sessionId: from }) => {
			if (from !== sessionId) return;
			if (method === 'Runtime.exceptionThrown') {
				const details = params.exceptionDetails as {
					text?: string;
					exception?: { description?: string };
				};
				errors.push(`exception: ${details.exception?.description ?? details.text}`);
			} else if (method === 'Runtime.consoleAPICalled' && params.type === 'error') {
				const args = (params.args as Array<{ value?: unknown; description?: string }>) ?? [];
				errors.push(
					`console.error: ${args.map((a) => (a.value !== undefined ? String(a.value) : a.description)).join(' ')}`,
				);
			}
		});
		await send('Page.enable');
		await send('Runtime.enable');
		await send('Network.enable');
		await send('Emulation.setDeviceMetricsOverride', {
			width,
			height,
			deviceScaleFactor: 1,
			mobile: false,
		});

		const evaluate = async <T>(expression: string): Promise<T> => {
			const result = await send<{
				result: { value?: T };
				exceptionDetails?: { text: string; exception?: { description?: string } };
			}>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
			if (result.exceptionDetails) {
				throw new Error(
					`evaluate failed: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`,
				);
			}
			return result.result.value as T;
		};
		const waitFor = async (expression: string, timeoutMs = 30_000) => {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				if (await evaluate<boolean>(`Boolean(${expression})`).catch(() => false)) return;
				if (Date.now() > deadline)
					throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
				await sleep(250);
			}
		};
		return {
			errors,
			send,
			evaluate,
			waitFor,
			waitForSelector: (selector, timeoutMs) =>
				waitFor(`document.querySelector(${JSON.stringify(selector)})`, timeoutMs),
			async navigate(url, timeoutMs = 60_000) {
				let onLoad: () => void = () => {};
				const loaded = new Promise<void>((resolve) => (onLoad = resolve));
				const listener = (m: { method: string; sessionId?: string }) => {
					if (m.sessionId === sessionId && m.method === 'Page.loadEventFired') onLoad();
				};
				listeners.add(listener);
				try {
					const result = await send<{ errorText?: string }>('Page.navigate', { url });
					if (result.errorText) throw new Error(`navigate ${url}: ${result.errorText}`);
					await Promise.race([
						loaded,
						deadline(timeoutMs).then(() => {
							throw new Error(`load of ${url} timed out`);
						}),
					]);
				} finally {
					listeners.delete(listener);
				}
			},
			async setCookie(cookie) {
				await send('Network.setCookie', { ...cookie, path: '/', httpOnly: true });
			},
			async screenshot(file, { fullPage = false } = {}) {
				const { data } = await send<{ data: string }>('Page.captureScreenshot', {
					format: 'png',
					captureBeyondViewport: fullPage,
				});
				fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
				fs.writeFileSync(file, Buffer.from(data, 'base64'));
			},
			close,
		};
	} catch (error) {
		await close();
		(error as Error).message += `\n--- chromium stderr ---\n${stderr}`;
		throw error;
	}
}

export interface ScreenshotOptions {
	url: string;
	/** PNG path to write. */
	file: string;
	/** Value of n8n's `n8n-auth` cookie (N8nRestClient.authToken). */
	cookie?: string;
	/** Or log in over REST first (defaults to DEFAULT_OWNER's email and password). */
	login?: { baseUrl: string; email?: string; password?: string };
	/** Wait for this CSS selector before the shot; default: n8n's canvas or sign-in form, whichever shows. */
	selector?: string;
	/** Extra settle time after the selector appears (fonts, node icons); default 1500 ms. */
	settleMs?: number;
	width?: number;
	height?: number;
	fullPage?: boolean;
	timeoutMs?: number;
}

/** Default wait target: a node on the workflow canvas (Vue Flow), the workflows list, or the sign-in form. */
export const N8N_READY_SELECTOR =
	'.vue-flow__node, [data-test-id="resources-list-wrapper"], [data-test-id="signin-form"]';

/**
 * One screenshot of an n8n page, logged in. Returns the page's console errors, title and final URL.
 * Fails (after still writing the PNG, for diagnosis) when the selector never shows, or when n8n redirected to
 * /signin although another page was asked for (cookie missing or rejected).
 */
export async function screenshot(
	options: ScreenshotOptions,
): Promise<{ file: string; title: string; url: string; errors: string[] }> {
	let token = options.cookie;
	if (!token && options.login) {
		const rest = new N8nRestClient(options.login.baseUrl);
		await rest.login({
			email: options.login.email ?? DEFAULT_OWNER.email,
			password: options.login.password ?? DEFAULT_OWNER.password,
		});
		token = rest.authToken;
	}
	const page = await launchChromium({ width: options.width, height: options.height });
	try {
		if (token)
			await page.setCookie({ name: AUTH_COOKIE, value: token, url: new URL(options.url).origin });
		await page.navigate(options.url, options.timeoutMs);
		let waitError: Error | undefined;
		await page
			.waitForSelector(options.selector ?? N8N_READY_SELECTOR, options.timeoutMs ?? 60_000)
			.catch((e: Error) => (waitError = e));
		if (!waitError) await sleep(options.settleMs ?? 1500);
		await page.screenshot(options.file, { fullPage: options.fullPage });
		const info = await page.evaluate<{ title: string; url: string; text: string }>(
			'({ title: document.title, url: location.href, text: (document.body && document.body.innerText || "").slice(0, 300) })',
		);
		const askedForSignin = new URL(options.url).pathname.startsWith('/signin');
		if (!askedForSignin && new URL(info.url).pathname.startsWith('/signin')) {
			throw new Error(
				`n8n redirected to sign-in (${info.url}): auth cookie missing or rejected; screenshot in ${options.file}`,
			);
		}
		if (waitError)
			throw new Error(
				`${waitError.message} at ${info.url}; page text: ${JSON.stringify(info.text)}; screenshot in ${options.file}`,
			);
		return { file: options.file, title: info.title, url: info.url, errors: [...page.errors] };
	} finally {
		await page.close();
	}
}

if (require.main === module) {
	const argv = process.argv.slice(2);
	const flag = (name: string) => {
		const i = argv.indexOf(`--${name}`);
		return i >= 0 ? argv.splice(i, 2)[1] : undefined;
	};
	const cookie = flag('cookie');
	const email = flag('email');
	const password = flag('password');
	const selector = flag('selector');
	const [url, file] = argv;
	if (!url || !file) {
		console.error(
			'usage: tsx scripts/n8n/screenshot.ts <url> <out.png> [--cookie TOKEN | --email E --password P] [--selector CSS]',
		);
		process.exit(2);
	}
	screenshot({
		url,
		file,
		cookie,
		selector,
		login: cookie ? undefined : { baseUrl: new URL(url).origin, email, password },
	})
		.then((result) => console.log(JSON.stringify(result, null, 2)))
		.catch((error) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		});
}
