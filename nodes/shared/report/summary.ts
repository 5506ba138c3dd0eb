/**
 * The counts and rates of a campaign from its recipient lines: every line in exactly one outcome, and for accepted
 * lines how far WhatsApp got (delivered ⊇ read ⊇ replied). Without delivery statuses those stages are unknown
 * (null), never zero.
 */
import type { RecipientLine } from './lines';
import type { StatusRowsSummary } from './statusRows';

export interface CampaignCounts {
	recipients: number;
	/** Lines the campaign tried to send: accepted, failed and uncertain (not skipped, opted out, held or not sent). */
	attempted: number;
	/** Taken by the gateway, in this run or (already sent) an earlier one. */
	accepted: number;
	alreadySent: number;
	delivered: number | null;
	read: number | null;
	replied: number | null;
	/** Failed at the send (`sendFailed`) plus, with delivery statuses, failed by WhatsApp afterwards (`deliveryFailed`). */
	failed: number;
	sendFailed: number;
	deliveryFailed: number | null;
	/** Accepted, and no delivery status says more yet. */
	awaitingStatus: number | null;
	optedOut: number;
	held: number;
	notSent: number;
	skipped: number;
	uncertain: number;
	other: number;
}

export interface CampaignRates {
	acceptedOfAttempted: number | null;
	failedOfAttempted: number | null;
	deliveredOfAccepted: number | null;
	readOfDelivered: number | null;
	repliedOfDelivered: number | null;
	optedOutOfRecipients: number | null;
	heldOfRecipients: number | null;
	notSentOfRecipients: number | null;
}

export interface CampaignSummary extends CampaignCounts {
	deliveryTracked: boolean;
	rates: CampaignRates;
	/** Status words counted under `other`, with how many lines had each. */
	otherStatuses: Record<string, number>;
	statusRows: StatusRowsSummary | null;
}

/** A share in percent with one decimal; null when there is nothing to divide by or the part is unknown. */
export function percent(part: number | null, whole: number | null): number | null {
	if (part === null || whole === null || whole === 0) return null;
	return Math.round((part / whole) * 1000) / 10;
}

export function summarise(
	lines: RecipientLine[],
	statusRows: StatusRowsSummary | null,
): CampaignSummary {
	const count = (test: (line: RecipientLine) => boolean) => lines.filter(test).length;
	const accepted = lines.filter((line) => line.outcome === 'accepted');
	const tracked = statusRows !== null || accepted.some((line) => line.events.size > 0);
	const reached = (line: RecipientLine) =>
		line.events.has('delivered') || line.events.has('read') || line.events.has('replied');
	const known = (value: number) => (tracked ? value : null);

	const sendFailed = count((line) => line.outcome === 'failed');
	const uncertain = count((line) => line.outcome === 'uncertain');
	const deliveryFailed = accepted.filter(
		(line) => line.events.has('failed') && !reached(line),
	).length;
	const delivered = known(accepted.filter(reached).length);
	const read = known(
		accepted.filter((line) => line.events.has('read') || line.events.has('replied')).length,
	);
	const replied = known(accepted.filter((line) => line.events.has('replied')).length);
	const awaiting = accepted.filter((line) => !reached(line) && !line.events.has('failed')).length;

	const otherStatuses: Record<string, number> = {};
	for (const line of lines) {
		if (line.outcome !== 'other') continue;
		const word = line.otherStatus ?? '(no status)';
		otherStatuses[word] = (otherStatuses[word] ?? 0) + 1;
	}

	const counts: CampaignCounts = {
		recipients: lines.length,
		attempted: accepted.length + sendFailed + uncertain,
		accepted: accepted.length,
		alreadySent: accepted.filter((line) => line.alreadySent).length,
		delivered,
		read,
		replied,
		failed: sendFailed + (tracked ? deliveryFailed : 0),
		sendFailed,
		deliveryFailed: known(deliveryFailed),
		awaitingStatus: known(awaiting),
		optedOut: count((line) => line.outcome === 'optedOut'),
		held: count((line) => line.outcome === 'held'),
		notSent: count((line) => line.outcome === 'notSent'),
		skipped: count((line) => line.outcome === 'skipped'),
		uncertain,
		other: count((line) => line.outcome === 'other'),
	};
	return {
		...counts,
		deliveryTracked: tracked,
		rates: {
			acceptedOfAttempted: percent(counts.accepted, counts.attempted),
			failedOfAttempted: percent(counts.failed, counts.attempted),
			deliveredOfAccepted: percent(counts.delivered, counts.accepted),
			readOfDelivered: percent(counts.read, counts.delivered),
			repliedOfDelivered: percent(counts.replied, counts.delivered),
			optedOutOfRecipients: percent(counts.optedOut, counts.recipients),
			heldOfRecipients: percent(counts.held, counts.recipients),
			notSentOfRecipients: percent(counts.notSent, counts.recipients),
		},
		otherStatuses,
		statusRows,
	};
}
