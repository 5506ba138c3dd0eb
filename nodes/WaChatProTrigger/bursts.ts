/**
 * Group Bursts for the WAChatPro Trigger (docs/triggers.md, "Bursts"): a polling trigger sees a chat's new messages
 * together, so a burst is a run of messages whose WAChatPro times are within the Quiet Period of each other. A burst
 * whose last message is younger than the Quiet Period when the poll reads it may still grow: it is held for the
 * next poll by not remembering its messages (poll.ts), so it survives a restart exactly as an unread message does,
 * in the chat's window on WAChatPro's side, not in n8n.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BurstSettings } from '../shared/webhook/burst';

export interface ChatMessage {
	message: IDataObject;
	/** WAChatPro's time, ms; a message without one is never grouped. */
	time: number | undefined;
}

/** The chat's new messages (oldest first) as bursts to emit now, and the still open burst to hold. */
export function splitBursts(
	messages: ChatMessage[],
	settings: BurstSettings,
	now: number,
): { ready: ChatMessage[][]; held: ChatMessage[] } {
	const ready: ChatMessage[][] = [];
	let open: ChatMessage[] = [];
	for (const entry of messages) {
		if (entry.time === undefined) {
			ready.push([entry]);
			continue;
		}
		const first = open[0]?.time;
		const last = open[open.length - 1]?.time;
		if (
			first !== undefined &&
			last !== undefined &&
			entry.time - last <= settings.quietMs &&
			entry.time - first < settings.maxHoldMs
		) {
			open.push(entry);
			continue;
		}
		if (open.length > 0) ready.push(open);
		open = [entry];
	}
	if (open.length === 0) return { ready, held: [] };
	const first = open[0].time as number;
	const last = open[open.length - 1].time as number;
	// A time further ahead of n8n's clock than the Quiet Period says the clocks differ, not that the customer is
	// writing: without this a gateway clock ahead by more than Max Hold would hold the burst until it caught up.
	const age = now - last;
	const stillWriting =
		age < settings.quietMs && age >= -settings.quietMs && now - first < settings.maxHoldMs;
	if (stillWriting) return { ready, held: open };
	ready.push(open);
	return { ready, held: [] };
}
