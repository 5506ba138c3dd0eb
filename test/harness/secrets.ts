/** Asserts that none of the secrets appears anywhere in what n8n would keep from a run. */
import type { RunNodeResult } from './engine';

export function everythingVisible(result: RunNodeResult): string {
	const error = result.error as (Error & { description?: string; context?: unknown }) | undefined;
	return JSON.stringify({
		items: result.items,
		error: error && {
			message: error.message,
			description: error.description,
			context: error.context,
			json: error,
		},
		// The whole run as n8n would store it in its execution data.
		run: result.run.data,
	});
}

export function expectNoSecrets(result: RunNodeResult, secrets: string[]): void {
	const text = everythingVisible(result);
	for (const secret of secrets) {
		expect(text).not.toContain(secret);
		expect(text).not.toContain(Buffer.from(secret).toString('base64'));
	}
}
