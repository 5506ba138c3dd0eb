/**
 * A small runner for the end-to-end checks: named checks with timings, setup steps that abort the run when they
 * fail, and a summary ending in the plain line `e2e: N passed, N failed` that CI greps for.
 */
import { isDeepStrictEqual } from 'util';

export interface CheckResult {
	name: string;
	ok: boolean;
	ms: number;
	error?: string;
	notes: string[];
}

export class Suite {
	readonly results: CheckResult[] = [];

	private readonly started = Date.now();

	/** Lines a check adds to its report (numbers worth reading even when it passes). */
	private notes: string[] = [];

	note(line: string): void {
		this.notes.push(line);
		process.stdout.write(`      ${line}\n`);
	}

	elapsed(): string {
		return seconds(Date.now() - this.started);
	}

	/** A check: its failure is recorded and the run goes on. */
	async check(name: string, fn: () => Promise<void> | void): Promise<boolean> {
		process.stdout.write(`  … ${name}\n`);
		const started = Date.now();
		this.notes = [];
		let error: string | undefined;
		try {
			await fn();
		} catch (e) {
			error = e instanceof Error ? e.message : String(e);
		}
		const result: CheckResult = {
			name,
			ok: error === undefined,
			ms: Date.now() - started,
			error,
			notes: this.notes,
		};
		this.results.push(result);
		process.stdout.write(`  ${result.ok ? 'ok  ' : 'FAIL'} ${name} (${seconds(result.ms)})\n`);
		if (error) process.stdout.write(indent(error, '       ') + '\n');
		return result.ok;
	}

	/** A step others depend on: recorded like a check, but a failure ends the run (throws). */
	async setup<T>(name: string, fn: () => Promise<T>): Promise<T> {
		let value: T | undefined;
		const ok = await this.check(name, async () => {
			value = await fn();
		});
		if (!ok) throw new SetupFailed(name);
		return value as T;
	}

	get passed(): number {
		return this.results.filter((r) => r.ok).length;
	}

	get failed(): number {
		return this.results.filter((r) => !r.ok).length;
	}

	summary(extra: string[] = []): string {
		const lines = ['', '=== e2e summary ==='];
		for (const r of this.results) {
			lines.push(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${seconds(r.ms)})`);
			if (r.error) lines.push(indent(r.error.split('\n').slice(0, 6).join('\n'), '       '));
		}
		lines.push(...extra);
		lines.push(`total time ${this.elapsed()}`);
		lines.push(`e2e: ${this.passed} passed, ${this.failed} failed`);
		return lines.join('\n');
	}
}

export class SetupFailed extends Error {
	constructor(step: string) {
		super(`setup step failed: ${step}`);
	}
}

export function seconds(ms: number): string {
	return ms >= 60_000
		? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
		: `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string, prefix: string): string {
	return text
		.split('\n')
		.map((line) => prefix + line)
		.join('\n');
}

export function fail(message: string): never {
	throw new Error(message);
}

/** Asserts a condition with a message that says what was expected. */
export function expect(condition: unknown, message: string): asserts condition {
	if (!condition) fail(message);
}

/** Compares the given fields of `actual` with `expected`, one by one, and lists every difference at once. */
export function expectFields(
	what: string,
	actual: unknown,
	expected: Record<string, unknown>,
): void {
	if (actual === null || typeof actual !== 'object')
		fail(`${what}: expected an object, got ${JSON.stringify(actual)}`);
	const differences: string[] = [];
	for (const [key, value] of Object.entries(expected)) {
		const got = (actual as Record<string, unknown>)[key];
		const matches =
			value instanceof RegExp
				? typeof got === 'string' && value.test(got)
				: isDeepStrictEqual(got, value);
		if (!matches) differences.push(`  ${key}: expected ${show(value)}, got ${show(got)}`);
	}
	if (differences.length)
		fail(
			`${what} differs:\n${differences.join('\n')}\n  (whole value: ${show(actual).slice(0, 800)})`,
		);
}

function show(value: unknown): string {
	return value instanceof RegExp ? String(value) : JSON.stringify(value);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `fn` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	fn: () => Promise<T | undefined>,
	timeoutMs = 20_000,
	everyMs = 300,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await fn();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline)
			fail(
				`timed out after ${seconds(timeoutMs)} waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
			);
		await sleep(everyMs);
	}
}

/** n8n says it is ready before it has registered the published webhooks: wait until the trigger answers. */
export async function untilRegistered(url: string): Promise<void> {
	for (const deadline = Date.now() + 120_000; ; ) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '[]',
		}).catch(() => undefined);
		await response?.arrayBuffer();
		if (response && response.status !== 404) return;
		expect(
			Date.now() < deadline,
			`the trigger's webhook still answers ${response?.status ?? 'nothing'}`,
		);
		await sleep(500);
	}
}
