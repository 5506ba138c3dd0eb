/** What every Sobot test needs: the credential for the sandbox, a runner, and small pacing so tests stay fast. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Sobot } from '../../nodes/Sobot/Sobot.node';
import type { Sandbox } from '../../sandbox/server';
import { DEFAULT_CREDENTIALS, sandboxCredentialData } from '../../sandbox/credentials';
import type { RunNodeOptions, RunNodeResult } from '../harness/engine';
import { runNode } from '../harness/engine';

export const { accessKey: ACCESS_KEY, secretKey: SECRET_KEY } = DEFAULT_CREDENTIALS.sobot;

export function sobotCredentials(sandbox: Sandbox) {
	return { sobotApi: sandboxCredentialData(sandbox).sobotApi };
}

/** Pacing for tests: a real random delay, but of a few milliseconds. */
export const FAST = { delayMode: 'random', delayMinMs: 0, delayMaxMs: 5, retryBaseDelayMs: 1 };

export async function runSobot(
	sandbox: Sandbox,
	resource: string,
	operation: string,
	parameters: INodeParameters,
	extra: Partial<RunNodeOptions> = {},
): Promise<RunNodeResult> {
	return await runNode({
		node: new Sobot(),
		credentials: sobotCredentials(sandbox),
		parameters: { resource, operation, sendingOptions: FAST, ...parameters },
		...extra,
	});
}

/** The JSON bodies the sandbox recorded for one path, in order. */
export function bodiesTo(sandbox: Sandbox, path: string): IDataObject[] {
	return sandbox.requestsTo('sobot', path).map((request) => request.body as IDataObject);
}

/** The customers write in, which opens the 24-hour window for free-form messages. */
export async function customersWrite(sandbox: Sandbox, ...numbers: string[]): Promise<void> {
	for (const from of numbers) await sandbox.sobot.incoming({ from, name: `Customer ${from}` });
}

export function errorText(result: RunNodeResult): string {
	return result.error?.message ?? '';
}
