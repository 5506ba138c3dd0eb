/**
 * Sending Options › Do Not Send To: numbers that must never get a message (opt-outs). A recipient on the list gets
 * one output line with status "opted out" and no request.
 *
 * The list is normalised as recipients are (parameters/phone.ts, the node's Default Country Code), so `0812-3456-7890`
 * in the list matches a recipient `+62 812 3456 7890`. An entry typed without `+`, `00` or a leading 0 is also
 * taken with the country code in front (`812 3456 7890` → 62812…), since a person who wrote their number oddly must
 * not be messaged for it: the list may then suppress one number too many, never one too few. An entry that is not a
 * number at all stops the run before anything is sent, naming it and its position, unless the user chose to skip
 * such entries.
 *
 * Cost: the list is parsed once per execution into a Set of digits (100,000 entries well under a second, see
 * test/sending/doNotSend.test.ts) and each item is one Set lookup. It is read per item only when its expression
 * reads the item (`$json`, `$binary`, `.item`, `$itemIndex`…): a list from `$('Opt-outs').all()` is the same for
 * every item and is evaluated once.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../execution/items';
import { isObject } from '../http/replies';
import { normaliseNumber } from '../parameters/phone';

export const DO_NOT_SEND_LABEL = 'Sending Options › Do Not Send To';
export const MAX_DO_NOT_SEND_ENTRIES = 100_000;

export const doNotSendProperties: INodeProperties[] = [
	{
		displayName: 'Do Not Send To',
		name: 'doNotSendTo',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: "e.g. {{ $('Opt-outs').all().map(row => row.json.number) }}",
		description:
			'Numbers that must not get this message (people who opted out): one per line or separated by commas, or an expression giving a list (up to 100,000). Any common form matches (0812-3456-7890 matches +62 812 3456 7890). A recipient on it gets one output item with status "opted out" and no message. An entry that is not a phone number stops the run before anything is sent.',
	},
	{
		displayName: 'Do Not Send To: Skip Entries That Are Not Numbers',
		name: 'doNotSendToSkipInvalid',
		type: 'boolean',
		default: false,
		description:
			'Whether an entry of Do Not Send To that is not a phone number is skipped (every output item then counts them in skippedDoNotSendEntries) instead of stopping the run. The person behind a skipped entry may get the message.',
	},
];

export interface DoNotSendList {
	/** Digits of people, and group ids as written (`…@g.us`, `…@lid`). */
	keys: Set<string>;
	/** Entries that were not numbers, skipped because the user asked for it. */
	skippedEntries: number;
}

interface BadEntry {
	position: number;
	line?: number;
	entry: string;
	problem: string;
}

/** Splits typed text into entries, each with its line (1-based); blank entries are no entries. */
function entriesOfText(text: string): Array<{ value: unknown; line?: number }> {
	const trimmed = text.trim();
	// A JSON list pasted or produced as text: read it as the list it is.
	if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
		try {
			const parsed = JSON.parse(trimmed) as unknown;
			if (Array.isArray(parsed)) return parsed.map((value) => ({ value }));
		} catch {
			// Not JSON after all: read it as lines.
		}
	}
	const entries: Array<{ value: unknown; line?: number }> = [];
	const lines = text.split(/\r\n|\n|\r/);
	for (let index = 0; index < lines.length; index++) {
		for (const part of lines[index].split(/[,;]/)) {
			if (part.trim() !== '') entries.push({ value: part, line: index + 1 });
		}
	}
	return entries;
}

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/**
 * The keys an entry stands for. A number written without any international marker also stands for the number with
 * the country code in front: "812 3456 7890" is read as +81 (Japan) by the recipient rules, but on a list of people
 * who said stop it most likely means +62 812…, and suppressing both is the safe reading.
 */
function keysOf(value: unknown, countryCode: string): string[] {
	const number = normaliseNumber(value, countryCode);
	if (number.kind !== 'user') return [number.jid];
	const keys = [number.digits];
	// A spreadsheet or a number column drops the leading 0 of "0812…" too: the same reading applies.
	if (typeof value === 'string' || typeof value === 'number') {
		const typed = String(value).replace(/[^\d+]/g, '');
		const bare = /^[1-9]/.test(typed) && !number.digits.startsWith(countryCode);
		if (bare && countryCode.length + number.digits.length <= 15)
			keys.push(countryCode + number.digits);
	}
	return keys;
}

function keysOrProblem(
	entry: unknown,
	countryCode: string,
): { keys: string[] } | { problem: string } {
	if (isObject(entry) || Array.isArray(entry)) {
		return {
			problem: `is ${Array.isArray(entry) ? 'a list' : 'an object'}, not a number: give the numbers themselves, e.g. {{ $('Opt-outs').all().map(row => row.json.number) }}`,
		};
	}
	try {
		return { keys: keysOf(entry, countryCode) };
	} catch (error) {
		return { problem: error instanceof Error ? error.message : String(error) };
	}
}

/** Parses one list value: the keys, the entries that are not numbers (the first three unless skipping), the count. */
export function parseDoNotSendList(
	value: unknown,
	countryCode: string,
	{ skipInvalid = false }: { skipInvalid?: boolean } = {},
): { list: DoNotSendList; bad: BadEntry[]; count: number } {
	let entries: Array<{ value: unknown; line?: number }>;
	if (isBlank(value)) entries = [];
	else if (Array.isArray(value)) entries = value.map((entry) => ({ value: entry }));
	else if (typeof value === 'string') entries = entriesOfText(value);
	else entries = [{ value }];

	const keys = new Set<string>();
	const bad: BadEntry[] = [];
	let position = 0;
	for (const { value: entry, line } of entries) {
		if (isBlank(entry)) continue;
		position++;
		const read = keysOrProblem(entry, countryCode);
		if ('keys' in read) {
			for (const key of read.keys) keys.add(key);
			continue;
		}
		bad.push({
			position,
			line,
			entry: typeof entry === 'string' ? entry.trim() : JSON.stringify(entry),
			problem: read.problem,
		});
		if (!skipInvalid && bad.length >= 3) break;
	}
	return { list: { keys, skippedEntries: skipInvalid ? bad.length : 0 }, bad, count: position };
}

/** The key a prepared recipient is looked up by: digits for a person (a JID's user part), the id for a group. */
export function recipientKey(recipient: string): string {
	const person = /^(\d+)(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$/i.exec(recipient);
	return person ? person[1] : recipient.toLowerCase();
}

/**
 * An expression that reads the current item gives a list per item; anything else (a typed list, `$('X').all()`,
 * `$vars`) the same list for every item. Erring towards "per item" only costs time.
 */
export function readsItem(raw: unknown): boolean {
	if (typeof raw !== 'string' || !raw.startsWith('=')) return false;
	return /\$json|\$binary|\$itemIndex|\$item\b|\.item\b|\$input\.item|\.itemMatching|\$\(\s*['"][^'"]*['"]\s*\)\.item/.test(
		raw,
	);
}

/**
 * The run's Do Not Send To: `isListed(itemIndex, recipient)` says whether a prepared recipient is on it. Bad entries
 * throw (a NodeOperationError naming the field, the entry and its position), whatever Continue On Fail says.
 */
export class DoNotSend {
	private readonly cache = new Map<string, DoNotSendList>();

	private lastValueKey: string | undefined;

	private lastValue: DoNotSendList | undefined;

	private constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly propertyName: string,
		private readonly perItem: boolean,
		private readonly skipInvalid: boolean,
		private readonly firstValue: unknown,
	) {}

	/** Undefined when the option is not set. `raw` is the collection as read for item 0 (readSendingOptions). */
	static open(
		ctx: IExecuteFunctions,
		raw: { doNotSendTo?: unknown; doNotSendToSkipInvalid?: unknown },
		propertyName = 'sendingOptions',
	): DoNotSend | undefined {
		const stored = (ctx.getNode().parameters?.[propertyName] as Record<string, unknown> | undefined)
			?.doNotSendTo;
		if (stored === undefined || (typeof stored === 'string' && stored.trim() === ''))
			return undefined;
		return new DoNotSend(
			ctx,
			propertyName,
			readsItem(stored),
			raw.doNotSendToSkipInvalid === true,
			raw.doNotSendTo,
		);
	}

	/** Entries skipped as not numbers, in the last list read (for the output). */
	skippedEntries = 0;

	isListed(itemIndex: number, recipient: string, countryCode: string): boolean {
		return this.listFor(itemIndex, countryCode).keys.has(recipientKey(recipient));
	}

	private listFor(itemIndex: number, countryCode: string): DoNotSendList {
		if (!this.perItem) {
			let list = this.cache.get(countryCode);
			if (!list) {
				list = this.parse(this.firstValue, countryCode, itemIndex);
				this.cache.set(countryCode, list);
			}
			return list;
		}
		const value = this.ctx.getNodeParameter(`${this.propertyName}.doNotSendTo`, itemIndex, '');
		// Items often share one list value: parse each distinct one once.
		const key = `${countryCode}\u0000${typeof value === 'string' ? value : JSON.stringify(value)}`;
		if (key !== this.lastValueKey || !this.lastValue) {
			this.lastValue = this.parse(value, countryCode, itemIndex);
			this.lastValueKey = key;
		}
		return this.lastValue;
	}

	private parse(value: unknown, countryCode: string, itemIndex: number): DoNotSendList {
		if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
			throw invalidField(
				this.ctx,
				itemIndex,
				DO_NOT_SEND_LABEL,
				'is an object: give a list of numbers, or text with one number per line',
			);
		}
		const { list, bad, count } = parseDoNotSendList(value, countryCode, {
			skipInvalid: this.skipInvalid,
		});
		if (count > MAX_DO_NOT_SEND_ENTRIES) {
			throw invalidField(
				this.ctx,
				itemIndex,
				DO_NOT_SEND_LABEL,
				`has ${count.toLocaleString('en-US')} entries; at most ${MAX_DO_NOT_SEND_ENTRIES.toLocaleString('en-US')} are read. Nothing was sent.`,
			);
		}
		if (bad.length > 0 && !this.skipInvalid) {
			const shown = bad
				.map(
					(b) =>
						`entry ${b.position}${b.line !== undefined ? ` (line ${b.line})` : ''} "${b.entry}": ${b.problem.replace(`"${b.entry}" `, '')}`,
				)
				.join('; ');
			throw invalidField(
				this.ctx,
				itemIndex,
				DO_NOT_SEND_LABEL,
				`${bad.length > 1 ? 'entries are' : 'an entry is'} not a phone number, so nothing was sent (a person on the list must not get the message because their number was written oddly): ${shown}. Correct ${bad.length > 1 ? 'them' : 'it'}, or turn on "Do Not Send To: Skip Entries That Are Not Numbers".`,
			);
		}
		this.skippedEntries = list.skippedEntries;
		return list;
	}
}
