/**
 * (a) Overhead: the Profilora node in n8n's engine against a plain HTTP client loop, same sandbox, same
 * concurrency. (b) Pacing accuracy: messages at a set rate, judged by when the sandbox saw them arrive.
 */
import axios from 'axios';

import { Profilora } from './nodes';
import { DEFAULT_CREDENTIALS, sandboxCredentialData } from '../sandbox/credentials';
import { runNode } from '../test/harness/engine';
import {
	campaignItems,
	campaignRecipient,
	campaignSendTextParameters,
	campaignText,
	CAMPAIGN_PATH,
} from '../test/sending/campaign';
import type { SandboxProcess } from './sandbox';

const AGENT = DEFAULT_CREDENTIALS.profilora.agents[0];
const { apiKey, apiSecret } = DEFAULT_CREDENTIALS.profilora;

async function nodeRun(
	sandbox: SandboxProcess,
	messages: number,
	sendingOptions: Record<string, unknown>,
) {
	const result = await runNode({
		node: new Profilora(),
		credentials: { profiloraApi: sandboxCredentialData(sandbox).profiloraApi },
		parameters: campaignSendTextParameters(sendingOptions),
		items: campaignItems(messages),
		continueOnFail: true,
	});
	const failed = result.items.filter((item) => item.json.error !== undefined).length;
	if (result.error || result.items.length !== messages || failed > 0) {
		throw new Error(
			`node run failed: ${result.error?.message ?? `${failed} of ${result.items.length} items failed`}`,
		);
	}
}

/** What a developer would write without n8n: one axios call per message, `concurrency` at a time. */
async function plainRun(sandbox: SandboxProcess, messages: number, concurrency: number) {
	let next = 0;
	const worker = async () => {
		while (next < messages) {
			const i = next++;
			await axios.post(
				`${sandbox.url}/profilora${CAMPAIGN_PATH}`,
				{ sender: AGENT, to: `${campaignRecipient(i)}@s.whatsapp.net`, message: campaignText(i) },
				{ auth: { username: apiKey, password: apiSecret }, timeout: 60_000 },
			);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
}

async function timed(run: () => Promise<void>): Promise<number> {
	const started = process.hrtime.bigint();
	await run();
	return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

export interface OverheadResult {
	messages: number;
	concurrency: number;
	rounds: number;
	nodeMs: number[];
	plainMs: number[];
	nodePerSecond: number;
	plainPerSecond: number;
	ratio: number;
}

export async function measureOverhead(
	sandbox: SandboxProcess,
	{ messages = 2000, concurrency = 1, rounds = 3 } = {},
): Promise<OverheadResult> {
	const options = { concurrency };
	// Warm both paths up (JIT, n8n's lazy services) so round 1 does not pay for loading code.
	await nodeRun(sandbox, 200, options);
	await plainRun(sandbox, 200, concurrency);
	const nodeMs: number[] = [];
	const plainMs: number[] = [];
	// Alternating rounds, so a slow patch of a shared machine hits both sides alike.
	for (let round = 0; round < rounds; round++) {
		await sandbox.reset();
		plainMs.push(await timed(async () => await plainRun(sandbox, messages, concurrency)));
		await sandbox.reset();
		nodeMs.push(await timed(async () => await nodeRun(sandbox, messages, options)));
	}
	const nodePerSecond = messages / (median(nodeMs) / 1000);
	const plainPerSecond = messages / (median(plainMs) / 1000);
	return {
		messages,
		concurrency,
		rounds,
		nodeMs,
		plainMs,
		nodePerSecond,
		plainPerSecond,
		ratio: nodePerSecond / plainPerSecond,
	};
}

export interface PacingResult {
	messages: number;
	perMinute: number;
	intendedMs: number;
	/** First to last arrival at the sandbox. */
	actualMs: number;
	ratio: number;
	/** Largest deviation of one arrival from its intended time since the first. */
	worstSlotErrorMs: number;
}

export async function measurePacing(
	sandbox: SandboxProcess,
	{ messages = 120, perMinute = 60 } = {},
): Promise<PacingResult> {
	await sandbox.reset();
	await nodeRun(sandbox, messages, { messagesPerMinute: perMinute });
	const arrivals = (await sandbox.requests('profilora', CAMPAIGN_PATH))
		.map((r) => Date.parse(r.at))
		.sort((a, b) => a - b);
	if (arrivals.length !== messages)
		throw new Error(`pacing: ${arrivals.length} requests arrived, expected ${messages}`);
	const gap = 60_000 / perMinute;
	// n messages at a rate have n - 1 gaps between their starts: that is the duration the user asked for.
	const intendedMs = (messages - 1) * gap;
	const actualMs = arrivals[arrivals.length - 1] - arrivals[0];
	const worstSlotErrorMs = Math.max(
		...arrivals.map((at, i) => Math.abs(at - arrivals[0] - i * gap)),
	);
	return {
		messages,
		perMinute,
		intendedMs,
		actualMs,
		ratio: actualMs / intendedMs,
		worstSlotErrorMs,
	};
}
