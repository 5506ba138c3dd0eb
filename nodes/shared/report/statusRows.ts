/**
 * The delivery-status rows given to the report (e.g. the `sobot_status_events` table of the delivery-tracking
 * examples, or the triggers' status items as they come), applied to the recipient lines by message id. Rows that
 * cannot be applied are counted, by why, in the report's `statusRows`, never dropped without a word.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidField } from '../execution/items';
import { isObject } from '../http/replies';
import type { RecipientLine } from './lines';
import type { DeliveryEvent } from './vocabulary';
import { eventStatus } from './vocabulary';

export const STATUS_ROWS_LABEL = 'Delivery Statuses';

export interface StatusRowsSummary {
	rows: number;
	/** Rows applied to a recipient line. */
	matched: number;
	/** Rows with a message id no recipient line has (another campaign's, or a line without a message id). */
	unmatched: number;
	withoutMessageId: number;
	withoutStatus: number;
	/** Status words the report does not know, with how many rows had each. */
	unknownStatuses: Record<string, number>;
}

interface StatusRow {
	messageId?: string;
	event?: DeliveryEvent;
	status?: string;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** One row: a status row (`messageId`, `status`), or a trigger's incoming message that replies to ours (`replyTo`). */
function readRow(row: IDataObject): StatusRow {
	if (row.event === 'message') {
		const replyTo = text(row.replyTo);
		return replyTo ? { messageId: replyTo, event: 'replied', status: 'replied' } : {};
	}
	const status = text(row.status);
	return {
		messageId: text(row.messageId),
		status,
		event: status === undefined ? undefined : eventStatus(status),
	};
}

/** The rows as given: a list of objects, or of n8n items (`{json}`), or one object; none when the field is empty. */
export function readStatusRows(ctx: IExecuteFunctions, value: unknown): IDataObject[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const list = Array.isArray(value) ? (value as unknown[]) : [value];
	return list.map((entry, index) => {
		const row =
			isObject(entry) && isObject(entry.json) && !('status' in entry) ? entry.json : entry;
		if (!isObject(row)) {
			throw invalidField(
				ctx,
				0,
				STATUS_ROWS_LABEL,
				`entry ${index} is ${Array.isArray(row) ? 'a list' : row === null ? 'null' : `a ${typeof row}`}, not a row with messageId and status`,
			);
		}
		return row;
	});
}

/** Adds each row's event to the lines with its message id; returns what became of the rows. */
export function applyStatusRows(rows: IDataObject[], lines: RecipientLine[]): StatusRowsSummary {
	const byId = new Map<string, RecipientLine[]>();
	for (const line of lines) {
		if (line.messageId === undefined) continue;
		const same = byId.get(line.messageId);
		if (same) same.push(line);
		else byId.set(line.messageId, [line]);
	}
	const summary: StatusRowsSummary = {
		rows: rows.length,
		matched: 0,
		unmatched: 0,
		withoutMessageId: 0,
		withoutStatus: 0,
		unknownStatuses: {},
	};
	for (const raw of rows) {
		const row = readRow(raw);
		if (row.messageId === undefined) summary.withoutMessageId++;
		else if (row.status === undefined) summary.withoutStatus++;
		else if (row.event === undefined)
			summary.unknownStatuses[row.status] = (summary.unknownStatuses[row.status] ?? 0) + 1;
		else {
			const targets = byId.get(row.messageId);
			if (!targets) summary.unmatched++;
			else {
				summary.matched++;
				for (const line of targets) line.events.add(row.event);
			}
		}
	}
	return summary;
}
