/**
 * The package's nodes as tools of n8n's AI Agent, in real n8n: examples/sobot-ai-agent.json (published) is
 * Sobot Trigger → AI Agent (n8n's @n8n/n8n-nodes-langchain agent) with n8n's OpenAI Chat Model pointed at the
 * sandbox's fake model (sandbox/model/, loopback) → the tool variants `sobotTool` (Message → Send, text) and
 * `waChatProTool` (Message → Send Text) with `$fromAI()` parameters.
 *
 * A customer writes in through the sandbox; the fake model answers the first request with a call of both tools,
 * n8n runs them (the sandbox receives the reply for that customer and the note for the team), and the fake model
 * answers the second request, which carries the tools' results, with a final text. Judged by what arrived at the
 * sandbox, what the model server received (the tools' names, descriptions and $fromAI schemas, then the results),
 * and the execution n8n stored. Then the same with a model that writes numbers as JSON numbers, and with + and spaces.
 */
import { webhookTarget } from '../../scripts/dev/provision';
import type { ModelRequest } from '../../sandbox/model';
import type { ChatRequest, Conversation, NumberForm } from '../../sandbox/model/script';
import { replyFor, teamSummaryFor } from '../../sandbox/model/script';
import type { E2eContext } from '../context';
import { expect, expectFields, fail, sleep, waitFor } from '../harness';
import type { Item, RunData } from '../n8n';
import type { TriggerUnderTest } from './triggers';

const AGENT: TriggerUnderTest = {
	vendor: 'sobot',
	workflowId: 'exSobotAiAgent01',
	node: 'Sobot Trigger',
};
const SOBOT_TOOL = 'Reply to customer on Sobot';
const WACHATPRO_TOOL = 'Tell the team on WAChatPro';
/** What the model sees as the tools' names (n8n's nodeNameToToolName). */
const toolName = (node: string) => node.replace(/[^a-zA-Z0-9_-]+/g, '_');
/** The team's number as the example's system message writes it, and as WAChatPro must receive it. */
const TEAM = { written: '+62 812-5555-0101', digits: '6281255550101' };

interface Customer {
	from: string;
	name: string;
	text: string;
}

interface AgentRun {
	executionId: string;
	run: RunData;
	completions: ModelRequest[];
}

function toolsOf(
	request: ModelRequest,
): Array<{ name: string; description: string; parameters: Record<string, unknown> }> {
	const body = request.body as ChatRequest;
	return (body.tools ?? []).map((tool) => ({
		name: String(tool.function?.name),
		description: String(tool.function?.description),
		parameters: (tool.function?.parameters ?? {}) as Record<string, unknown>,
	}));
}

/** The fake model's final text (sandbox/model/script.ts): each tool's outcome, in the order the tools were offered. */
function finalText(
	who: string,
	offered: Array<{ name: string }>,
	outcomes: Record<string, string>,
): string {
	const named = offered
		.filter((tool) => tool.name in outcomes)
		.map((tool) => `${tool.name}: ${outcomes[tool.name]}`);
	return `Answered ${who}. ${named.join('; ')}.`;
}

function lastRunOf(run: RunData, node: string): Item[] {
	const tasks = run.data?.resultData?.runData?.[node];
	if (!tasks?.length)
		fail(
			`node "${node}" did not run (ran: ${Object.keys(run.data?.resultData?.runData ?? {}).join(', ')})`,
		);
	const task = tasks[tasks.length - 1];
	if (task.error)
		fail(
			`node "${node}" failed: ${task.error.message}${task.error.description ? ` (${task.error.description})` : ''}`,
		);
	// n8n logs a tool node's output under its `ai_tool` connection, not `main`.
	const data = task.data as
		| { main?: Array<Item[] | null>; ai_tool?: Array<Item[] | null> }
		| undefined;
	return data?.main?.[0] ?? data?.ai_tool?.[0] ?? [];
}

/**
 * Points the sandbox's Sobot webhook at the agent workflow, lets `customer` write in, and waits for the execution it
 * starts to finish; returns it with the model requests it made. The webhook target is put back afterwards.
 */
async function customerWrites(
	ctx: E2eContext,
	customer: Customer,
	numberForm: NumberForm,
	/** Further messages written right after the first, half a second apart (a burst). */
	more: string[] = [],
): Promise<AgentRun> {
	const { sandbox, suite } = ctx;
	const trigger = ctx.examples.find((e) => e.workflow.id === AGENT.workflowId)?.trigger;
	if (!trigger) fail(`examples/ has no workflow ${AGENT.workflowId} with a Sobot Trigger`);
	sandbox.model.configure({ numberForm });
	const modelMark = sandbox.model.requests.length;
	const saved = sandbox.webhooks.targets.sobot;
	await sandbox.webhooks.idle();
	sandbox.webhooks.targets.sobot = webhookTarget(trigger, ctx.n8n.url, ctx.webhookSecrets);
	try {
		const posted = [sandbox.sobot.incoming(customer)];
		for (const text of more) {
			await sleep(500);
			posted.push(sandbox.sobot.incoming({ ...customer, text }));
		}
		for (const delivery of await Promise.all(posted))
			expect(
				delivery?.status === 200,
				`the agent's Sobot Trigger answered the incoming message with ${delivery?.status ?? delivery?.error}`,
			);
		// Generous: an agent run is two model calls and two gateway calls, but the machine is shared.
		const found = await ctx.stored.waitForItems(
			`the agent's execution for ${customer.from}`,
			AGENT.workflowId,
			AGENT.node,
			(runs) => runs.find((r) => r.items.some((item) => item.json.from === customer.from)),
			180_000,
		);
		// The reply's status webhooks (sent, delivered, read) go to the agent's trigger too, which filters them out.
		await sandbox.webhooks.idle();
		const { run } = await ctx.stored.get(found.executionId);
		expect(
			found.status === 'success',
			`execution ${found.executionId} ended ${found.status}: ${run.data?.resultData?.error?.message ?? ''}`,
		);
		suite.note(`execution ${found.executionId}: ${found.ran.join(' → ')}`);
		const completions = sandbox.model.requests
			.slice(modelMark)
			.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
		return { executionId: found.executionId, run, completions };
	} finally {
		sandbox.webhooks.targets.sobot = saved;
	}
}

/** The messages that reached the sandbox for this conversation: Sobot's reply to the customer, WAChatPro's note to the team. */
function expectDelivered(
	ctx: E2eContext,
	customer: Customer,
	digits: string,
	since: { sobot: number; accepted: number },
): { messageId: string } {
	const conversation: Conversation = {
		customer: { number: customer.from, name: customer.name, message: customer.text },
		teamNumber: TEAM.written,
	};
	const sobot = ctx.sandbox.sobot.sent.slice(since.sobot);
	expect(
		sobot.length === 1,
		`expected one Sobot message, the sandbox got ${sobot.length}: ${JSON.stringify(sobot.map((m) => [m.to, m.type]))}`,
	);
	expectFields('Sobot message', sobot[0], { to: digits, name: customer.name, type: 'text' });
	expectFields('Sobot message body', sobot[0].body, {
		customer_number: digits,
		customer_name: customer.name,
		type: 'text',
		message: replyFor(conversation.customer),
	});
	const team = ctx.sandbox.accepted.slice(since.accepted).filter((m) => m.vendor === 'wachatpro');
	expect(team.length === 1, `expected one WAChatPro message, the sandbox got ${team.length}`);
	// The summary names the customer's number as the model wrote it.
	expect(
		team[0].to === TEAM.digits,
		`the team's message went to ${team[0].to}, not ${TEAM.digits}`,
	);
	expect(
		team[0].content.includes(customer.text) &&
			team[0].content.includes(replyFor(conversation.customer)),
		`the team's message lacks the conversation: ${team[0].content}`,
	);
	if (ctx.sandbox.model.options.numberForm === 'as-written') {
		expect(
			team[0].content === teamSummaryFor(conversation),
			`the team's message differs: ${team[0].content}`,
		);
	}
	return { messageId: sobot[0].id };
}

export async function agentChecks(ctx: E2eContext): Promise<void> {
	const { suite, sandbox } = ctx;
	let ready = false;

	const active = await suite.check(
		'the AI agent example is published and its Sobot Trigger active',
		async () => {
			const trigger = ctx.examples.find((e) => e.workflow.id === AGENT.workflowId)?.trigger;
			if (!trigger) fail(`examples/ has no workflow ${AGENT.workflowId} with a Sobot Trigger`);
			// Published at import (e2e/run.ts); n8n activates published workflows after the editor is up, and the trigger
			// logs its production URL when n8n activates it.
			await waitFor(
				"the agent's trigger to be activated",
				async () =>
					ctx.n8n.logs().some((line) => line.includes(trigger.webhookId)) ? true : undefined,
				120_000,
				500,
			);
		},
	);
	if (!active) return;

	await suite.check(
		'AI Agent in n8n: a customer writes, the fake model calls the Sobot and WAChatPro tools, the customer gets the reply',
		async () => {
			const customer: Customer = {
				from: '919800011111',
				name: 'Asha',
				text: 'Where is my order 4521?',
			};
			const since = { sobot: sandbox.sobot.sent.length, accepted: sandbox.accepted.length };
			const { run, completions } = await customerWrites(ctx, customer, 'as-written');
			const { messageId } = expectDelivered(ctx, customer, '919800011111', since);

			// The model server: the first request offers both tools, the last carries their results.
			expect(
				completions.length === 2,
				`expected two chat completion requests (tool call, then final answer), got ${completions.length}`,
			);
			const [first, second] = completions;
			suite.note(
				`model requests: ${completions.map((r) => `${r.stream ? 'stream' : 'JSON'} → ${r.decision?.kind}`).join(', ')}; model "${(first.body as ChatRequest).model}"`,
			);
			const tools = toolsOf(first);
			const sobotTool = tools.find((t) => t.name === toolName(SOBOT_TOOL));
			const teamTool = tools.find((t) => t.name === toolName(WACHATPRO_TOOL));
			expect(
				sobotTool && teamTool,
				`the model was offered ${JSON.stringify(tools.map((t) => t.name))}`,
			);
			suite.note(
				`tool descriptions: ${JSON.stringify(sobotTool.description)}, ${JSON.stringify(teamTool.description)}`,
			);
			expectFields('Sobot tool schema', sobotTool.parameters, {
				type: 'object',
				required: ['recipient', 'customer_name', 'reply_text'],
			});
			const properties = sobotTool.parameters.properties as Record<
				string,
				{ type?: string; description?: string }
			>;
			expectFields('Sobot tool recipient', properties.recipient, {
				type: 'string',
				description: /WhatsApp phone number/,
			});
			expectFields('Sobot tool reply_text', properties.reply_text, {
				type: 'string',
				description: /answer to the customer/,
			});
			expectFields('WAChatPro tool schema', teamTool.parameters, {
				type: 'object',
				required: ['team_number', 'summary'],
			});
			// n8n's automatic tool description: the operation's `action` and the node's default name.
			expect(
				sobotTool.description === 'Send a message to a customer in Sobot',
				`the Sobot tool's description: ${sobotTool.description}`,
			);
			expect(
				teamTool.description === 'Send a text message in WAChatPro',
				`the WAChatPro tool's description: ${teamTool.description}`,
			);
			suite.note(`Sobot tool schema as the model got it: ${JSON.stringify(sobotTool.parameters)}`);
			expect(
				first.decision?.kind === 'tools' && first.decision.calls.length === 2,
				`the fake model did not call both tools: ${JSON.stringify(first.decision)}`,
			);
			const messages = (second.body as ChatRequest).messages ?? [];
			const results = messages.filter((m) => m.role === 'tool');
			expect(
				results.length === 2,
				`the second request carries ${results.length} tool results: ${JSON.stringify(messages.map((m) => m.role))}`,
			);
			const sobotResult = results.find((m) => JSON.stringify(m.content).includes(messageId));
			expect(
				sobotResult,
				`no tool result carries the Sobot messageId ${messageId}: ${JSON.stringify(results).slice(0, 600)}`,
			);
			suite.note(
				`Sobot tool result to the model: ${JSON.stringify(sobotResult.content).slice(0, 160)}`,
			);

			// n8n's stored execution: the tools ran as nodes and the agent ended with the model's final text.
			const sent = lastRunOf(run, SOBOT_TOOL)[0]?.json;
			expectFields('Sobot tool output', sent, {
				messageId,
				status: 'submitted',
				to: '919800011111',
			});
			suite.note(
				`second request: ${JSON.stringify(messages.map((m) => [m.role, m.tool_call_id ?? m.tool_calls?.map((c) => c.id) ?? '']))}`,
			);
			const output = lastRunOf(run, 'AI Agent')[0]?.json.output;
			expect(
				output ===
					finalText('Asha (919800011111)', tools, {
						[toolName(SOBOT_TOOL)]: 'done',
						[toolName(WACHATPRO_TOOL)]: 'done',
					}),
				`the agent's output is not the model's final text: ${JSON.stringify(output)}`,
			);
			ready = true;
		},
	);
	if (!ready) return;

	await suite.check(
		'AI Agent: numbers the model writes as JSON numbers, or with + and spaces, reach both gateways as digits',
		async () => {
			const cases: Array<{ form: NumberForm; customer: Customer }> = [
				{
					form: 'json-number',
					customer: { from: '919800022222', name: 'Ravi', text: 'Do you deliver on Sunday?' },
				},
				{
					form: 'plus-spaces',
					customer: { from: '919800033333', name: 'Meena', text: 'Can I change my address?' },
				},
			];
			for (const { form, customer } of cases) {
				const since = { sobot: sandbox.sobot.sent.length, accepted: sandbox.accepted.length };
				const { completions } = await customerWrites(ctx, customer, form);
				const call = completions[0]?.decision;
				const args =
					call?.kind === 'tools'
						? call.calls.map((c) => c.arguments.recipient ?? c.arguments.team_number)
						: [];
				suite.note(`${form}: the model sent ${JSON.stringify(args)}`);
				expectDelivered(ctx, customer, customer.from, since);
			}
		},
	);

	await suite.check(
		"AI Agent: a send the gateway refuses comes back to the model as the tool's error, and the execution goes on",
		async () => {
			// The sandbox refuses numbers ending in 0000 as not on WhatsApp (HTTP 200 with code 400, as Sobot does).
			const customer: Customer = { from: '919800040000', name: 'Kiran', text: 'Hello?' };
			const since = { sobot: sandbox.sobot.sent.length, accepted: sandbox.accepted.length };
			const { run, completions } = await customerWrites(ctx, customer, 'as-written');
			expect(
				sandbox.sobot.sent.length === since.sobot,
				'the sandbox accepted a Sobot message for a refused number',
			);
			expect(
				completions.length === 2,
				`expected two chat completion requests, got ${completions.length}`,
			);
			const results = ((completions[1].body as ChatRequest).messages ?? []).filter(
				(m) => m.role === 'tool',
			);
			const refused = results.find((m) => /Invalid mobile number/.test(JSON.stringify(m.content)));
			expect(
				refused,
				`no tool result carries Sobot's refusal: ${JSON.stringify(results).slice(0, 600)}`,
			);
			suite.note(`the model got: ${JSON.stringify(refused.content).slice(0, 240)}`);
			const output = lastRunOf(run, 'AI Agent')[0]?.json.output;
			const expected = finalText('Kiran (919800040000)', toolsOf(completions[1]), {
				[toolName(SOBOT_TOOL)]: 'failed',
				[toolName(WACHATPRO_TOOL)]: 'done',
			});
			expect(
				output === expected,
				`the agent's output: ${JSON.stringify(output)}, expected ${JSON.stringify(expected)}`,
			);
		},
	);

	await suite.check(
		'AI Agent: a customer who writes three messages in a row is answered once (the example groups bursts)',
		async () => {
			const customer: Customer = { from: '919800066666', name: 'Dev', text: 'hi' };
			const more = ['I need help', 'my order 4521 is late'];
			const since = { sobot: sandbox.sobot.sent.length, accepted: sandbox.accepted.length };
			const { executionId, run, completions } = await customerWrites(
				ctx,
				customer,
				'as-written',
				more,
			);
			await ctx.stored.settle(AGENT.workflowId);
			const runs = (await ctx.stored.items(AGENT.workflowId, AGENT.node)).filter((r) =>
				r.items.some((item) => item.json.from === customer.from),
			);
			expect(
				runs.length === 1,
				`the burst started ${runs.length} executions: ${runs.map((r) => r.executionId).join(', ')}`,
			);
			const trigger = lastRunOf(run, AGENT.node)[0]?.json;
			expect(
				trigger?.messageCount === 3 && trigger.text === [customer.text, ...more].join('\n'),
				`the trigger's item (execution ${executionId}): ${JSON.stringify({ messageCount: trigger?.messageCount, text: trigger?.text })}`,
			);
			// One conversation with the model: the tool call, then the final answer after the tools' results.
			const opened = completions.filter(
				(r) => !((r.body as ChatRequest).messages ?? []).some((m) => m.role === 'tool'),
			);
			expect(
				opened.length === 1 && completions.length === 2,
				`the model got ${opened.length} new conversations in ${completions.length} requests`,
			);
			const prompt = JSON.stringify((opened[0].body as ChatRequest).messages);
			expect(
				[customer.text, ...more].every((text) => prompt.includes(text)),
				`the model's request lacks a message of the burst: ${prompt.slice(0, 600)}`,
			);
			const replies = sandbox.sobot.sent.slice(since.sobot);
			expect(
				replies.length === 1 && replies[0].to === customer.from,
				`the customer got ${replies.length} Sobot messages`,
			);
			suite.note(`one execution (${executionId}), one reply, ${completions.length} model requests`);
		},
	);

	await suite.check(
		'AI Agent: a customer who writes "Stop 🙏" gets no answer (the example filters opt-outs before the agent)',
		async () => {
			const customer: Customer = { from: '919800055555', name: 'Meera', text: 'Stop 🙏' };
			const since = { sobot: sandbox.sobot.sent.length, accepted: sandbox.accepted.length };
			const { run, completions } = await customerWrites(ctx, customer, 'as-written');
			const trigger = lastRunOf(run, AGENT.node)[0]?.json;
			expect(trigger?.optOut === true, `the trigger's item: optOut ${String(trigger?.optOut)}`);
			expect(
				completions.length === 0,
				`the model got ${completions.length} requests for a stop request`,
			);
			const replies = sandbox.accepted.slice(since.accepted).length;
			expect(replies === 0, `the sandbox accepted ${replies} messages after "Stop"`);
			expect(
				run.data?.resultData?.runData?.['AI Agent'] === undefined,
				'the AI Agent ran for a stop request',
			);
		},
	);
}
