/**
 * A campaign that outlives a crash of n8n (issue: crash-proof sending). The 300-recipient campaign of
 * e2e/workflows.ts runs inside the n8n server (started by its production webhook); the check holds one reply
 * at the sandbox so that a message is in flight, SIGKILLs n8n's whole process group, starts n8n again and runs
 * the same workflow again. The sandbox's record judges: every recipient got the template exactly once, and the
 * second run's report says who had it already, who was in flight (uncertain) and who got it now.
 */
import type { E2eContext } from '../context';
import { expect, fail, sleep, waitFor } from '../harness';
import { nodeOutput } from '../n8n';
import {
	CRASH_CAMPAIGN,
	CRASH_CAMPAIGN_PATH,
	CRASH_CAMPAIGN_SIZE,
	crashRecipient,
} from '../workflows';

const RECIPIENTS = new Set(
	Array.from({ length: CRASH_CAMPAIGN_SIZE }, (_, i) => crashRecipient(i)),
);

/** How a run of the check crashes n8n: the single process, or (queue mode) the worker that runs the campaign. */
export interface Crash {
	/** Who is killed, for the check's name. */
	what: string;
	/** Where production webhooks are served (main, or the webhook processor in queue mode). */
	webhookBase: () => string;
	/** SIGKILLs whatever runs the execution and brings a replacement up; returns a line for the report. */
	kill: (executionId: string) => Promise<string>;
}

export function singleProcessCrash(ctx: E2eContext): Crash {
	return {
		what: 'n8n SIGKILLed',
		webhookBase: () => ctx.n8n.url,
		kill: async () => {
			const startupMs = await ctx.restartN8n({ kill: true });
			return `n8n killed and started again (ready in ${(startupMs / 1000).toFixed(1)} s)`;
		},
	};
}

/** Starts the campaign through its production webhook (answered at once; the campaign runs on in n8n). */
export async function startCampaign(url: string): Promise<void> {
	const response = await fetch(`${url}/webhook/${CRASH_CAMPAIGN_PATH}`, {
		method: 'POST',
		signal: AbortSignal.timeout(30_000),
	});
	await response.arrayBuffer();
	if (response.status !== 200) fail(`the campaign's webhook answered ${response.status}`);
}

function acceptedPerRecipient(ctx: E2eContext): Map<string, number> {
	const counts = new Map<string, number>();
	for (const message of ctx.sandbox.accepted) {
		if (message.vendor === 'sobot' && RECIPIENTS.has(message.to))
			counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
	}
	return counts;
}

/**
 * Holds the reply to the next campaign message once `after` messages were accepted, and resolves with that
 * message's recipient when its request has reached the sandbox (the message is processed: it is "in flight").
 */
async function holdAReply(ctx: E2eContext, after: number): Promise<string> {
	await waitFor(
		`${after} campaign messages accepted`,
		async () => (acceptedPerRecipient(ctx).size >= after ? true : undefined),
		300_000,
		20,
	);
	const marker = ctx.sandbox.requests.at(-1)?.id ?? 0;
	ctx.sandbox.faults.configure({
		rate: 1,
		kinds: { timeout: 1 },
		holdMs: 600_000,
		seed: 1,
		pathPattern: '^/message/$',
	});
	const held = await waitFor(
		'a held campaign request',
		async () =>
			ctx.sandbox.requests.find(
				(r) => r.id > marker && r.vendor === 'sobot' && r.fault === 'timeout',
			),
		60_000,
		10,
	);
	return String((held.body as { customer_number?: unknown }).customer_number);
}

/** The execution of the workflow that is not among `knownIds`, once it satisfies `ready`. */
async function newExecution(
	ctx: E2eContext,
	knownIds: Set<string>,
	what: string,
	ready: (status: string) => boolean,
): Promise<string> {
	return await waitFor(
		what,
		async () => {
			const list = await ctx.stored.list(CRASH_CAMPAIGN.id);
			const mine = list.find((e) => !knownIds.has(e.id));
			return mine && ready(mine.status) ? mine.id : undefined;
		},
		600_000,
		1000,
	);
}
const finished = (status: string) => !['new', 'running', 'waiting', 'unknown'].includes(status);

export async function crashResumeCheck(
	ctx: E2eContext,
	crash: Crash = singleProcessCrash(ctx),
): Promise<void> {
	await ctx.suite.check(
		`Sobot campaign of 300: ${crash.what} mid-campaign with a message in flight; the re-run sends each recipient the template exactly once`,
		async () => {
			const { sandbox, suite } = ctx;
			// 300 messages would start ~900 status webhooks at the trigger workflow: not what this check is about.
			const statusTarget = sandbox.webhooks.targets.sobot;
			delete sandbox.webhooks.targets.sobot;
			try {
				const earlier = new Set((await ctx.stored.list(CRASH_CAMPAIGN.id)).map((e) => e.id));
				await startCampaign(crash.webhookBase());
				const first = await newExecution(ctx, earlier, 'the campaign to start', () => true);
				const inFlight = await holdAReply(ctx, 120);
				const before = acceptedPerRecipient(ctx);
				const killed = await crash.kill(first);
				sandbox.faults.configure({ rate: 0 });
				suite.note(
					`${killed} after ${before.size} recipients were accepted; ${inFlight} was in flight`,
				);

				const crashed = new Set((await ctx.stored.list(CRASH_CAMPAIGN.id)).map((e) => e.id));
				await startCampaign(crash.webhookBase());
				const executionId = await newExecution(
					ctx,
					crashed,
					'the second run of the campaign to finish',
					finished,
				);
				const { run } = await ctx.stored.get(executionId);
				const report = nodeOutput(run, 'Campaign');
				expect(
					report.length === CRASH_CAMPAIGN_SIZE,
					`the report has ${report.length} items, expected ${CRASH_CAMPAIGN_SIZE}`,
				);

				const statusOf = new Map(
					report.map((item) => [String(item.json.to), String(item.json.status)]),
				);
				const count = (status: string) => [...statusOf.values()].filter((s) => s === status).length;
				suite.note(
					`re-run report: ${count('already sent')} already sent, ${count('uncertain')} uncertain, ${count('sent')} sent, ${count('failed')} failed`,
				);
				const after = acceptedPerRecipient(ctx);
				const twice = [...after.entries()].filter(([, n]) => n > 1).map(([to]) => to);
				const never = [...RECIPIENTS].filter((to) => !after.has(to));
				expect(
					twice.length === 0,
					`${twice.length} recipients got the template twice: ${twice.slice(0, 5).join(', ')}`,
				);
				expect(
					never.length === 0,
					`${never.length} recipients never got it: ${never.slice(0, 5).join(', ')}`,
				);
				expect(
					statusOf.get(inFlight) === 'uncertain',
					`the in-flight recipient ${inFlight} is reported "${statusOf.get(inFlight)}", expected "uncertain"`,
				);
				const wrong = [...RECIPIENTS].filter((to) => {
					if (to === inFlight) return false;
					return statusOf.get(to) !== (before.has(to) ? 'already sent' : 'sent');
				});
				expect(
					wrong.length === 0,
					`${wrong.length} report lines disagree with the sandbox, e.g. ${wrong
						.slice(0, 3)
						.map(
							(to) => `${to}: ${statusOf.get(to)} (accepted before the crash: ${before.has(to)})`,
						)
						.join('; ')}`,
				);
				expect(
					report.every(
						(item, index) => (item.pairedItem as { item?: number } | undefined)?.item === index,
					),
					'report items lost their pairedItem',
				);
			} finally {
				sandbox.faults.configure({ rate: 0 });
				sandbox.webhooks.targets.sobot = statusTarget;
				await sleep(0);
			}
		},
	);
}
