/**
 * What the sandbox accepted, kept in an append-only file (one JSON line per message) when it is given one, so that
 * after `npm run dev` itself is restarted (a crash, Ctrl-C) a user can still count what reached the "customers" before:
 * the point of a "killed mid-campaign, re-run, exactly once" check. Tests run without a file (memory only).
 */
import * as fs from 'fs';
import * as path from 'path';

import type { AcceptedMessage } from './host';

export class AcceptedLog {
	constructor(readonly file: string) {}

	/**
	 * The messages of earlier runs. A line cut short by a crash in the middle of a write is skipped, not fatal: the
	 * rest of the record is still worth reading.
	 */
	load(): AcceptedMessage[] {
		if (!fs.existsSync(this.file)) return [];
		const text = fs.readFileSync(this.file, 'utf8');
		// After a torn last line, the next record must start on a line of its own.
		if (text && !text.endsWith('\n')) fs.appendFileSync(this.file, '\n');
		const messages: AcceptedMessage[] = [];
		for (const line of text.split('\n')) {
			if (!line.trim()) continue;
			try {
				messages.push(JSON.parse(line) as AcceptedMessage);
			} catch {
				// the torn last line of a crash
			}
		}
		return messages;
	}

	/** Synchronous, so a message the sandbox answered "accepted" is on disk before the answer leaves. */
	append(message: AcceptedMessage): void {
		fs.mkdirSync(path.dirname(this.file), { recursive: true });
		fs.appendFileSync(this.file, JSON.stringify(message) + '\n');
	}

	clear(): void {
		fs.rmSync(this.file, { force: true });
	}
}

export interface RecipientSummary {
	vendor: string;
	to: string;
	/** Messages accepted for this recipient. */
	messages: number;
	/** Of those, how many had content this recipient had already received (a duplicate, or a deliberate repeat). */
	repeats: number;
	first: string;
	last: string;
}

export interface AcceptedSummary {
	total: number;
	/** Recipients with one message each, the shape of a campaign that sent exactly once. */
	exactlyOnce: number;
	/** Recipients that received the same content more than once. */
	repeated: number;
	recipients: RecipientSummary[];
}

/** Per recipient: how many messages, and how many of them repeated content already received. */
export function summarizeAccepted(
	accepted: readonly AcceptedMessage[],
	filter: { vendor?: string; since?: string } = {},
): AcceptedSummary {
	const byRecipient = new Map<string, RecipientSummary & { contents: Set<string> }>();
	for (const message of accepted) {
		if (filter.vendor && message.vendor !== filter.vendor) continue;
		if (filter.since && message.at < filter.since) continue;
		const key = `${message.vendor} ${message.to}`;
		let entry = byRecipient.get(key);
		if (!entry) {
			entry = {
				vendor: message.vendor,
				to: message.to,
				messages: 0,
				repeats: 0,
				first: message.at,
				last: message.at,
				contents: new Set(),
			};
			byRecipient.set(key, entry);
		}
		entry.messages++;
		if (entry.contents.has(message.content)) entry.repeats++;
		entry.contents.add(message.content);
		entry.last = message.at;
	}
	const recipients = [...byRecipient.values()].map(({ contents: _contents, ...rest }) => rest);
	return {
		total: recipients.reduce((sum, r) => sum + r.messages, 0),
		exactlyOnce: recipients.filter((r) => r.messages === 1).length,
		repeated: recipients.filter((r) => r.repeats > 0).length,
		recipients,
	};
}
