/**
 * One message, several attempts. Only failures after which the gateway cannot have acted on the message
 * are retried by default; "uncertain" ones (timeouts, dropped replies, 500) only when the user accepts the
 * risk of a duplicate. See README "Retries and duplicates".
 */
import { sleep } from 'n8n-workflow';

import { GatewayError } from '../transport';
import type { SendingOptions } from './options';

export type AttemptResult<T> = { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

export function isRetryable(error: unknown, options: Pick<SendingOptions, 'retryAmbiguous'>): boolean {
	if (!(error instanceof GatewayError)) return false;
	return error.details.retry === 'safe' || (error.details.retry === 'ambiguous' && options.retryAmbiguous);
}

export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
	// Jitter keeps many executions that failed together from retrying in lockstep.
	const ceiling = baseMs * 2 ** (attempt - 1);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Calls `attempt` until it succeeds, fails for good, or attempts run out; never throws.
 * `beforeAttempt` runs before every attempt (the pacer: a retry is a message to the gateway too).
 */
export async function withRetries<T>(
	options: Pick<SendingOptions, 'maxAttempts' | 'retryBaseDelayMs' | 'maxRetryWaitMs' | 'retryAmbiguous'>,
	attempt: (attemptNumber: number) => Promise<T>,
	beforeAttempt: () => Promise<void> = async () => {},
): Promise<AttemptResult<T>> {
	for (let attemptNumber = 1; ; attemptNumber++) {
		await beforeAttempt();
		try {
			return { ok: true, value: await attempt(attemptNumber), attempts: attemptNumber };
		} catch (error) {
			if (attemptNumber >= options.maxAttempts || !isRetryable(error, options)) {
				return { ok: false, error, attempts: attemptNumber };
			}
			const asked = (error as GatewayError).details.retryAfterMs;
			const wait = Math.min(asked ?? backoffMs(attemptNumber, options.retryBaseDelayMs), options.maxRetryWaitMs);
			if (wait > 0) await sleep(wait);
		}
	}
}
