/**
 * What a run checks before each message: the send window (in the run's zone or each recipient's) and the sender's
 * limits (limits.ts). Built from the Sending Options; per-item parts (a recipient's zone) are checked while the
 * items are prepared, so bad input stops the node before anything is sent.
 */
import { randomBytes } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { invalidField } from '../../execution/items';
import { checkAndRecord, removeRecorded } from '../../persistence/processedData';
import type { Claim, LimiterClock, SenderLimits } from './limits';
import { canHold, hasLimits, limitStoreEntries, SenderLimiter } from './limits';
import type { SendWindow } from './properties';
import { isOpen, nextOpening } from './window';
import { isKnownZone, zoneOfNumber } from './zones';

/** A message starts only if the window is still open this long after its start (it must arrive inside). */
const WINDOW_MARGIN_MS = 5_000;

export type Admission = { at: number } | { holdUntil: number; reason: string };

const digitsOf = (to: unknown) =>
	String(to ?? '')
		.replace(/@.*$/, '')
		.replace(/\D/g, '');

export class SendGuard {
	private readonly zones = new Map<number, string>();

	private readonly senders = new Map<number, string>();

	private readonly limiters = new Map<string, Promise<SenderLimiter>>();

	/** Holds that cover more than one item: by sender (a limit) or by zone (the window). */
	private readonly holds = new Map<string, { until: number; reason: string }>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly propertyName: string,
		private readonly window: SendWindow | undefined,
		private readonly limits: SenderLimits,
		/** The most messages the run sends: the limiter claims no more tickets ahead than that. */
		private readonly messages: number,
		private readonly clock: LimiterClock = { now: () => Date.now(), pause: sleep },
	) {}

	/** Whether the run may hold items, and so records its sends under a key (hold.ts). */
	get mayHold(): boolean {
		return this.window !== undefined || canHold(this.limits);
	}

	get limited(): boolean {
		return hasLimits(this.limits);
	}

	get active(): boolean {
		return this.window !== undefined || hasLimits(this.limits);
	}

	/** Per item, while preparing: whom it is sent from and, with the recipient's zone, which zone. Throws on bad input. */
	prepareItem(itemIndex: number, fields: IDataObject): void {
		const node = this.ctx.getNode();
		const credential = Object.values(node.credentials ?? {})[0]?.id ?? '';
		this.senders.set(itemIndex, `${node.type}|${credential}|${String(fields.sender ?? '')}`);
		if (this.window?.zone !== 'recipient') return;
		const override = String(
			this.ctx.getNodeParameter(`${this.propertyName}.recipientTimezone`, itemIndex, '') ?? '',
		).trim();
		if (override) {
			if (!isKnownZone(override))
				throw invalidField(
					this.ctx,
					itemIndex,
					'Sending Options › Recipient Time Zone',
					`"${override}" is not an IANA time zone`,
				);
			this.zones.set(itemIndex, override);
			return;
		}
		const zone = zoneOfNumber(digitsOf(fields.to));
		if (!zone)
			throw invalidField(
				this.ctx,
				itemIndex,
				'Sending Options › Send Window Time Zone',
				`no time zone is known for the country code of "${String(fields.to)}"; give it a Recipient Time Zone`,
			);
		this.zones.set(itemIndex, zone);
	}

	private zoneOf(itemIndex: number): string {
		return this.zones.get(itemIndex) ?? this.window?.zoneName ?? 'UTC';
	}

	private limiter(sender: string): Promise<SenderLimiter> {
		let limiter = this.limiters.get(sender);
		if (!limiter) {
			const storeOptions = { mode: 'entries' as const, maxEntries: limitStoreEntries(this.limits) };
			limiter = SenderLimiter.open({
				store: {
					record: async (values) =>
						await checkAndRecord(this.ctx, values, 'workflow', storeOptions),
					remove: async (values) =>
						await removeRecorded(this.ctx, values, 'workflow', storeOptions),
				},
				sender,
				limits: this.limits,
				dayZone: this.ctx.getTimezone(),
				claimant: `${this.ctx.getExecutionId()}|${randomBytes(6).toString('hex')}`,
				clock: this.clock,
				messages: this.messages,
			});
			this.limiters.set(sender, limiter);
		}
		return limiter;
	}

	/**
	 * Gives back the limit tickets claimed ahead and not used, so other executions may use them. A failure only
	 * strands them (fewer messages this hour or day), so it is logged, not thrown.
	 */
	async release(): Promise<void> {
		for (const limiter of this.limiters.values()) {
			try {
				await (await limiter).release();
			} catch (error) {
				this.ctx.logger.warn(
					`Giving back unused sender-limit tickets failed (${(error as Error).message}); they stay used until their hour or day is over`,
				);
			}
		}
	}

	/** A hold already decided for this item's sender or zone: no need to reserve a slot for it. */
	heldAlready(itemIndex: number): { holdUntil: number; reason: string } | undefined {
		const hold =
			this.holds.get(`sender|${this.senders.get(itemIndex) ?? ''}`) ??
			this.holds.get(`zone|${this.zoneOf(itemIndex)}`);
		return hold && { holdUntil: hold.until, reason: hold.reason };
	}

	private openAt(itemIndex: number, time: number): boolean {
		if (!this.window) return true;
		const zone = this.zoneOf(itemIndex);
		return (
			isOpen(this.window.periods, zone, time) &&
			isOpen(this.window.periods, zone, time + WINDOW_MARGIN_MS)
		);
	}

	private holdZone(itemIndex: number, time: number): Admission {
		const zone = this.zoneOf(itemIndex);
		const periods = this.window?.periods ?? [];
		// The margin: an opening closer than it to the end is no opening.
		let opens = nextOpening(periods, zone, time);
		while (opens !== undefined && !this.openAt(itemIndex, opens))
			opens = nextOpening(periods, zone, opens + 60_000);
		const reason = `outside the send window (${zone})`;
		const until = opens ?? time + 7 * 86_400_000;
		this.holds.set(`zone|${zone}`, { until, reason });
		return { holdUntil: until, reason };
	}

	/** Whether the item may start at `earliest` (or when), or must be held (until when, and why). */
	async admit(itemIndex: number, earliest: number): Promise<Admission> {
		const already = this.heldAlready(itemIndex);
		if (already) return already;
		const time = Math.max(earliest, this.clock.now());
		if (!this.openAt(itemIndex, time)) return this.holdZone(itemIndex, time);
		if (!hasLimits(this.limits)) return { at: time };
		const sender = this.senders.get(itemIndex) ?? '';
		const claim: Claim = await (await this.limiter(sender)).claim(time);
		if ('holdUntil' in claim) {
			this.holds.set(`sender|${sender}`, { until: claim.holdUntil, reason: claim.reason });
			return claim;
		}
		if (!this.openAt(itemIndex, claim.at)) return this.holdZone(itemIndex, claim.at);
		return claim;
	}
}
