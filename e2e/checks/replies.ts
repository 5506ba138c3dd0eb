/**
 * Send and Wait for Reply in a real n8n (e2e/workflows.ts › ASK_AND_WAIT): the customer's message starts an
 * execution, the node asks with two buttons and parks it, and the answer, posted by the sandbox at the Sobot
 * Trigger as Sobot would, resumes that same execution. What n8n saved decides: the waiting entry in static data,
 * the execution n8n stored as waiting and then finished, and no execution started by the answer itself.
 */
import { createHash } from 'node:crypto';

import { webhookTarget } from '../../scripts/dev/provision';
import type { E2eContext } from '../context';
import { expect, fail, seconds, sleep, waitFor } from '../harness';
import type { ExecutionSummary, Item } from '../n8n';
import { nodeError, nodeOutput } from '../n8n';
import { ASK_AND_WAIT, ASK_AND_WAIT_IMPATIENT, ASK_AND_WAIT_TRIGGER } from '../workflows';

const ALICE = '919800000101';
const BOB = '919800000102';
const CAROL = '919800000103';
const DAVE = '919800000104';
/** Customers whose first messages arrive together: their executions save static data at nearly the same time. */
const BURST = 20;

async function executions(ctx: E2eContext): Promise<ExecutionSummary[]> {
	return await ctx.stored.list(ASK_AND_WAIT.id);
}

/** The execution whose trigger item came from `customer`, once it has the status asked for. */
async function conversationOf(
	ctx: E2eContext,
	customer: string,
	status: string,
	timeoutMs = 60_000,
): Promise<string> {
	return await waitFor(
		`the execution of ${customer}'s conversation to be ${status}`,
		async () => {
			for (const summary of await executions(ctx)) {
				if (summary.status !== status) continue;
				const { run } = await ctx.stored.get(summary.id);
				const first =
					run.data?.resultData?.runData?.[ASK_AND_WAIT_TRIGGER.node]?.[0]?.data?.main?.[0]?.[0];
				if (first?.json.from === customer) return summary.id;
			}
			return undefined;
		},
		timeoutMs,
		500,
	);
}

async function customerWrites(
	ctx: E2eContext,
	from: string,
	message: { text?: string; choose?: string; media?: { type: 'image'; mime_type: string } },
): Promise<void> {
	// n8n registers published triggers shortly after it says it is ready: a 404 then only means "not yet".
	const delivery = await waitFor(
		'the trigger to accept the message',
		async () => {
			const answer = await ctx.sandbox.sobot.incoming({
				from,
				name: `Customer ${from.slice(-3)}`,
				...message,
			});
			return answer?.status === 404 ? undefined : answer;
		},
		30_000,
		1000,
	);
	expect(delivery?.status === 200, `the trigger answered ${delivery?.status ?? delivery?.error}`);
}

function askedWithButtons(ctx: E2eContext, customer: string): boolean {
	return ctx.sandbox.sobot.sent.some(
		(m) =>
			m.to === customer &&
			m.type === 'quick_reply' &&
			JSON.stringify(m.body.buttons) === '["Yes","No"]',
	);
}

async function outputOf(ctx: E2eContext, executionId: string, node: string): Promise<Item[]> {
	const { run } = await ctx.stored.get(executionId);
	return nodeOutput(run, node);
}

export interface ReplyCheckOptions {
	/** Where the vendor posts: n8n itself, or queue mode's webhook processor. */
	webhookBaseUrl?: () => string;
	/** Queue mode: the binary_data row of a stored file (PostgreSQL), to see which execution it belongs to. */
	storedFile?: (
		binaryId: string,
	) => Promise<{ size: number; sourceType: string; sourceId: string }>;
	/** What "a restart while waiting" is: n8n's, or queue mode's workers'. */
	restart?: { what: string; run: () => Promise<number> };
}

export async function replyChecks(ctx: E2eContext, options: ReplyCheckOptions = {}): Promise<void> {
	const { suite, sandbox } = ctx;
	const base = options.webhookBaseUrl ?? (() => ctx.n8n.url);
	const restart = options.restart ?? {
		what: 'n8n restarted',
		run: async () => await ctx.restartN8n(),
	};
	const earlierTarget = sandbox.webhooks.targets.sobot;
	const wire = () => {
		sandbox.webhooks.targets.sobot = webhookTarget(
			{
				vendor: 'sobot',
				nodeName: ASK_AND_WAIT_TRIGGER.node,
				webhookId: ASK_AND_WAIT_TRIGGER.webhookId,
				path: ASK_AND_WAIT_TRIGGER.path,
				authentication: 'queryAuth',
			},
			base(),
			ctx.webhookSecrets,
		);
	};
	wire();
	let bobWaits: string | undefined;
	try {
		if (!ctx.exec.runtime.line.has.sendAndWaitReply) {
			await unsupportedCheck(ctx);
			return;
		}
		await suite.check(
			'Send and Wait for Reply: a customer writes, gets two buttons, and the execution waits',
			async () => {
				await customerWrites(ctx, ALICE, { text: 'Hi, where is my order?' });
				const id = await conversationOf(ctx, ALICE, 'waiting');
				expect(
					askedWithButtons(ctx, ALICE),
					'the sandbox did not receive the Yes/No buttons for Alice',
				);
				suite.note(`execution ${id} waits`);
			},
		);

		await suite.check(
			"another customer's message starts their own conversation and does not resume the first",
			async () => {
				const alice = await conversationOf(ctx, ALICE, 'waiting');
				await customerWrites(ctx, BOB, { text: 'Hello' });
				bobWaits = await conversationOf(ctx, BOB, 'waiting');
				expect(bobWaits !== alice, "Bob resumed Alice's execution");
				const again = await ctx.stored.get(alice);
				expect(again.run.status === 'waiting', `Alice's execution is ${again.run.status}`);
			},
		);

		await suite.check(
			'the tapped button resumes the same execution with the answer; the answer starts no execution of its own',
			async () => {
				const alice = await conversationOf(ctx, ALICE, 'waiting');
				const before = (await executions(ctx)).length;
				await customerWrites(ctx, ALICE, { choose: 'Yes' });
				await conversationOf(ctx, ALICE, 'success');
				const [answer] = await outputOf(ctx, alice, 'Answered');
				expect(answer, 'the Answered node got no item');
				expect(answer.json.answer === 'Yes', `answer is ${JSON.stringify(answer.json.answer)}`);
				expect(answer.json.from === ALICE, `the answer is from ${String(answer.json.from)}`);
				expect(
					typeof answer.json.answerId === 'string' &&
						String(answer.json.answerId).startsWith(String(answer.json.replyTo)),
					`answerId ${String(answer.json.answerId)} does not name the buttons message ${String(answer.json.replyTo)}`,
				);
				expect(
					answer.json.askedMessageId === answer.json.replyTo,
					'askedMessageId is not the message the customer answered',
				);
				expect(typeof answer.json.raw === 'object', 'the answer has no raw event');
				await ctx.stored.settle(ASK_AND_WAIT.id);
				const after = await executions(ctx);
				expect(
					after.length === before,
					`the answer started ${after.length - before} execution(s) of its own`,
				);
				suite.note(
					`answer "${String(answer.json.answer)}" (${String(answer.json.answerId)}) in execution ${alice}`,
				);
			},
		);

		await suite.check(
			"the customer answers with a photo: it is binary data on the Reply item, kept with the resumed execution, and the editor's download answers 200",
			async () => {
				await customerWrites(ctx, DAVE, { text: 'Hi' });
				const waiting = await conversationOf(ctx, DAVE, 'waiting');
				await customerWrites(ctx, DAVE, { media: { type: 'image', mime_type: 'image/png' } });
				const done = await conversationOf(ctx, DAVE, 'success');
				expect(done === waiting, `the photo finished ${done}, not the waiting ${waiting}`);
				const [answer] = await outputOf(ctx, done, 'Answered');
				const media = answer?.json.media as Record<string, unknown> | undefined;
				expect(
					media?.binaryProperty === 'data' && media.downloadError === undefined,
					`the answer's media is ${JSON.stringify(media)}`,
				);
				const binary = answer.binary?.data;
				expect(binary?.id, `the Reply item has no stored binary: ${JSON.stringify(binary)}`);
				expect(binary!.mimeType === 'image/png', `binary mimeType ${binary!.mimeType}`);
				const id = binary!.id!;
				// A file stored under n8n's placeholder id "temp" is not found by the editor in the database mode.
				let where: string;
				if (options.storedFile) {
					const row = await options.storedFile(id);
					expect(
						row.sourceType === 'execution' && row.sourceId === String(done),
						`binary_data row of ${id}: ${row.sourceType}/${row.sourceId}, not execution ${done}`,
					);
					where = `binary_data row ${row.sourceType}/${row.sourceId}, ${row.size} bytes`;
				} else {
					expect(
						!id.startsWith('filesystem') || id.includes(`/executions/${done}/`),
						`the file ${id} is not under execution ${done}`,
					);
					where = id.replace(/binary_data\/.*/, 'binary_data/…');
				}
				const response = await fetch(
					`${ctx.n8n.url}/rest/binary-data?id=${encodeURIComponent(id)}&action=download`,
					{ headers: { cookie: ctx.rest.cookieHeader ?? '' } },
				);
				const bytes = Buffer.from(await response.arrayBuffer());
				const sent = ctx.sandbox.sobot.media.list().at(-1);
				expect(
					response.status === 200 &&
						createHash('sha256').update(bytes).digest('hex') === sent?.sha256,
					`the editor's download answered HTTP ${response.status} with ${bytes.length} bytes (sent: ${sent?.size})`,
				);
				suite.note(
					`execution ${done}: ${where}; the editor's download: HTTP 200, ${bytes.length} bytes`,
				);
			},
		);

		await suite.check(
			`${restart.what} while Bob waits: his typed answer resumes his execution afterwards`,
			async () => {
				if (!bobWaits) fail('no waiting execution for Bob');
				suite.note(`ready again in ${seconds(await restart.run())}`);
				wire();
				await customerWrites(ctx, BOB, { text: 'No, Friday please' });
				const done = await conversationOf(ctx, BOB, 'success');
				expect(
					done === bobWaits,
					`Bob's answer finished execution ${done}, not the waiting ${bobWaits}`,
				);
				const [answer] = await outputOf(ctx, done, 'Answered');
				expect(
					answer?.json.answer === 'No, Friday please',
					`answer is ${JSON.stringify(answer?.json.answer)}`,
				);
				expect(answer.json.answerId === null, 'a typed answer has an answerId');
			},
		);

		await suite.check(
			'no answer within the limit: the execution continues on No Reply with the input item',
			async () => {
				const started = Date.now();
				await customerWrites(ctx, CAROL, { text: ASK_AND_WAIT_IMPATIENT });
				const id = await conversationOf(ctx, CAROL, 'waiting');
				// n8n's wait tracker looks for due executions once a minute: a one-minute limit ends within about two.
				const done = await conversationOf(ctx, CAROL, 'success', 240_000);
				expect(done === id, `Carol's timeout finished ${done}, not ${id}`);
				const [item] = await outputOf(ctx, done, 'No Answer');
				expect(
					item?.json.from === CAROL && item.json.text === ASK_AND_WAIT_IMPATIENT,
					`No Answer got ${JSON.stringify(item?.json)}`,
				);
				const { run } = await ctx.stored.get(done);
				expect(!run.data?.resultData?.runData?.Answered, 'the Answered branch ran too');
				suite.note(`resumed on its timeout after ${seconds(Date.now() - started)}`);
			},
		);

		await suite.check(
			"after the timeout, the customer's late message starts a new conversation (nothing is lost)",
			async () => {
				const before = (await executions(ctx)).length;
				await customerWrites(ctx, CAROL, { text: 'sorry, I was away' });
				await waitFor(
					'a new execution for Carol',
					async () => ((await executions(ctx)).length > before ? true : undefined),
					60_000,
					500,
				);
				await sleep(500);
			},
		);
		await suite.check(
			`${BURST} customers write at the same moment: every answer resumes its own execution or starts a new one (measured)`,
			async () => {
				const customers = Array.from(
					{ length: BURST },
					(_, i) => `91980000${String(201 + i).padStart(4, '0')}`,
				);
				await Promise.all(
					customers.map((customer) => customerWrites(ctx, customer, { text: 'Hi' })),
				);
				const waiting = new Map<string, string>();
				for (const customer of customers)
					waiting.set(customer, await conversationOf(ctx, customer, 'waiting'));
				const before = (await executions(ctx)).length;
				for (const customer of customers) await customerWrites(ctx, customer, { choose: 'No' });
				await ctx.stored.settle(ASK_AND_WAIT.id, 3000, 120_000);
				let resumed = 0;
				for (const [customer, id] of waiting) {
					const { run } = await ctx.stored.get(id);
					if (run.status !== 'success') continue;
					const [answer] = nodeOutput(run, 'Answered');
					expect(
						answer?.json.from === customer,
						`execution ${id} of ${customer} was resumed by ${String(answer?.json.from)}`,
					);
					resumed++;
				}
				const started = (await executions(ctx)).length - before;
				expect(
					resumed + started === BURST,
					`${BURST} answers: ${resumed} resumed their execution, ${started} started one; ${BURST - resumed - started} lost`,
				);
				suite.note(
					`${resumed} of ${BURST} answers resumed their execution; ${started} found no waiting entry and started a new conversation`,
				);
			},
		);
	} finally {
		sandbox.webhooks.targets.sobot = earlierTarget;
	}
}

/**
 * An n8n that would drop the answer (1.x, and 2.x before 2.39: nodes/shared/conversation/n8nSupport.ts): the node
 * fails the execution with the version it needs, before it sends anything.
 */
async function unsupportedCheck(ctx: E2eContext): Promise<void> {
	await ctx.suite.check(
		`Send and Wait for Reply on n8n ${ctx.exec.runtime.n8nVersion}: the execution fails naming the n8n it needs, and nothing is sent`,
		async () => {
			await customerWrites(ctx, ALICE, { text: 'Hi, where is my order?' });
			const id = await conversationOf(ctx, ALICE, 'error');
			const { run } = await ctx.stored.get(id);
			const error = nodeError(run, 'Ask');
			expect(
				/needs n8n 2\.39 or newer/.test(error ?? ''),
				`the Ask node's error is ${JSON.stringify(error)}`,
			);
			expect(!askedWithButtons(ctx, ALICE), 'the buttons were sent although the node refused');
			ctx.suite.note(`execution ${id}: "${error}"`);
		},
	);
}
