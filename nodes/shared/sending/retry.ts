/**
 * One message, several attempts. Only failures after which the gateway cannot have acted on the message
 * are retried by default; "uncertain" ones (timeouts, dropped replies, 500) only when the user accepts the
 * risk of a duplicate. See docs/sending.md, "Retries".
 */
import { GatewayError } from '../http/transport';
import type { SendingOptions } from './options';
import { waitUntil } from './pacer';

export type AttemptResult<T> =
	| { ok: true; value: T; attempts: number }
	| { ok: false; error: unknown; attempts: number };

export function isRetryable(
	error: unknown,
	options: Pick<SendingOptions, 'retryAmbiguous'>,
): boolean {
	if (!(error instanceof GatewayError)) return false;
	return (
		error.details.retry === 'safe' ||
		(error.details.retry === 'ambiguous' && options.retryAmbiguous)
	);
}

export function backoffMs(
	attempt: number,
	baseMs: number,
	random: () => number = Math.random,
): number {
	// Jitter keeps many executions that failed together from retrying in lockstep; the lower half stays
	// fixed so a retry never comes much sooner than the base delay.
	const ceiling = baseMs * 2 ** (attempt - 1);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * How long to wait before the next attempt, or undefined when the gateway asks for a longer pause than
 * `maxRetryWaitMs`: retrying sooner than Retry-After says would only be refused again.
 */
export function retryWaitMs(
	error: unknown,
	attemptNumber: number,
	options: Pick<SendingOptions, 'retryBaseDelayMs' | 'maxRetryWaitMs'>,
	random: () => number = Math.random,
): number | undefined {
	const asked = error instanceof GatewayError ? error.details.retryAfterMs : undefined;
	if (asked !== undefined) return asked <= options.maxRetryWaitMs ? asked : undefined;
	return Math.min(
		backoffMs(attemptNumber, options.retryBaseDelayMs, random),
		options.maxRetryWaitMs,
	);
}

export interface RetryHooks {
	/** Called when the gateway sent Retry-After, with the time before which nothing should be sent. */
	onRetryAfter?: (until: number) => void;
	/** True once the execution was stopped: no further attempt. */
	stopped?: () => boolean;
	now?: () => number;
	random?: () => number;
	/** Replaces n8n's `sleep` (unit tests). */
	pause?: (ms: number) => Promise<void>;
}

/**
 * Calls `attempt` until it succeeds, fails for good, or attempts run out; never throws.
 * `beforeAttempt` runs before every attempt (the pacer: a retry is a message to the gateway too).
 */
export async function withRetries<T>(
	options: Pick<
		SendingOptions,
		'maxAttempts' | 'retryBaseDelayMs' | 'maxRetryWaitMs' | 'retryAmbiguous'
	>,
	attempt: (attemptNumber: number) => Promise<T>,
	beforeAttempt: () => Promise<void> = async () => {},
	hooks: RetryHooks = {},
): Promise<AttemptResult<T>> {
	const now = hooks.now ?? (() => Date.now());
	const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
	let failure: AttemptResult<T> | undefined;
	for (let attemptNumber = 1; attemptNumber <= maxAttempts; attemptNumber++) {
		await beforeAttempt();
		try {
			return { ok: true, value: await attempt(attemptNumber), attempts: attemptNumber };
		} catch (error) {
			failure = { ok: false, error, attempts: attemptNumber };
			if (attemptNumber >= maxAttempts || !isRetryable(error, options) || hooks.stopped?.())
				return failure;
			const wait = retryWaitMs(error, attemptNumber, options, hooks.random);
			if (wait === undefined) return failure;
			const until = now() + wait;
			if ((error as GatewayError).details.retryAfterMs !== undefined) hooks.onRetryAfter?.(until);
			await waitUntil(until, { now, stopped: hooks.stopped, pause: hooks.pause });
			if (hooks.stopped?.()) return failure;
		}
	}
	return failure as AttemptResult<T>;
}
