/**
 * Group Bursts in a real n8n (e2e/workflows.ts › BURSTS: Sobot Trigger, Quiet Period 3 s): a customer's messages
 * posted within seconds of each other start one execution once they pause, another customer's message posted in
 * between starts its own, and every webhook is answered 200 only after that execution exists. In queue mode the
 * requests go to the webhook processor, which holds the burst in its memory (docs/queue-mode.md).
 *
 * The start latency is measured from the posting side to when n8n created the execution (`createdAt`, before a
 * queue-mode worker took it), and bounded by the Quiet Period + 2 s, nothing stricter.
 */
import { webhookTarget } from '../../scripts/dev/provision';
import type { E2eContext } from '../context';
import { expect, sleep, untilRegistered } from '../harness';
import type { Item, TriggerRun } from '../n8n';
import { BURST_TRIGGER, BURSTS } from '../workflows';

const ASHA = '919800070001';
const RAVI = '919800070002';

export interface BurstCheckOptions {
	/** Where the webhooks go: n8n itself, or the queue-mode webhook processor. */
	webhookBaseUrl?: () => string;
	/** Stops n8n (gracefully, or killed) and starts it again: the burst-interrupted checks (single mode). */
	restart?: (kill: boolean) => Promise<unknown>;
}

const textsOf = (item: Item) =>
	((item.json.messages ?? []) as Array<Record<string, unknown>>).map((m) => m.text);

export async function burstChecks(ctx: E2eContext, options: BurstCheckOptions = {}): Promise<void> {
	const { suite, sandbox } = ctx;
	const base = options.webhookBaseUrl ?? (() => ctx.n8n.url);
	const earlier = sandbox.webhooks.targets.sobot;
	await sandbox.webhooks.idle();
	// Again after a restart: n8n may come back on another URL.
	const wire = () => {
		sandbox.webhooks.targets.sobot = webhookTarget(
			{
				vendor: 'sobot',
				nodeName: BURST_TRIGGER.node,
				webhookId: BURST_TRIGGER.webhookId,
				path: BURST_TRIGGER.path,
				authentication: 'queryAuth',
			},
			base(),
			ctx.webhookSecrets,
		);
	};
	wire();
	try {
		await suite.check(
			'Group Bursts: 5 messages of one customer within 3 s start one execution with all 5 in order; another customer in between gets their own',
			async () => {
				// Run first (`--only bursts`), this check met n8n before it had registered the webhook: one 404.
				await untilRegistered(`${base()}/webhook/${BURST_TRIGGER.webhookId}/${BURST_TRIGGER.path}`);
				const texts = ['hi', 'I need help', 'my order', '123', 'is late'];
				const answers: Array<Promise<{ status?: number; error?: string } | undefined>> = [];
				let lastPostedAt = 0;
				let raviPostedAt = 0;
				for (const [index, text] of texts.entries()) {
					lastPostedAt = Date.now();
					answers.push(sandbox.sobot.incoming({ from: ASHA, name: 'Asha', text }));
					if (index === 1) {
						raviPostedAt = Date.now();
						answers.push(sandbox.sobot.incoming({ from: RAVI, name: 'Ravi', text: 'hello' }));
					}
					if (index < texts.length - 1) await sleep(500);
				}
				const delivered = await Promise.all(answers);
				const codes = delivered.map((d) => d?.status ?? d?.error);
				expect(
					codes.every((code) => code === 200),
					`the trigger answered the six webhooks with ${JSON.stringify(codes)}`,
				);

				await ctx.stored.waitForItems(
					"the executions of Asha's burst and Ravi's message",
					BURSTS.id,
					BURST_TRIGGER.node,
					(found) => {
						const of = (who: string) =>
							found.filter((r) => r.items.some((i) => i.json.from === who));
						return of(ASHA).length > 0 && of(RAVI).length > 0 ? found : undefined;
					},
					60_000,
				);
				await ctx.stored.settle(BURSTS.id);
				const all: TriggerRun[] = await ctx.stored.items(BURSTS.id, BURST_TRIGGER.node);
				const of = (who: string) =>
					all.filter((run) => run.items.some((item) => item.json.from === who));
				const asha = of(ASHA);
				const ravi = of(RAVI);
				expect(
					asha.length === 1,
					`Asha's messages started ${asha.length} executions: ${JSON.stringify(asha.map((r) => r.items.map(textsOf)))}`,
				);
				expect(ravi.length === 1, `Ravi's message started ${ravi.length} executions`);
				const [item] = asha[0].items;
				expect(
					asha[0].items.length === 1 && JSON.stringify(textsOf(item)) === JSON.stringify(texts),
					`Asha's execution carries ${JSON.stringify(asha[0].items.map(textsOf))}`,
				);
				expect(
					item.json.text === texts.join('\n') && item.json.messageCount === 5,
					`Asha's item: text ${JSON.stringify(item.json.text)}, messageCount ${String(item.json.messageCount)}`,
				);
				expect(
					JSON.stringify(textsOf(ravi[0].items[0])) === JSON.stringify(['hello']),
					`Ravi's execution carries ${JSON.stringify(ravi[0].items.map(textsOf))}`,
				);
				for (const run of [asha[0], ravi[0]])
					expect(
						run.status === 'success' && run.ran.includes('Answer Once'),
						`execution ${run.executionId}: ${run.status}, ran ${run.ran.join(', ')}`,
					);

				const summaries = await ctx.stored.list(BURSTS.id);
				const createdAt = (id: string) => {
					const summary = summaries.find((s) => s.id === id);
					const at = Date.parse(String(summary?.createdAt ?? summary?.startedAt));
					expect(Number.isFinite(at), `execution ${id} has no creation time`);
					return at;
				};
				const bound = BURST_TRIGGER.quietSeconds * 1000 + 2000;
				const ashaLatency = createdAt(asha[0].executionId) - lastPostedAt;
				const raviLatency = createdAt(ravi[0].executionId) - raviPostedAt;
				// Where the time went: n8n taking the request in (until the trigger's webhook() ran, `receivedAt`), then the
				// Quiet Period and the creation of the execution.
				const intake = (run: TriggerRun, posted: number) => {
					const messages = (run.items[0]?.json.messages ?? []) as Array<Record<string, unknown>>;
					return Date.parse(String(messages[messages.length - 1]?.receivedAt)) - posted;
				};
				suite.note(
					`execution created ${ashaLatency} ms after Asha's last message was posted (${intake(asha[0], lastPostedAt)} ms of it before the trigger saw the message), ${raviLatency} ms after Ravi's (${intake(ravi[0], raviPostedAt)} ms); Quiet Period ${BURST_TRIGGER.quietSeconds} s, bound ${bound} ms`,
				);
				expect(
					ashaLatency <= bound && raviLatency <= bound,
					`an execution started later than the Quiet Period + 2 s: ${ashaLatency} ms, ${raviLatency} ms`,
				);
			},
		);
		if (options.restart) await interruptedChecks(ctx, options.restart, wire);
	} finally {
		await sandbox.webhooks.idle();
		sandbox.webhooks.targets.sobot = earlier;
	}
}

/**
 * n8n stops while a customer is in the middle of a burst: the held webhooks are answered with an error or not at
 * all (a failed delivery for the gateway), or, when the burst's execution was created before n8n went, with 200.
 * Never 200 for a message that is in no stored execution.
 */
async function interruptedChecks(
	ctx: E2eContext,
	restart: (kill: boolean) => Promise<unknown>,
	wire: () => void,
): Promise<void> {
	for (const [kill, from] of [
		[false, '919800070003'],
		[true, '919800070004'],
	] as const) {
		await ctx.suite.check(
			`Group Bursts: n8n ${kill ? 'killed' : 'stopped'} in the middle of a burst answers no message 200 that is not in a stored execution`,
			async () => {
				const texts = ['first', 'second', 'third'];
				const posted: Array<Promise<{ status?: number; error?: string } | undefined>> = [];
				for (const text of texts) {
					posted.push(ctx.sandbox.sobot.incoming({ from, name: 'Kiran', text }));
					await sleep(300);
				}
				const stopping = restart(kill);
				const answers = await Promise.all(posted);
				await stopping;
				wire();
				await ctx.stored.settle(BURSTS.id);
				const stored = new Set(
					(await ctx.stored.items(BURSTS.id, BURST_TRIGGER.node))
						.flatMap((run) => run.items)
						.filter((item) => item.json.from === from)
						.flatMap(textsOf),
				);
				const outcome = texts.map((text, index) => {
					const answer = answers[index];
					return `${text}: ${answer?.status ?? `failed (${answer?.error})`}${stored.has(text) ? ', in an execution' : ''}`;
				});
				ctx.suite.note(outcome.join('; '));
				const lost = texts.filter(
					(text, index) => answers[index]?.status === 200 && !stored.has(text),
				);
				expect(
					lost.length === 0,
					`answered 200 but in no stored execution: ${JSON.stringify(lost)}`,
				);
			},
		);
	}
}
