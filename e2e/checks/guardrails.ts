/**
 * The send guardrails in a real n8n (single mode and `--queue`), judged by the sandbox's clock and record:
 * - a sender limit of 20 a minute shared by two executions of one workflow started at once (in queue mode on two
 *   workers): the sender's combined rate stays within 10% of the limit;
 * - a send window that closes mid-run and opens again two minutes later: the run holds its remaining items on the
 *   Held output, a Wait node brings them back, n8n (queue mode: both workers) restarts during the hold, and the run
 *   finishes by itself: no message outside the window, every recipient exactly once.
 * The window is computed by the workflow itself from n8n's clock (a Set node), and read back from the execution.
 */
import type { WorkflowJson, WorkflowNode } from '../../scripts/dev/provision';
import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import type { E2eContext } from '../context';
import { expect, sleep, waitFor } from '../harness';
import { nodeOutput } from '../n8n';
import { startRun, waitForExecution } from '../queue-tools';
import { gatewayNode, workflow } from '../workflows';

export const GUARDRAIL_IDS = { limit: 'e2eGuardLimit001', window: 'e2eGuardWindow01' } as const;

const AGENT = DEFAULT_CREDENTIALS.profilora.agents[0];
const SEND_PATH = '/whatsapp/send-message';
const LIMIT = { perMinute: 20, count: 12, first: 6281255520000 };
const WINDOW = { count: 40, first: 6281255510000, delayMs: 3000, gapMinutes: 2, secondMinutes: 6 };

let counter = 0;
const id = () => `e2eg0000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

function setNode(
	name: string,
	assignments: Array<{ name: string; type: string; value: string }>,
	x: number,
): WorkflowNode {
	return {
		id: id(),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [x, 0],
		parameters: {
			assignments: { assignments: assignments.map((a, i) => ({ id: `a${i}`, ...a })) },
			options: {},
		},
	};
}

const customers = (first: number, count: number) =>
	`={{ Array.from({ length: ${count} }, (_, i) => ({ mobile: String(${first} + i) })) }}`;

function split(x: number): WorkflowNode {
	return {
		id: id(),
		name: 'One Item per Customer',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [x, 0],
		parameters: { fieldToSplitOut: 'customers', options: {} },
	};
}

function sendText(sendingOptions: Record<string, unknown>, x: number): WorkflowNode {
	return gatewayNode(
		'profilora',
		'Send Text',
		{
			resource: 'message',
			operation: 'sendText',
			sender: AGENT,
			recipient: '={{ $json.mobile }}',
			text: '={{ "Promo for " + $json.mobile }}',
			sendingOptions,
		},
		{ x },
	);
}

const main = (node: string, index = 0) => ({ node, type: 'main', index });

/** The window as the workflow computes it: period 1 from this minute (30-90 s left), period 2 two minutes after. */
const WINDOW_EXPRESSION = `={{ ((now) => { const s = now.startOf('minute'); const first = now.second > 30 ? 2 : 1; const at = (m) => s.plus({ minutes: m }).toFormat('HH:mm'); return { start: s.toISO(), firstMinutes: first, from1: at(0), to1: at(first), from2: at(first + ${WINDOW.gapMinutes}), to2: at(first + ${WINDOW.gapMinutes + WINDOW.secondMinutes}) }; })($now.toUTC()) }}`;

/** The window the Window node computed, read from its output (it ran once; the loop's second pass reads it too). */
const W = `$('Window').first().json.window`;

export function guardrailWorkflows(): WorkflowJson[] {
	const limit = workflow(
		GUARDRAIL_IDS.limit,
		'E2E guardrails: a sender limit of 20 a minute (started twice at once)',
		[
			setNode(
				'Recipients',
				[{ name: 'customers', type: 'array', value: customers(LIMIT.first, LIMIT.count) }],
				220,
			),
			split(440),
			sendText({ pace: 'custom', senderLimitPerMinute: LIMIT.perMinute }, 660),
		],
		{
			Start: { main: [[main('Recipients')]] },
			Recipients: { main: [[main('One Item per Customer')]] },
			'One Item per Customer': { main: [[main('Send Text')]] },
		},
	);
	const day = (d: string) => d;
	const allDays = [
		'sunday',
		'monday',
		'tuesday',
		'wednesday',
		'thursday',
		'friday',
		'saturday',
	].map(day);
	const window = workflow(
		GUARDRAIL_IDS.window,
		'E2E guardrails: a send window that closes mid-run (Held looped back through a Wait node)',
		[
			setNode(
				'Window',
				[
					{ name: 'window', type: 'object', value: WINDOW_EXPRESSION },
					{ name: 'customers', type: 'array', value: customers(WINDOW.first, WINDOW.count) },
				],
				220,
			),
			split(440),
			sendText(
				{
					pace: 'custom',
					delayMode: 'fixed',
					delayMs: WINDOW.delayMs,
					windowTimezone: 'named',
					timezoneName: 'UTC',
					sendWindow: {
						periods: [
							{ days: allDays, from: `={{ ${W}.from1 }}`, to: `={{ ${W}.to1 }}` },
							{ days: allDays, from: `={{ ${W}.from2 }}`, to: `={{ ${W}.to2 }}` },
						],
					},
				},
				660,
			),
			{
				id: id(),
				name: 'Wait for the Window',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [880, 200],
				parameters: { resume: 'specificTime', dateTime: '={{ $json.heldUntil }}' },
				webhookId: 'e2eg0000-0000-4000-8000-000000000a17',
			},
		],
		{
			Start: { main: [[main('Window')]] },
			Window: { main: [[main('One Item per Customer')]] },
			'One Item per Customer': { main: [[main('Send Text')]] },
			'Send Text': { main: [[], [main('Wait for the Window')]] },
			'Wait for the Window': { main: [[main('Send Text')]] },
		},
	);
	return [limit, window];
}

interface Sent {
	to: string;
	at: number;
}

function sentTo(ctx: E2eContext, mark: number, first: number, count: number): Sent[] {
	return ctx.sandbox.requests
		.filter(
			(r) => r.id > mark && r.vendor === 'profilora' && r.path === SEND_PATH && r.status === 200,
		)
		.map((r) => ({
			to: String((r.body as { to?: string }).to ?? '').replace(/@.*/, ''),
			at: Date.parse(r.at),
		}))
		.filter((s) => Number(s.to) >= first && Number(s.to) < first + count)
		.sort((a, b) => a.at - b.at);
}

const perMinute = (times: number[]) =>
	times.length < 2 ? 0 : ((times.length - 1) * 60_000) / (times[times.length - 1] - times[0]);

export interface GuardrailOptions {
	/** What "a restart during the hold" is: n8n's (single mode), or both workers' (queue mode). */
	restart: { what: string; run: () => Promise<number> };
}

export async function guardrailChecks(ctx: E2eContext, options: GuardrailOptions): Promise<void> {
	const { suite } = ctx;
	await suite.check(
		`a sender limit of ${LIMIT.perMinute}/min shared by two executions of one workflow started at once`,
		async () => {
			const mark = ctx.sandbox.requests.at(-1)?.id ?? 0;
			const [a, b] = await Promise.all([
				startRun(ctx.rest, GUARDRAIL_IDS.limit),
				startRun(ctx.rest, GUARDRAIL_IDS.limit),
			]);
			const runs = await Promise.all([
				waitForExecution(ctx.stored, a, 600_000),
				waitForExecution(ctx.stored, b, 600_000),
			]);
			for (const run of runs)
				expect(
					run.summary.status === 'success',
					`execution ${String(run.summary.id)} ended ${String(run.summary.status)}`,
				);
			const sent = sentTo(ctx, mark, LIMIT.first, LIMIT.count);
			expect(
				sent.length === 2 * LIMIT.count,
				`the sandbox got ${sent.length} messages, expected ${2 * LIMIT.count}`,
			);
			const times = sent.map((s) => s.at);
			const rate = perMinute(times);
			// The most messages that started within any 60 s: the limit's promise (one per 3 s slot, plus one on the edge).
			const busiest = Math.max(
				...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length),
			);
			const outputs = runs.map((run) => nodeOutput(run.run, 'Send Text').length);
			suite.note(
				`${sent.length} messages of one sender from two executions (${outputs.join(' + ')} items): ${rate.toFixed(1)}/min overall, at most ${busiest} in any 60 s; limit ${LIMIT.perMinute}/min`,
			);
			expect(
				rate <= LIMIT.perMinute * 1.1,
				`the sender sent ${rate.toFixed(1)}/min, over ${LIMIT.perMinute}/min + 10%`,
			);
			expect(
				busiest <= Math.floor(LIMIT.perMinute * 1.1),
				`${busiest} messages started within one minute`,
			);
		},
	);

	await suite.check(
		`a send window that closes mid-run holds the rest through a Wait node; ${options.restart.what} during the hold; the run finishes in the next period, nothing outside, nothing twice`,
		async () => {
			const mark = ctx.sandbox.requests.at(-1)?.id ?? 0;
			const executionId = await startRun(ctx.rest, GUARDRAIL_IDS.window);
			await waitFor(
				'the run to hold (waiting)',
				async () =>
					(await ctx.stored.get(executionId)).summary.status === 'waiting' ? true : undefined,
				300_000,
				1000,
			);
			const heldAfter = sentTo(ctx, mark, WINDOW.first, WINDOW.count).length;
			const restartMs = await options.restart.run();
			suite.note(
				`held after ${heldAfter} messages; ${options.restart.what} in ${(restartMs / 1000).toFixed(1)} s`,
			);
			const done = await waitFor(
				'the held run to finish by itself',
				async () => {
					const execution = await ctx.stored.get(executionId);
					return ['new', 'running', 'waiting', 'unknown'].includes(String(execution.summary.status))
						? undefined
						: execution;
				},
				900_000,
				2000,
			);
			expect(done.summary.status === 'success', `the run ended ${String(done.summary.status)}`);
			// The hold's hint as n8n stored it: the loop through the Wait node was seen, so it says they come back.
			const holdHint = (done.run?.data?.resultData?.runData?.['Send Text']?.[0]?.hints ?? [])
				.map((hint) => hint.message ?? '')
				.find((message) => message.includes('held until'));
			expect(
				holdHint?.includes('wired back into this node') === true,
				`the held run's hint: ${holdHint ?? 'none'}`,
			);
			const window = nodeOutput(done.run, 'Window')[0].json.window as Record<string, unknown>;
			const start = Date.parse(String(window.start));
			const first = Number(window.firstMinutes);
			const p1 = [start, start + first * 60_000];
			const p2 = [
				start + (first + WINDOW.gapMinutes) * 60_000,
				start + (first + WINDOW.gapMinutes + WINDOW.secondMinutes) * 60_000,
			];
			const sent = sentTo(ctx, mark, WINDOW.first, WINDOW.count);
			const inside = (t: number, [from, to]: number[]) => t >= from && t < to;
			const outside = sent.filter((s) => !inside(s.at, p1) && !inside(s.at, p2));
			const inFirst = sent.filter((s) => inside(s.at, p1)).length;
			const perRecipient = new Map<string, number>();
			for (const s of sent) perRecipient.set(s.to, (perRecipient.get(s.to) ?? 0) + 1);
			const twice = [...perRecipient].filter(([, n]) => n > 1);
			suite.note(
				`window ${String(window.from1)}-${String(window.to1)} and ${String(window.from2)}-${String(window.to2)} UTC: ${inFirst} sent in the first period, ${sent.length - inFirst - outside.length} in the second, ${outside.length} outside`,
			);
			expect(
				outside.length === 0,
				`${outside.length} messages outside the window, e.g. ${outside
					.slice(0, 3)
					.map((s) => new Date(s.at).toISOString())
					.join(', ')}`,
			);
			expect(twice.length === 0, `${twice.length} recipients got the message twice`);
			expect(
				perRecipient.size === WINDOW.count,
				`${perRecipient.size} of ${WINDOW.count} recipients got it`,
			);
			expect(
				inFirst > 0 && inFirst < WINDOW.count,
				`${inFirst} sent in the first period: the window did not close mid-run`,
			);
			expect(
				heldAfter === inFirst,
				`${heldAfter} were out when the run held, ${inFirst} in the first period`,
			);
			await sleep(0);
		},
	);
}
