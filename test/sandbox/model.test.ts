/** The sandbox's fake OpenAI-compatible model (sandbox/model/), over loopback HTTP as n8n's OpenAI client uses it. */
import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import type { ChatMessage, ChatTool } from '../../sandbox/model/script';
import { replyFor, teamSummaryFor } from '../../sandbox/model/script';
import { useSandbox } from '../harness/sandbox';

const ctx = useSandbox();
const KEY = DEFAULT_CREDENTIALS.model.apiKey;

const TOOLS: ChatTool[] = [
	{
		type: 'function',
		function: {
			name: 'Reply_to_customer_on_Sobot',
			description: 'Send a WhatsApp message to a customer in Sobot',
			parameters: {
				type: 'object',
				properties: {
					recipient: { type: 'string', description: "The customer's WhatsApp phone number" },
					customer_name: { type: 'string' },
					reply_text: { type: 'string', description: 'Your answer to the customer' },
				},
				required: ['recipient', 'customer_name', 'reply_text'],
			},
		},
	},
	{
		type: 'function',
		function: {
			name: 'Tell_the_team_on_WAChatPro',
			description: 'Send a WhatsApp text message in WAChatPro',
			parameters: {
				type: 'object',
				properties: { team_number: { type: 'string' }, summary: { type: 'string' } },
			},
		},
	},
	// Nothing in the conversation fills a "sku": the fake model leaves this tool alone.
	{
		type: 'function',
		function: {
			name: 'Look_up_stock',
			parameters: { type: 'object', properties: { sku: { type: 'string' } } },
		},
	},
];

const MESSAGES: ChatMessage[] = [
	{ role: 'system', content: 'You answer customers. The team is on +62 812-5555-0101.' },
	{
		role: 'user',
		content:
			'A customer wrote to us on WhatsApp.\nPhone: 919800011111\nName: Asha\nMessage: Where is my order?',
	},
];
const CUSTOMER = { number: '919800011111', name: 'Asha', message: 'Where is my order?' };

async function call(
	path: string,
	body?: unknown,
	key = KEY,
): Promise<{ status: number; text: string; json: () => any }> {
	const response = await fetch(`${ctx.sandbox.modelBaseUrl()}${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, text, json: () => JSON.parse(text) };
}

/** Reassembles a streamed completion the way OpenAI's clients do. */
function fromStream(text: string): {
	content: string;
	toolCalls: Array<{ id: string; name: string; arguments: string }>;
	finish: string;
	usage: unknown;
	done: boolean;
} {
	const events = text
		.split('\n\n')
		.filter((block) => block.startsWith('data: '))
		.map((block) => block.slice('data: '.length));
	const result = {
		content: '',
		toolCalls: [] as Array<{ id: string; name: string; arguments: string }>,
		finish: '',
		usage: undefined as unknown,
		done: events.at(-1) === '[DONE]',
	};
	for (const event of events.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e))) {
		if (event.usage) result.usage = event.usage;
		for (const choice of event.choices) {
			if (choice.finish_reason) result.finish = choice.finish_reason;
			if (typeof choice.delta.content === 'string') result.content += choice.delta.content;
			for (const piece of choice.delta.tool_calls ?? []) {
				result.toolCalls[piece.index] ??= { id: '', name: '', arguments: '' };
				const call = result.toolCalls[piece.index];
				if (piece.id) call.id = piece.id;
				if (piece.function?.name) call.name = piece.function.name;
				call.arguments += piece.function?.arguments ?? '';
			}
		}
	}
	return result;
}

describe('sandbox fake model (OpenAI-compatible)', () => {
	test('lists its model for the credential test, and refuses a wrong key in OpenAI error form', async () => {
		const models = await call('/models');
		expect(models.status).toBe(200);
		expect(models.json()).toEqual({
			object: 'list',
			data: [expect.objectContaining({ id: 'sandbox-agent', object: 'model' })],
		});
		const wrong = await call('/models', undefined, 'not-the-key');
		expect(wrong.status).toBe(401);
		expect(wrong.json().error).toMatchObject({
			code: 'invalid_api_key',
			type: 'invalid_request_error',
		});
		// The key is not kept in the log.
		expect(JSON.stringify(ctx.sandbox.model.requests)).not.toContain(KEY);
	});

	test('first a call of every tool it can fill, from the conversation; after the results, a final text', async () => {
		const first = await call('/chat/completions', {
			model: 'sandbox-agent',
			messages: MESSAGES,
			tools: TOOLS,
		});
		expect(first.status).toBe(200);
		const choice = first.json().choices[0];
		expect(choice.finish_reason).toBe('tool_calls');
		const calls = choice.message.tool_calls as Array<{
			id: string;
			function: { name: string; arguments: string };
		}>;
		expect(calls.map((c) => c.function.name)).toEqual([
			'Reply_to_customer_on_Sobot',
			'Tell_the_team_on_WAChatPro',
		]);
		expect(JSON.parse(calls[0].function.arguments)).toEqual({
			recipient: '919800011111',
			customer_name: 'Asha',
			reply_text: replyFor(CUSTOMER),
		});
		expect(JSON.parse(calls[1].function.arguments)).toEqual({
			team_number: '+62 812-5555-0101',
			summary: teamSummaryFor({ customer: CUSTOMER, teamNumber: '+62 812-5555-0101' }),
		});
		expect(first.json().usage).toEqual(
			expect.objectContaining({ total_tokens: expect.any(Number) }),
		);

		const second = await call('/chat/completions', {
			model: 'sandbox-agent',
			tools: TOOLS,
			messages: [
				...MESSAGES,
				choice.message,
				// Results in another order than the calls (n8n sends them reversed): the final text follows the calls.
				{
					role: 'tool',
					tool_call_id: calls[1].id,
					content: '{"error":"Phone Number: not registered"}',
				},
				{
					role: 'tool',
					tool_call_id: calls[0].id,
					content: '[{"messageId":"wamid.1","status":"submitted"}]',
				},
			],
		});
		expect(second.json().choices[0]).toMatchObject({
			finish_reason: 'stop',
			message: {
				role: 'assistant',
				content:
					'Answered Asha (919800011111). Reply_to_customer_on_Sobot: done; Tell_the_team_on_WAChatPro: failed.',
			},
		});
		expect(ctx.sandbox.model.completions().map((r) => r.decision?.kind)).toEqual(['tools', 'text']);
		expect((ctx.sandbox.model.completions()[0].body as { tools: unknown[] }).tools).toHaveLength(3);
	});

	test('streams the same answer as server-sent events when asked (stream: true), with usage on request', async () => {
		const plain = (await call('/chat/completions', { messages: MESSAGES, tools: TOOLS })).json()
			.choices[0].message.tool_calls;
		const streamed = await call('/chat/completions', {
			messages: MESSAGES,
			tools: TOOLS,
			stream: true,
			stream_options: { include_usage: true },
		});
		expect(streamed.status).toBe(200);
		const result = fromStream(streamed.text);
		expect(result.done).toBe(true);
		expect(result.finish).toBe('tool_calls');
		expect(result.toolCalls).toEqual(
			plain.map((c: { id: string; function: { name: string; arguments: string } }) => ({
				id: c.id,
				...c.function,
			})),
		);
		expect(result.usage).toEqual(expect.objectContaining({ total_tokens: expect.any(Number) }));

		const text = fromStream(
			(await call('/chat/completions', { messages: MESSAGES, stream: true })).text,
		);
		expect(text).toMatchObject({
			content: replyFor(CUSTOMER),
			finish: 'stop',
			toolCalls: [],
			usage: undefined,
		});
		expect(ctx.sandbox.model.completions().map((r) => r.stream)).toEqual([false, true, true]);
	});

	test('writes numbers as JSON numbers or with + and spaces when configured (POST /__admin/model)', async () => {
		const numbers = async (numberForm: string) => {
			const set = await fetch(`${ctx.sandbox.url}/__admin/model`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ numberForm }),
			});
			expect(set.status).toBe(200);
			const calls = (await call('/chat/completions', { messages: MESSAGES, tools: TOOLS })).json()
				.choices[0].message.tool_calls;
			return calls.map((c: { function: { arguments: string } }) => {
				const args = JSON.parse(c.function.arguments);
				return args.recipient ?? args.team_number;
			});
		};
		expect(await numbers('json-number')).toEqual([919800011111, 6281255550101]);
		expect(await numbers('plus-spaces')).toEqual(['+91 98000 11111', '+62 81255 550101']);
		const bad = await fetch(`${ctx.sandbox.url}/__admin/model`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ numberForm: 'roman' }),
		});
		expect(bad.status).toBe(400);
	});

	test('tells a Responses API client to use Chat Completions; refuses a request without messages', async () => {
		const responses = await call('/responses', { model: 'sandbox-agent', input: 'hi' });
		expect(responses.status).toBe(404);
		expect(responses.json().error.message).toMatch(/Use Responses API/);
		expect((await call('/chat/completions', { model: 'x' })).status).toBe(400);
	});
});
