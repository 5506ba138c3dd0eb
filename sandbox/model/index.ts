/**
 * A fake OpenAI-compatible model on the sandbox's loopback server, under `<sandbox>/model/v1` (the base URL of an
 * n8n "OpenAI" credential): enough of the API for n8n's OpenAI Chat Model and AI Agent to run a tool-calling
 * conversation without any real model or network.
 *
 *   GET  /model/v1/models               the one model, `sandbox-agent` (n8n's credential test and model list)
 *   GET  /model/v1/models/<id>          that model
 *   POST /model/v1/chat/completions     a tool call or a final text (script.ts decides), as JSON, or as server-sent
 *                                       events with `stream: true` (with a usage chunk if `stream_options.include_usage`)
 *   POST /model/v1/responses            refused with a clear message: only the Chat Completions API is spoken
 *                                       (turn off "Use Responses API" in the OpenAI Chat Model node)
 *
 * Every request needs `Authorization: Bearer <apiKey>` (401 otherwise, in OpenAI's error shape). Every request is
 * logged (`requests`: method, path, body, whether streamed, what was answered), for checks and `GET /__admin/model`;
 * the Authorization header is not kept.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { readBody } from '../http';
import type { ChatRequest, Decision, NumberForm, ScriptOptions } from './script';
import { decide } from './script';

export const MODEL_ID = 'sandbox-agent';
/** Requests bodies are small JSON; anything larger is a mistake. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface ModelRequest {
	id: number;
	at: string;
	method: string;
	/** The path below `/model`, e.g. `/v1/chat/completions`. */
	path: string;
	body: unknown;
	stream: boolean;
	status: number;
	/** What the model answered (chat completions only). */
	decision?: Decision;
}

export class FakeModel {
	readonly requests: ModelRequest[] = [];

	options: ScriptOptions = { numberForm: 'as-written' };

	private nextId = 1;

	/** Numbers the completions (`chatcmpl-sandbox-<n>`), so that ids repeat from run to run. */
	private nextCompletion = 1;

	constructor(private readonly apiKey: () => string) {}

	/** The base URL for an OpenAI credential, given the sandbox's URL. */
	static baseUrl(sandboxUrl: string): string {
		return `${sandboxUrl}/model/v1`;
	}

	configure(options: Partial<{ numberForm: NumberForm }>): ScriptOptions {
		if (options.numberForm !== undefined) {
			if (!['as-written', 'plus-spaces', 'json-number'].includes(options.numberForm)) {
				throw new Error('numberForm must be "as-written", "plus-spaces" or "json-number"');
			}
			this.options = { ...this.options, numberForm: options.numberForm };
		}
		return this.options;
	}

	reset(): void {
		this.requests.length = 0;
		this.options = { numberForm: 'as-written' };
		this.nextCompletion = 1;
	}

	/** Chat completion requests, oldest first. */
	completions(): ModelRequest[] {
		return this.requests.filter((r) => r.path === '/v1/chat/completions' && r.method === 'POST');
	}

	async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
		const record: ModelRequest = {
			id: this.nextId++,
			at: new Date().toISOString(),
			method: req.method ?? 'GET',
			path,
			body: undefined,
			stream: false,
			status: 0,
		};
		this.requests.push(record);
		const reply = (status: number, body: unknown) => {
			record.status = status;
			sendJson(res, status, body);
		};
		let raw: Buffer;
		try {
			raw = await readBody(req, MAX_BODY_BYTES);
		} catch {
			reply(413, openAiError('Request body too large', 'invalid_request_error'));
			return;
		}
		if (raw.length) {
			try {
				record.body = JSON.parse(raw.toString('utf8'));
			} catch {
				record.body = raw.toString('utf8');
				reply(400, openAiError('The body is not valid JSON', 'invalid_request_error'));
				return;
			}
		}
		if (req.headers.authorization !== `Bearer ${this.apiKey()}`) {
			reply(
				401,
				openAiError('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'),
			);
			return;
		}

		const route = `${record.method} ${path.replace(/\/+$/, '')}`;
		if (route === 'GET /v1/models') {
			reply(200, { object: 'list', data: [modelObject()] });
			return;
		}
		if (route === `GET /v1/models/${MODEL_ID}`) {
			reply(200, modelObject());
			return;
		}
		if (route === 'POST /v1/responses') {
			reply(
				404,
				openAiError(
					'The sandbox model speaks only the Chat Completions API (/v1/chat/completions): turn off "Use Responses API" in the OpenAI Chat Model node',
					'invalid_request_error',
					'unknown_url',
				),
			);
			return;
		}
		if (route !== 'POST /v1/chat/completions') {
			reply(
				404,
				openAiError(
					`Unknown URL ${record.method} /model${path}`,
					'invalid_request_error',
					'unknown_url',
				),
			);
			return;
		}

		const body = (record.body ?? {}) as ChatRequest;
		if (!Array.isArray(body.messages) || body.messages.length === 0) {
			reply(400, openAiError("'messages' must be a non-empty array", 'invalid_request_error'));
			return;
		}
		const decision = decide(body, this.options);
		record.decision = decision;
		record.stream = body.stream === true;
		const completion = {
			id: `chatcmpl-sandbox-${this.nextCompletion++}`,
			created: Math.floor(Date.now() / 1000),
			model: typeof body.model === 'string' && body.model ? body.model : MODEL_ID,
		};
		const usage = usageOf(body, decision);
		if (record.stream) {
			record.status = 200;
			streamCompletion(
				res,
				completion,
				decision,
				body.stream_options?.include_usage ? usage : undefined,
			);
			return;
		}
		reply(200, {
			...completion,
			object: 'chat.completion',
			choices: [
				{
					index: 0,
					message: assistantMessage(decision),
					logprobs: null,
					finish_reason: finishReason(decision),
				},
			],
			usage,
			system_fingerprint: 'fp_sandbox',
		});
	}
}

function modelObject() {
	return { id: MODEL_ID, object: 'model', created: 1_700_000_000, owned_by: 'sandbox' };
}

function openAiError(message: string, type: string, code: string | null = null) {
	return { error: { message, type, param: null, code } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(payload),
	});
	res.end(payload);
}

function finishReason(decision: Decision): string {
	return decision.kind === 'tools' ? 'tool_calls' : 'stop';
}

function toolCallsOf(decision: Decision) {
	return decision.kind === 'tools'
		? decision.calls.map((call) => ({
				id: call.id,
				type: 'function',
				function: { name: call.name, arguments: JSON.stringify(call.arguments) },
			}))
		: [];
}

function assistantMessage(decision: Decision) {
	return decision.kind === 'tools'
		? { role: 'assistant', content: null, tool_calls: toolCallsOf(decision), refusal: null }
		: { role: 'assistant', content: decision.text, refusal: null };
}

/** Token counts as a rough word count: n8n shows them, nothing depends on them. */
function usageOf(body: ChatRequest, decision: Decision) {
	const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
	const prompt =
		words(JSON.stringify(body.messages ?? [])) + words(JSON.stringify(body.tools ?? []));
	const completion = Math.max(1, words(JSON.stringify(assistantMessage(decision))));
	return {
		prompt_tokens: prompt,
		completion_tokens: completion,
		total_tokens: prompt + completion,
	};
}

/**
 * The same answer as server-sent events, chunked as OpenAI does: the role first, then the content (a few words per
 * chunk) or each tool call (its id and name, then its arguments in pieces), then the finish reason, the usage chunk
 * when asked for, and `[DONE]`.
 */
function streamCompletion(
	res: ServerResponse,
	completion: { id: string; created: number; model: string },
	decision: Decision,
	usage: ReturnType<typeof usageOf> | undefined,
): void {
	res.writeHead(200, {
		'content-type': 'text/event-stream; charset=utf-8',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	const chunk = (
		delta: Record<string, unknown>,
		finish: string | null = null,
		extra: Record<string, unknown> = {},
	) =>
		res.write(
			`data: ${JSON.stringify({ ...completion, object: 'chat.completion.chunk', system_fingerprint: 'fp_sandbox', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`,
		);
	chunk({ role: 'assistant', content: decision.kind === 'tools' ? null : '', refusal: null });
	if (decision.kind === 'text') {
		for (const piece of decision.text.match(/\S+\s*/g) ?? []) chunk({ content: piece });
	} else {
		toolCallsOf(decision).forEach((call, index) => {
			chunk({
				tool_calls: [
					{
						index,
						id: call.id,
						type: 'function',
						function: { name: call.function.name, arguments: '' },
					},
				],
			});
			const args = call.function.arguments;
			for (let at = 0; at < args.length; at += 24)
				chunk({ tool_calls: [{ index, function: { arguments: args.slice(at, at + 24) } }] });
		});
	}
	chunk({}, finishReason(decision));
	if (usage)
		res.write(
			`data: ${JSON.stringify({ ...completion, object: 'chat.completion.chunk', choices: [], usage })}\n\n`,
		);
	res.end('data: [DONE]\n\n');
}
