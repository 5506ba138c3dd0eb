/**
 * What the WAChatPro Trigger remembers between polls, and how it tells a new message from one it has seen.
 * WAChatPro has no "messages since" query: each poll reads the newest messages of a chat (a window) and
 * compares them with the window it read last time.
 *
 * Per chat: the keys of the incoming messages of the last window, the oldest and newest vendor time in it,
 * and the chat listing's activity fingerprint (an unchanged chat is not read again). A message is new when its
 * key is not remembered and it is not older than the last window (an older one slid into the window because a
 * message was deleted). A chat with no memory (a customer who writes for the first time) emits what is newer
 * than the `horizon`: the newest time seen when the trigger was first activated, raised whenever a chat is
 * forgotten, so history is never replayed and a forgotten chat's old messages are not emitted again.
 * Bounded: at most `maxChats` chats (least recently active forgotten first), each at most one window of keys.
 */
import type { IDataObject } from 'n8n-workflow';

import { isFromMe, messageKey, messageTime } from '../WaChatPro/transport/message';

export interface ChatMemory {
	/** Activity fingerprint of the chat listing when this chat was last read. */
	a?: string;
	/** Keys of the incoming messages in the last window read. */
	k: string[];
	/** Oldest vendor time (ms) in that window. */
	o?: number;
	/** Newest vendor time (ms) ever seen in this chat. */
	n?: number;
}

export interface TriggerMemory {
	v: 1;
	horizon: number;
	chats: Record<string, ChatMemory>;
}

export function emptyMemory(): TriggerMemory {
	return { v: 1, horizon: 0, chats: {} };
}

/** The stored memory when it is this version's, else undefined (first activation, or an unknown shape). */
export function loadMemory(stored: unknown): TriggerMemory | undefined {
	if (stored === null || typeof stored !== 'object') return undefined;
	const memory = stored as Partial<TriggerMemory>;
	if (memory.v !== 1 || typeof memory.chats !== 'object' || memory.chats === null) return undefined;
	return { v: 1, horizon: Number(memory.horizon) || 0, chats: { ...memory.chats } };
}

export interface WindowResult {
	/** Incoming messages to emit, oldest first. */
	fresh: IDataObject[];
	memory: ChatMemory;
}

/**
 * One chat's window against what was remembered of it. `baseline`: remember, emit nothing (first activation).
 * Messages come in WAChatPro's order (newest first, as far as known); those with a time are emitted by time.
 */
export function readWindow(
	phone: string,
	window: IDataObject[],
	previous: ChatMemory | undefined,
	horizon: number,
	activity: string | undefined,
	baseline: boolean,
): WindowResult {
	const known = new Set(previous?.k ?? []);
	const fresh: Array<{ message: IDataObject; time: number | undefined; order: number }> = [];
	const keys: string[] = [];
	let oldest: number | undefined;
	let newest = previous?.n;
	window.forEach((message, index) => {
		const time = messageTime(message);
		if (time !== undefined) {
			oldest = oldest === undefined ? time : Math.min(oldest, time);
			newest = newest === undefined ? time : Math.max(newest, time);
		}
		if (isFromMe(message)) return;
		const key = messageKey(phone, message);
		keys.push(key);
		if (baseline || known.has(key)) return;
		if (time !== undefined) {
			if (previous?.o !== undefined && time < previous.o) return;
			if (!previous && time <= horizon) return;
		}
		// Listing order is newest first: a higher index is older.
		fresh.push({ message, time, order: -index });
	});
	fresh.sort((x, y) => (x.time ?? Infinity) - (y.time ?? Infinity) || x.order - y.order);
	return {
		fresh: fresh.map((entry) => entry.message),
		memory: {
			...(activity !== undefined ? { a: activity } : {}),
			k: [...new Set(keys)],
			o: oldest,
			n: newest,
		},
	};
}

/** Keeps at most `maxChats` chats, forgetting the least recently active first, and raises the horizon past them. */
export function boundMemory(memory: TriggerMemory, maxChats: number): TriggerMemory {
	const entries = Object.entries(memory.chats);
	if (entries.length <= maxChats) return memory;
	entries.sort((x, y) => (y[1].n ?? -Infinity) - (x[1].n ?? -Infinity));
	let horizon = memory.horizon;
	for (const [, chat] of entries.slice(maxChats))
		if (chat.n !== undefined) horizon = Math.max(horizon, chat.n);
	return { v: 1, horizon, chats: Object.fromEntries(entries.slice(0, maxChats)) };
}
