/**
 * What the fake model answers, decided from the request alone (no randomness, no state), so a run repeats exactly:
 *
 * 1. While some offered tool that can be filled in has not been called in this conversation, answer with one tool
 *    call for each such tool (in the order offered), their arguments filled from the conversation (below).
 * 2. Otherwise (every tool called and its result back, no tools offered, or `tool_choice: "none"`), answer with a
 *    final text that names the tools called, in the order offered, and whether each result reads as a success
 *    (`Answered <name> (<number>). <tool>: done; <tool>: failed.`); without tool results, the reply itself.
 *
 * Arguments, for each property of a tool's JSON schema, by what its key asks for (its description only when the key
 * says nothing):
 * - a name (`name` in the key): the customer's name;
 * - a phone number (`phone`, `number`, `recipient`, `mobile`, `whatsapp`, `to`): the customer's number, or the team's
 *   when the tool's name or description, or the property's key or description, speaks of the team (`team`, `staff`,
 *   `colleague`, `manager`, `owner`);
 * - a text (`text`, `message`, `reply`, `answer`, `body`, `content`, `summary`): the reply to the customer, or for
 *   the team a summary of what the customer wrote and what was answered;
 * - anything else: an enum's first value, else an empty value of the property's type.
 * A tool none of whose properties can be filled is not called.
 * The customer's number, name and message come from the last user message, read as labelled lines
 * (`Phone:`/`From:`/`Number:`, `Name:`, `Message:`/`Text:`); without labels, the first phone-like run of digits and
 * the whole text. The team's number is the first phone-like run in the system message.
 * Numbers are passed on as written in the prompt, or reshaped by `numberForm` (to see how tools cope with a model that
 * writes them differently): `plus-spaces` (`+91 98000 11111`) or `json-number` (a JSON number, not a string). A
 * property typed `number`/`integer` always gets a JSON number.
 */

export type NumberForm = 'as-written' | 'plus-spaces' | 'json-number';

export interface ScriptOptions {
	numberForm: NumberForm;
}

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{
		id?: string;
		type?: string;
		function?: { name?: string; arguments?: string };
	}>;
	tool_call_id?: string;
	name?: string;
}

export interface ChatTool {
	type?: string;
	function?: { name?: string; description?: string; parameters?: JsonSchema };
}

export interface JsonSchema {
	type?: string | string[];
	description?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	enum?: unknown[];
	anyOf?: JsonSchema[];
}

export interface ChatRequest {
	model?: string;
	messages?: ChatMessage[];
	tools?: ChatTool[];
	/** The pre-tools API some clients still use. */
	functions?: Array<{ name?: string; description?: string; parameters?: JsonSchema }>;
	tool_choice?: unknown;
	stream?: boolean;
	stream_options?: { include_usage?: boolean };
}

export interface ToolCall {
	id: string;
	name: string;
	arguments: Record<string, unknown>;
}

export type Decision = { kind: 'tools'; calls: ToolCall[] } | { kind: 'text'; text: string };

/** What the fake model read from the conversation (exported for the checks, which expect the same values). */
export interface Conversation {
	customer: { number: string; name: string; message: string };
	teamNumber: string;
}

const PHONE_RUN = /\+?\d[\d\s().-]{5,}\d/;
const TEAM_WORDS = /team|staff|colleague|manager|owner/;

type Kind = 'phone' | 'name' | 'text';

/** What a property asks for: read from its key first, from its description only when the key says nothing. */
function kindOf(key: string, description: string): Kind | undefined {
	const words = key.toLowerCase();
	if (/name/.test(words)) return 'name';
	if (/phone|number|recipient|mobile|whatsapp|wa_id|^to$|jid/.test(words)) return 'phone';
	if (/text|message|reply|answer|body|content|summary/.test(words)) return 'text';
	const about = description.toLowerCase();
	if (/phone|number|mobile|whatsapp/.test(about)) return 'phone';
	if (/\bname\b/.test(about)) return 'name';
	if (/text|message|reply|answer|summary/.test(about)) return 'text';
	return undefined;
}

/** The text of a message's content: a string, or the text parts of a list of parts. */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) =>
				typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : '',
			)
			.filter(Boolean)
			.join('\n');
	}
	return content === undefined || content === null ? '' : JSON.stringify(content);
}

function labelled(text: string, labels: string[]): string | undefined {
	for (const line of text.split(/\r?\n/)) {
		const match = /^\s*([A-Za-z ]+?)\s*:\s*(.*)$/.exec(line);
		if (match && labels.includes(match[1].toLowerCase()) && match[2].trim() !== '')
			return match[2].trim();
	}
	return undefined;
}

export function readConversation(messages: ChatMessage[]): Conversation {
	const user = [...messages].reverse().find((m) => m.role === 'user' || m.role === 'human');
	const system = messages.find((m) => m.role === 'system' || m.role === 'developer');
	const userText = textOf(user?.content);
	const systemText = textOf(system?.content);
	const number =
		labelled(userText, ['phone', 'from', 'number', 'customer number']) ??
		PHONE_RUN.exec(userText)?.[0] ??
		'';
	return {
		customer: {
			number,
			name: labelled(userText, ['name', 'customer', 'customer name']) ?? 'there',
			message: labelled(userText, ['message', 'text']) ?? userText.trim(),
		},
		teamNumber: PHONE_RUN.exec(systemText)?.[0] ?? '',
	};
}

/** The reply the fake model writes to a customer: derived from their name and message, nothing else. */
export function replyFor(customer: Conversation['customer']): string {
	return `Hello ${customer.name}, thank you for your message "${customer.message}". We are looking into it and will get back to you today.`;
}

/** What the fake model tells the team. */
export function teamSummaryFor(conversation: Conversation): string {
	const { customer } = conversation;
	return `Customer ${customer.name} (${customer.number}) wrote: "${customer.message}". Answered: "${replyFor(customer)}"`;
}

function reshapeNumber(
	number: string,
	form: NumberForm,
	schemaType: string | undefined,
): string | number {
	const digits = number.replace(/\D/g, '');
	if (schemaType === 'number' || schemaType === 'integer' || form === 'json-number')
		return digits === '' ? 0 : Number(digits);
	if (form === 'plus-spaces' && digits.length > 5) {
		// +CC NNNNN NNNNN: the country code of the digits as written is not known here, so two digits are split off.
		return `+${digits.slice(0, 2)} ${digits.slice(2, 7)} ${digits.slice(7)}`.trim();
	}
	return number;
}

function typeOf(schema: JsonSchema): string | undefined {
	const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
	return type ?? schema.anyOf?.map(typeOf).find(Boolean);
}

function emptyValue(schema: JsonSchema): unknown {
	if (schema.enum?.length) return schema.enum[0];
	switch (typeOf(schema)) {
		case 'number':
		case 'integer':
			return 0;
		case 'boolean':
			return false;
		case 'array':
			return [];
		case 'object':
			return {};
		default:
			return '';
	}
}

/** One argument value for a property, or undefined when the conversation gives nothing for it. */
function argumentFor(
	key: string,
	schema: JsonSchema,
	forTeam: boolean,
	conversation: Conversation,
	options: ScriptOptions,
): unknown {
	switch (kindOf(key, schema.description ?? '')) {
		case 'phone': {
			const number = forTeam ? conversation.teamNumber : conversation.customer.number;
			return number ? reshapeNumber(number, options.numberForm, typeOf(schema)) : undefined;
		}
		case 'name':
			return conversation.customer.name;
		case 'text':
			return forTeam ? teamSummaryFor(conversation) : replyFor(conversation.customer);
		default:
			return undefined;
	}
}

function toolsOf(
	request: ChatRequest,
): Array<{ name: string; description: string; parameters: JsonSchema }> {
	const tools = (request.tools ?? [])
		.map((tool) => tool.function)
		.filter((f) => typeof f?.name === 'string');
	const functions = (request.functions ?? []).filter((f) => typeof f?.name === 'string');
	return [...tools, ...functions].map((f) => ({
		name: String(f!.name),
		description: f!.description ?? '',
		parameters: f!.parameters ?? {},
	}));
}

/** Tool names the assistant already called in this conversation. */
function calledTools(messages: ChatMessage[]): Set<string> {
	const called = new Set<string>();
	for (const message of messages) {
		if (message.role !== 'assistant') continue;
		for (const call of message.tool_calls ?? [])
			if (call.function?.name) called.add(call.function.name);
	}
	return called;
}

function looksFailed(result: string): boolean {
	return /"error"|error:|failed|refused|invalid/i.test(result);
}

export function decide(request: ChatRequest, options: ScriptOptions): Decision {
	const messages = request.messages ?? [];
	const conversation = readConversation(messages);
	const called = calledTools(messages);
	const toolChoice = request.tool_choice;
	if (toolChoice !== 'none') {
		const calls: ToolCall[] = [];
		for (const tool of toolsOf(request)) {
			if (called.has(tool.name)) continue;
			const args: Record<string, unknown> = {};
			let filled = 0;
			const forTeam = TEAM_WORDS.test(`${tool.name} ${tool.description}`.toLowerCase());
			for (const [key, schema] of Object.entries(tool.parameters.properties ?? {})) {
				const value = argumentFor(
					key,
					schema,
					forTeam || TEAM_WORDS.test(`${key} ${schema.description ?? ''}`.toLowerCase()),
					conversation,
					options,
				);
				if (value !== undefined) filled++;
				args[key] = value ?? emptyValue(schema);
			}
			// A tool none of whose arguments the conversation can fill is left alone (a fake cannot guess what it is for).
			if (filled === 0 && Object.keys(tool.parameters.properties ?? {}).length > 0) continue;
			calls.push({
				id: `call_${calls.length + 1}_${tool.name}`.slice(0, 40),
				name: tool.name,
				arguments: args,
			});
		}
		if (calls.length) return { kind: 'tools', calls };
	}
	// In the order the tools are offered, whatever order the client sends the calls and results back in (n8n replays
	// them in reverse).
	const results = messages.filter((m) => m.role === 'tool' || m.role === 'function');
	const offered = toolsOf(request).map((tool) => tool.name);
	const nameOf = (m: ChatMessage) => m.name ?? findCallName(messages, m.tool_call_id) ?? 'tool';
	const position = (m: ChatMessage) => {
		const at = offered.indexOf(nameOf(m));
		return at === -1 ? offered.length : at;
	};
	const outcome = [...results]
		.sort((a, b) => position(a) - position(b))
		.map((m) => `${nameOf(m)}: ${looksFailed(textOf(m.content)) ? 'failed' : 'done'}`);
	const text = outcome.length
		? `Answered ${conversation.customer.name} (${conversation.customer.number}). ${outcome.join('; ')}.`
		: replyFor(conversation.customer);
	return { kind: 'text', text };
}

function findCallName(messages: ChatMessage[], id: string | undefined): string | undefined {
	if (!id) return undefined;
	for (const message of messages) {
		const call = message.tool_calls?.find((c) => c.id === id);
		if (call?.function?.name) return call.function.name;
	}
	return undefined;
}
