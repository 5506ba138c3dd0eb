/**
 * Status batching in a real n8n (Sobot Trigger, Options › Status Batch Window 2 s; nodes/shared/webhook/batch.ts):
 * a burst of distinct statuses starts one execution per batch, every status answered 200 is in exactly one stored
 * execution, and with n8n SIGKILLed in the middle of a burst no answered status is missing from n8n's database
 * (statuses held in a batch when n8n died were not answered: the gateway saw a failure, not a success).
 */
import { randomBytes } from 'node:crypto';

import type { E2eContext } from '../context';
import { expect, untilRegistered } from '../harness';
import { STATUS_BATCH, STATUS_BATCH_TRIGGER } from '../workflows';

const IN_FLIGHT = 50;

const statusBody = (run: string, index: number) =>
	JSON.stringify({
		id: `wamid.${run}${String(index).padStart(6, '0')}`,
		status: 'delivered',
		timestamp: String(Math.floor(Date.now() / 1000)),
	});

/** The status numbers of this run that `text` names. */
function indicesIn(text: string, run: string): Set<number> {
	const found = new Set<number>();
	for (const match of text.matchAll(new RegExp(`wamid\\.${run}(\\d{6})`, 'g')))
		found.add(Number(match[1]));
	return found;
}

/**
 * Posts the statuses numbered `indices` (a number twice is a gateway's repeat), IN_FLIGHT at a time, each on a new
 * connection; returns the numbers answered 2xx and how many posts were not.
 */
async function burst(
	url: string,
	run: string,
	indices: number[],
	onAnswered?: (answered: number) => void,
): Promise<{ answered: Set<number>; failed: number; failures: Record<string, number> }> {
	const answered = new Set<number>();
	const failures: Record<string, number> = {};
	let failed = 0;
	let next = 0;
	await Promise.all(
		Array.from({ length: IN_FLIGHT }, async () => {
			while (next < indices.length) {
				const index = indices[next++];
				try {
					const response = await fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json', connection: 'close' },
						body: statusBody(run, index),
						signal: AbortSignal.timeout(120_000),
					});
					const text = await response.text();
					if (response.ok) answered.add(index);
					else {
						failed++;
						const why = `${response.status} ${text.slice(0, 120)}`;
						failures[why] = (failures[why] ?? 0) + 1;
					}
				} catch (error) {
					failed++;
					const why = (error as Error).message;
					failures[why] = (failures[why] ?? 0) + 1;
				}
				onAnswered?.(answered.size);
			}
		}),
	);
	return { answered, failed, failures };
}

/** Every stored execution of the batch workflow and, per status of `run`, how many executions name it. */
async function storedStatuses(ctx: E2eContext, run: string, startedSince: number) {
	const summaries = await ctx.stored.settle(STATUS_BATCH.id, 1500, 120_000, startedSince);
	const perIndex = new Map<number, number>();
	const byStatus: Record<string, number> = {};
	let withRun = 0;
	for (const summary of summaries) {
		const { raw } = await ctx.stored.get(summary.id);
		const indices = indicesIn(raw, run);
		if (indices.size === 0) continue;
		withRun++;
		byStatus[summary.status] = (byStatus[summary.status] ?? 0) + 1;
		for (const index of indices) perIndex.set(index, (perIndex.get(index) ?? 0) + 1);
	}
	return { perIndex, executions: withRun, byStatus };
}

export async function statusBatchChecks(
	ctx: E2eContext,
	options: {
		webhookBase: () => string;
		/** SIGKILLs whatever holds the batches (n8n, or the webhook processor) and brings it back. */
		crash?: { what: string; run: () => Promise<string> };
	},
): Promise<void> {
	const url = () => `${options.webhookBase()}/webhook/${STATUS_BATCH_TRIGGER.webhookId}/webhook`;

	await ctx.suite.check(
		`Sobot Trigger, Status Batch Window 2 s: 300 distinct statuses and 98 repeats, ${IN_FLIGHT} in flight, start one execution per batch; every status once`,
		async () => {
			await untilRegistered(url());
			const run = randomBytes(3).toString('hex');
			const since = Date.now();
			// Every third status is posted twice, the copy some posts later (it may meet its first in one batch).
			const indices = Array.from({ length: 300 }, (_, n) => n).flatMap((n) =>
				n % 3 === 0 ? [n, ...(n >= 6 ? [n - 6] : [])] : [n],
			);
			const posts = indices.length;
			const { answered, failed, failures } = await burst(url(), run, indices);
			expect(
				failed === 0 && answered.size === 300,
				`${failed} of ${posts} posts were refused: ${JSON.stringify(failures)}`,
			);
			const { perIndex, executions, byStatus } = await storedStatuses(ctx, run, since);
			const twice = [...perIndex.values()].filter((n) => n > 1).length;
			expect(perIndex.size === 300, `the executions carry ${perIndex.size} of 300 statuses`);
			expect(twice === 0, `${twice} statuses are in more than one execution`);
			expect(byStatus.success === executions, `executions by status ${JSON.stringify(byStatus)}`);
			// 50 held at once join one batch: about 6 executions; far fewer than one per status however slow n8n is.
			expect(executions <= 30, `${executions} executions for 300 statuses`);
			ctx.suite.note(
				`${posts} posts (300 statuses, ${posts - 300} repeats) answered 200; each status stored once, in ${executions} executions`,
			);
		},
	);

	const crash = options.crash;
	if (!crash) return;
	await ctx.suite.check(
		`Sobot Trigger, Status Batch Window 2 s: ${crash.what} during a burst of 600 statuses; every status answered 200 is in n8n's database`,
		async () => {
			const run = randomBytes(3).toString('hex');
			const since = Date.now();
			let killed: Promise<string> | undefined;
			const indices = Array.from({ length: 600 }, (_, n) => n);
			const result = await burst(url(), run, indices, (answered) => {
				if (answered >= 150 && !killed) killed = crash.run();
			});
			expect(
				killed !== undefined,
				`only ${result.answered.size} statuses answered before the kill`,
			);
			const line = await killed!;
			const { perIndex, executions, byStatus } = await storedStatuses(ctx, run, since);
			const missing = [...result.answered].filter((index) => !perIndex.has(index));
			expect(
				missing.length === 0,
				`${missing.length} statuses answered 200 are in no stored execution (e.g. ${missing.slice(0, 5).join(', ')})`,
			);
			const twice = [...perIndex.values()].filter((n) => n > 1).length;
			expect(twice === 0, `${twice} statuses are in more than one execution`);
			ctx.suite.note(
				`${line}; ${result.answered.size} answered 200, ${result.failed} refused or cut off (the gateway saw a failure), ${perIndex.size} stored in ${executions} executions ${JSON.stringify(byStatus)}, 0 answered and missing`,
			);
		},
	);
}
