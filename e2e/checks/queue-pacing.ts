/**
 * Pacing across executions, measured: two campaigns from the same Sobot sender started at once, each paced 3 s apart
 * within its execution, run on two workers. The node paces inside one execution only, so the sender's combined
 * rate is what the check reports (not judged: timing on a shared machine); it judges the per-execution pacing and
 * that the two ran on different workers.
 */
import type { RecordedRequest } from '../../sandbox/http';
import { expect } from '../harness';
import type { QueueE2eContext } from '../queue-tools';
import { startRun, waitForExecution, workerOf } from '../queue-tools';
import { PACE, QUEUE_IDS } from '../queue-workflows';

const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);
const secondsList = (gaps: number[]) => gaps.map((g) => (g / 1000).toFixed(1)).join(', ');
const perMinute = (times: number[]) =>
	times.length < 2 ? 0 : ((times.length - 1) * 60_000) / (times[times.length - 1] - times[0]);

export async function queuePacingCheck(ctx: QueueE2eContext): Promise<void> {
	await ctx.suite.check(
		`pacing across executions: two ${PACE.count}-recipient campaigns of one Sobot sender at once, ${PACE.delayMs / 1000} s apart each (rate measured)`,
		async () => {
			const mark = ctx.sandbox.requests.at(-1)?.id ?? 0;
			const [a, b] = await Promise.all([
				startRun(ctx.rest, QUEUE_IDS.paceA),
				startRun(ctx.rest, QUEUE_IDS.paceB),
			]);
			const [runA, runB] = await Promise.all([
				waitForExecution(ctx.stored, a),
				waitForExecution(ctx.stored, b),
			]);
			for (const run of [runA, runB])
				expect(
					run.summary.status === 'success',
					`campaign execution ${String(run.summary.id)} ended ${String(run.summary.status)}`,
				);
			const [workerA, workerB] = await Promise.all([
				workerOf(ctx.stack, a),
				workerOf(ctx.stack, b),
			]);
			expect(
				workerA.name !== workerB.name,
				`both campaigns ran on ${workerA.name}; they were meant to run on two workers`,
			);

			const sends = ctx.sandbox.requests.filter(
				(r) => r.id > mark && r.vendor === 'sobot' && r.path === '/message/',
			);
			const to = (r: RecordedRequest) =>
				Number((r.body as { customer_number?: string }).customer_number);
			const timesOf = (first: number) =>
				sends
					.filter((r) => to(r) >= first && to(r) < first + PACE.count)
					.map((r) => Date.parse(r.at))
					.sort((x, y) => x - y);
			const timesA = timesOf(PACE.a);
			const timesB = timesOf(PACE.b);
			expect(
				timesA.length === PACE.count && timesB.length === PACE.count,
				`sent ${timesA.length} (A) and ${timesB.length} (B), expected ${PACE.count} each`,
			);
			const gapsA = gapsOf(timesA);
			const gapsB = gapsOf(timesB);
			// The node's promise within one execution: starts at least the delay apart. Judged over the whole campaign (a
			// lower bound that load cannot break): one request delayed on its way shortens the next gap as seen here.
			const minSpan = (PACE.count - 1) * PACE.delayMs - 1000;
			for (const [name, times] of [
				['A', timesA],
				['B', timesB],
			] as const) {
				expect(
					times.at(-1)! - times[0] >= minSpan,
					`campaign ${name} sent ${PACE.count} messages within ${times.at(-1)! - times[0]} ms, faster than ${PACE.delayMs} ms apart: gaps ${JSON.stringify(gapsOf(times))}`,
				);
			}
			const overlap = Math.min(timesA.at(-1)!, timesB.at(-1)!) - Math.max(timesA[0], timesB[0]);

			const sender = [...timesA, ...timesB].sort((x, y) => x - y);
			const senderGaps = gapsOf(sender);
			ctx.suite.note(
				`campaign A on ${workerA.name}: gaps ${secondsList(gapsA)} s (${perMinute(timesA).toFixed(1)}/min)`,
			);
			ctx.suite.note(
				`campaign B on ${workerB.name}: gaps ${secondsList(gapsB)} s (${perMinute(timesB).toFixed(1)}/min)`,
			);
			// Reported, not judged (a start delayed by load on one worker shortens it): how long both campaigns ran at once.
			ctx.suite.note(
				`the campaigns overlapped for ${(Math.max(0, overlap) / 1000).toFixed(1)} s of ${((Math.max(timesA.at(-1)!, timesB.at(-1)!) - Math.min(timesA[0], timesB[0])) / 1000).toFixed(1)} s`,
			);
			ctx.suite.note(
				`the sender as the gateway saw it: ${sender.length} messages, gaps ${secondsList(senderGaps)} s; ` +
					`min ${(Math.min(...senderGaps) / 1000).toFixed(2)} s, ${perMinute(sender).toFixed(1)}/min vs ${(60_000 / PACE.delayMs).toFixed(1)}/min configured`,
			);
		},
	);
}
