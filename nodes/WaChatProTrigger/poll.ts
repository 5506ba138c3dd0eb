/**
 * One poll of the WAChatPro Trigger: list the chats (or take the chosen numbers), read the messages of each
 * chat whose listing changed, and return the incoming messages not seen before.
 *
 * When n8n saves what this remembers (read in n8n 2.41.1, packages/cli `WorkflowStaticDataService` and
 * n8n-core's `PollTriggerExecutor`; see docs/triggers.md, "WAChatPro Trigger"): the memory is written into the node's
 * static data only at the end of a successful poll, in one assignment, so a poll that fails changes nothing.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toDigits } from '../shared/parameters/phone';
import { pollGatewayContext } from '../shared/polling/context';
import { GatewayError } from '../shared/http/transport';
import type { ConsentKeywords } from '../shared/webhook/consent';
import { consentKeywordsFrom } from '../shared/webhook/consent';
import type { BurstSettings } from '../shared/webhook/burst';
import { burstsAreOn } from '../shared/webhook/burst';
import { burstItem } from '../shared/webhook/burstItems';
import { toItemJson } from '../shared/webhook/event';
import { burstSettings } from '../shared/webhook/options';
import { fetchList } from '../WaChatPro/transport';
import type { ChatMemory, TriggerMemory } from './memory';
import { boundMemory, emptyMemory, loadMemory, readWindow } from './memory';
import type { WaChat } from '../WaChatPro/transport/message';
import {
	isFromMe,
	messageKey,
	messageTime,
	readChat,
	toEvent,
} from '../WaChatPro/transport/message';
import { splitBursts } from './bursts';

export const STATE_KEY = 'wachatproMessages';

/** WAChatPro documents no paging; a request for more chats than this is not sent (docs/triggers.md: the limit). */
export const MAX_CHATS_LIMIT = 1000;

export interface PollSettings {
	chats: 'all' | 'numbers';
	numbers: string[];
	maxChats: number;
	messagesPerChat: number;
	includeRaw: boolean;
	consent: ConsentKeywords;
	bursts: BurstSettings;
}

/** Manual "Fetch Test Event" reads this many chats at most, newest first. */
const TEST_CHATS = 5;

function wholeNumber(
	ctx: IPollFunctions,
	value: unknown,
	label: string,
	min: number,
	max: number,
): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < min || number > max) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${label}: "${String(value)}" must be a whole number from ${min} to ${max}`,
		);
	}
	return number;
}

export function readSettings(ctx: IPollFunctions): PollSettings {
	const chats = ctx.getNodeParameter('chats', 'all') as PollSettings['chats'];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const countryCode = String(ctx.getNodeParameter('defaultCountryCode', '62') || '62');
	const numbers: string[] = [];
	if (chats === 'numbers') {
		const typed = String(ctx.getNodeParameter('numbers', '') ?? '')
			.split(/[,;\n]/)
			.map((entry) => entry.trim())
			.filter(Boolean);
		if (!typed.length)
			throw new NodeOperationError(
				ctx.getNode(),
				'Phone Numbers: enter at least one number, or watch All Chats',
			);
		for (const entry of typed) {
			try {
				numbers.push(toDigits(entry, countryCode));
			} catch (error) {
				throw new NodeOperationError(
					ctx.getNode(),
					`Phone Numbers: "${entry}" ${(error as Error).message.replace(`"${entry}" `, '')}`,
				);
			}
		}
	}
	return {
		chats,
		numbers: [...new Set(numbers)],
		maxChats: wholeNumber(ctx, options.maxChats ?? 100, 'Max Chats', 1, MAX_CHATS_LIMIT),
		messagesPerChat: wholeNumber(ctx, options.messagesPerChat ?? 20, 'Messages per Chat', 1, 500),
		includeRaw: options.includeRaw !== false,
		consent: consentKeywordsFrom(options),
		bursts: burstSettings(options),
	};
}

async function listChats(
	ctx: IPollFunctions,
	settings: PollSettings,
	limit: number,
): Promise<WaChat[]> {
	if (settings.chats === 'numbers')
		return settings.numbers
			.slice(0, limit)
			.map((phone) => ({ phone, name: null, activity: undefined }));
	const listed = await fetchList(pollGatewayContext(ctx), '/wa/chats', { limit }, 'chats', limit);
	const chats = new Map<string, WaChat>();
	for (const entry of listed) {
		const chat = readChat(entry);
		if (chat && !chats.has(chat.phone)) chats.set(chat.phone, chat);
	}
	return [...chats.values()];
}

async function readMessages(
	ctx: IPollFunctions,
	phone: string,
	limit: number,
): Promise<IDataObject[] | undefined> {
	let failure: unknown;
	try {
		return await fetchList(
			pollGatewayContext(ctx),
			'/wa/messages',
			{ phone, limit },
			'messages',
			limit,
		);
	} catch (error) {
		failure = error;
	}
	// One chat WAChatPro refuses (a 4xx for that number) must not stop every other chat; it is read again next poll.
	const status = failure instanceof GatewayError ? failure.details.statusCode : undefined;
	if (
		status !== undefined &&
		status >= 400 &&
		status < 500 &&
		![401, 403, 408, 429].includes(status)
	) {
		ctx.logger.warn(
			`WAChatPro Trigger: WAChatPro refused the messages of ${phone} (HTTP ${status}); skipped this poll`,
			{
				message: (failure as Error).message,
			},
		);
		return undefined;
	}
	if (failure instanceof NodeApiError || failure instanceof NodeOperationError) throw failure;
	throw new NodeOperationError(
		ctx.getNode(),
		failure instanceof Error ? failure.message : String(failure),
	);
}

function toItem(
	phone: string,
	chat: WaChat,
	message: IDataObject,
	settings: Pick<PollSettings, 'includeRaw' | 'consent'>,
	receivedAt: string,
): INodeExecutionData {
	return {
		json: toItemJson(
			toEvent(phone, chat.name, message),
			receivedAt,
			message,
			settings.includeRaw,
			settings.consent,
		),
	};
}

/** "Fetch Test Event": the newest incoming message of the most recent chats, whatever was seen before. */
export async function testPoll(
	ctx: IPollFunctions,
	settings: PollSettings,
): Promise<INodeExecutionData[][]> {
	const chats = await listChats(
		ctx,
		settings,
		settings.chats === 'numbers' ? TEST_CHATS : Math.min(settings.maxChats, TEST_CHATS),
	);
	let newest: { chat: WaChat; message: IDataObject; time: number } | undefined;
	for (const chat of chats) {
		const window = (await readMessages(ctx, chat.phone, settings.messagesPerChat)) ?? [];
		window.forEach((message, index) => {
			if (isFromMe(message)) return;
			// Without a time, listing order (newest first) decides.
			const time = messageTime(message) ?? -index;
			if (!newest || time > newest.time) newest = { chat, message, time };
		});
	}
	if (!newest) {
		throw new NodeOperationError(ctx.getNode(), 'No incoming WAChatPro message found to show', {
			description: `Read the ${chats.length} most recent chat(s). Write to your WAChatPro number from another phone, then fetch again.`,
		});
	}
	const item = toItem(
		newest.chat.phone,
		newest.chat,
		newest.message,
		settings,
		new Date().toISOString(),
	);
	// With Group Bursts on, the test event has the shape the workflow will get.
	return [[burstsAreOn(settings.bursts) ? burstItem([item]) : item]];
}

/** n8n 2.x's default poll timeout (N8N_SCHEDULER_POLL_TIMEOUT, 45 s in n8n 2.41.1's scheduler config). */
export const DEFAULT_POLL_BUDGET_MS = 45_000;

/**
 * How long n8n gives one poll. n8n 2.x tells (`getPollBudgetMs`); n8n 1.x has no such method and no poll timeout, so
 * there a poll keeps to 2.x's default, and a long chat list is read over several polls as it is on 2.x.
 */
export function pollBudgetMs(ctx: IPollFunctions): number {
	const withBudget = ctx as Partial<Pick<IPollFunctions, 'getPollBudgetMs'>>;
	return typeof withBudget.getPollBudgetMs === 'function'
		? withBudget.getPollBudgetMs.call(ctx)
		: DEFAULT_POLL_BUDGET_MS;
}

/** A scheduled poll. The first one (no memory yet) remembers what is there and emits nothing. */
export async function schedulePoll(
	ctx: IPollFunctions,
	settings: PollSettings,
): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	const loaded = loadMemory(staticData[STATE_KEY]);
	const baseline = loaded === undefined;
	const memory: TriggerMemory = loaded ?? emptyMemory();
	// Leave time for the workflow hand-off: stop reading chats at half of n8n's poll budget; the rest waits a poll.
	const started = Date.now();
	const budgetMs = pollBudgetMs(ctx) / 2;
	const receivedAt = new Date().toISOString();
	// Chosen numbers are all read (the user bounds them); Max Chats bounds the listing of All Chats.
	const chats = await listChats(
		ctx,
		settings,
		settings.chats === 'numbers' ? settings.numbers.length : settings.maxChats,
	);
	const next: Record<string, ChatMemory> = { ...memory.chats };
	const fresh: Array<{ item: INodeExecutionData; time: number | undefined }> = [];
	let newestSeen = memory.horizon;

	for (const chat of chats) {
		const previous = memory.chats[chat.phone];
		if (!baseline && previous && chat.activity !== undefined && previous.a === chat.activity)
			continue;
		if (Date.now() - started > budgetMs) break;
		const window = await readMessages(ctx, chat.phone, settings.messagesPerChat);
		if (!window) continue;
		const result = readWindow(
			chat.phone,
			window,
			previous,
			memory.horizon,
			chat.activity,
			baseline,
		);
		next[chat.phone] = result.memory;
		if (result.memory.n !== undefined) newestSeen = Math.max(newestSeen, result.memory.n);
		const timed = result.fresh.map((message) => ({ message, time: messageTime(message) }));
		if (!burstsAreOn(settings.bursts)) {
			for (const { message, time } of timed)
				fresh.push({ item: toItem(chat.phone, chat, message, settings, receivedAt), time });
			continue;
		}
		const { ready, held } = splitBursts(timed, settings.bursts, Date.now());
		for (const burst of ready) {
			fresh.push({
				item: burstItem(
					burst.map(({ message }) => toItem(chat.phone, chat, message, settings, receivedAt)),
				),
				time: burst[burst.length - 1].time,
			});
		}
		if (held.length > 0) {
			// Not remembered, and the chat read again next poll even if nothing changed: the held messages come again.
			const heldKeys = new Set(held.map(({ message }) => messageKey(chat.phone, message)));
			const memory = { ...result.memory, k: result.memory.k.filter((key) => !heldKeys.has(key)) };
			delete memory.a;
			next[chat.phone] = memory;
		}
	}

	if (settings.chats === 'numbers') {
		for (const phone of Object.keys(next))
			if (!settings.numbers.includes(phone)) delete next[phone];
	}
	const bounded = boundMemory(
		{ v: 1, horizon: baseline ? newestSeen : memory.horizon, chats: next },
		settings.chats === 'numbers' ? settings.numbers.length : settings.maxChats,
	);
	// One assignment at the end: n8n's static data object notices it and saves the whole memory at once.
	staticData[STATE_KEY] = bounded as unknown as IDataObject;

	if (!fresh.length) return null;
	// Chats are read newest first; the workflow gets the messages in the order they were written.
	fresh.sort((x, y) => (x.time ?? Infinity) - (y.time ?? Infinity));
	return [fresh.map(({ item }) => item)];
}
