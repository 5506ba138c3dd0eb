/**
 * A seeded faulty campaign and the bookkeeping that decides, from the sandbox's own record, what every
 * message's fate was. Shared by the fault tests and `bench/compare-retry-on-fail.ts`, so both count
 * duplicates and losses the same way.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { FaultConfig } from '../../sandbox/faults';
import type { Sandbox } from '../../sandbox/server';
import { DEFAULT_CREDENTIALS } from '../../sandbox/server';

export const CAMPAIGN_PATH = '/whatsapp/send-message';

/** Fault kinds after which the gateway may have sent the message: a retry can duplicate it. */
export const AMBIGUOUS_KINDS = ['drop', 'timeout', '500'];

/** About 10% of requests fail, every kind equally often; small waits keep a 2,000-message run fast. */
export function campaignFaults(seed: number, overrides: Partial<FaultConfig> = {}): FaultConfig {
	return {
		rate: 0.1,
		seed,
		retryAfterSeconds: 0,
		latencyMs: 5,
		holdMs: 1000,
		pathPattern: `^${CAMPAIGN_PATH}$`,
		...overrides,
	};
}

export function campaignText(index: number): string {
	return `Campaign message #${index}`;
}

export function campaignRecipient(index: number): string {
	return `62812${String(index).padStart(7, '0')}`;
}

/** The Profilora Send Text parameters of the campaign: recipient and text from each item, as users set them. */
export function campaignSendTextParameters(sendingOptions: Record<string, unknown>) {
	return {
		resource: 'message',
		operation: 'sendText',
		sender: DEFAULT_CREDENTIALS.profilora.agents[0],
		recipient: '={{ $json.to }}',
		text: '={{ $json.text }}',
		// These runs measure the engine itself: unpaced unless a test paces it (the default pace has its own tests).
		sendingOptions: { pace: 'custom', ...sendingOptions },
	} as never;
}

export function campaignItems(count: number): Array<{ json: { to: string; text: string } }> {
	return Array.from({ length: count }, (_, i) => ({
		json: { to: campaignRecipient(i), text: campaignText(i) },
	}));
}

function indexOf(text: unknown): number | undefined {
	const match = /^Campaign message #(\d+)$/.exec(String(text));
	return match ? Number(match[1]) : undefined;
}

export interface CampaignReport {
	messages: number;
	/** Output items (undefined when the runner has no per-item output, e.g. a failed n8n node). */
	outputItems?: number;
	reportedSent?: number;
	reportedFailed?: number;
	requests: number;
	faultsInjected: Record<string, number>;
	/** Messages the gateway accepted at least once. */
	delivered: number;
	/** Messages accepted more than once, and how many extra copies went out in all. */
	duplicatedMessages: number;
	extraCopies: number;
	/** Duplicated messages none of whose requests ended ambiguously: a retry resent a delivered message. */
	duplicatesWithoutAmbiguousFault: number;
	/** Messages never accepted. */
	lost: number;
	/** Output says "sent" but the gateway never accepted it: must never happen. */
	reportedSentButNotDelivered?: number;
	/** Output says "failed" but the gateway did accept it (the reply was lost): the uncertain cases. */
	reportedFailedButDelivered?: number;
	/** Items whose output says so, by attempts taken. */
	attempts?: Record<string, number>;
}

export function analyseCampaign(
	sandbox: Sandbox,
	messages: number,
	output?: INodeExecutionData[],
): CampaignReport {
	const fate = copiesAndAmbiguousFaults(sandbox, messages);
	const copies = fate.map((f) => f.copies);
	const requests = sandbox.requests.filter((r) => r.path === CAMPAIGN_PATH);

	const report: CampaignReport = {
		messages,
		requests: requests.length,
		faultsInjected: { ...sandbox.faults.injected },
		delivered: copies.filter((c) => c > 0).length,
		duplicatedMessages: copies.filter((c) => c > 1).length,
		extraCopies: copies.reduce((sum, c) => sum + Math.max(0, c - 1), 0),
		duplicatesWithoutAmbiguousFault: fate.filter((f) => f.copies > 1 && f.ambiguous === 0).length,
		lost: copies.filter((c) => c === 0).length,
	};
	if (output) {
		report.outputItems = output.length;
		const sent = output.filter((item) => item.json.error === undefined);
		report.reportedSent = sent.length;
		report.reportedFailed = output.length - sent.length;
		report.reportedSentButNotDelivered = 0;
		report.reportedFailedButDelivered = 0;
		report.attempts = {};
		for (const item of output) {
			const index = (item.pairedItem as { item: number }).item;
			const ok = item.json.error === undefined;
			if (ok && copies[index] === 0) report.reportedSentButNotDelivered++;
			if (!ok && copies[index] > 0) report.reportedFailedButDelivered++;
			const key = String(item.json.attempts);
			report.attempts[key] = (report.attempts[key] ?? 0) + 1;
		}
	}
	return report;
}

/** Per message: how many times accepted, and how many of its requests had an ambiguous fault. */
export function copiesAndAmbiguousFaults(
	sandbox: Sandbox,
	messages: number,
): Array<{ copies: number; ambiguous: number }> {
	const result = Array.from({ length: messages }, () => ({ copies: 0, ambiguous: 0 }));
	for (const entry of sandbox.accepted) {
		const index = indexOf(entry.content);
		if (index !== undefined && index < messages) result[index].copies++;
	}
	for (const request of sandbox.requests) {
		const index = indexOf((request.body as { message?: unknown } | undefined)?.message);
		// Ambiguous for the client: a fault after which the gateway may have acted, or the client giving up waiting
		// (its own timeout, which a busy machine can trigger without any injected fault).
		const ambiguous =
			(request.fault !== undefined && AMBIGUOUS_KINDS.includes(request.fault)) ||
			request.clientGone === true;
		if (index !== undefined && index < messages && ambiguous) result[index].ambiguous++;
	}
	return result;
}
