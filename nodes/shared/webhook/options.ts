/** The "Options" collection both triggers show: body cap, duplicate window, bursts, raw payload, opt-out keywords. */
import type { IExecuteFunctions, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import type { BatchSettings } from './batch';
import { MAX_BATCH_ITEMS, MAX_BATCH_SECONDS } from './batch';
import type { BurstSettings } from './burst';
import type { ConsentKeywords } from './consent';
import { consentKeywordProperties, consentKeywordsFrom } from './consent';
import type { DedupeSettings } from './dedupe';

const MB = 1024 * 1024;

export interface TriggerOptions {
	maxBodyBytes: number;
	dedupe: DedupeSettings;
	includeRaw: boolean;
	consent: ConsentKeywords;
	batch: BatchSettings;
	bursts: BurstSettings;
}

/** Longest Quiet Period, and longest hold of a burst's first message (a gateway waits for its answer that long). */
export const MAX_QUIET_SECONDS = 30;
export const MAX_HOLD_SECONDS = 120;

/** The Status Batch Window of a trigger of version 3 or later, where it is on unless set to 0. */
export const DEFAULT_BATCH_SECONDS = 1;
/** From version 3 a trigger batches delivery statuses unless told not to (batch.ts). */
export const BATCHING_BY_DEFAULT_FROM_VERSION = 3;

function statusBatchWindowOption(
	defaultSeconds: number,
	version: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>,
): INodeProperties {
	return {
		displayName: 'Status Batch Window (Seconds)',
		name: 'statusBatchSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_BATCH_SECONDS },
		default: defaultSeconds,
		description: `Delivery statuses arriving within this time of the first start one execution together, one item each: a campaign's status stream then costs one execution per batch instead of one per webhook. Each webhook is answered once its batch's execution exists. Messages are never batched. 0 starts one execution per webhook; at most ${MAX_BATCH_SECONDS}.`,
		displayOptions: { show: version },
	};
}

/** Says on the node that a version-3 trigger batches statuses, which a hidden option default would not. */
export const statusBatchNotice: INodeProperties = {
	displayName: `Delivery statuses arriving within ${DEFAULT_BATCH_SECONDS} s of each other start one execution together, one item each (Options › Status Batch Window; 0 starts one execution per webhook)`,
	name: 'statusBatchNotice',
	type: 'notice',
	default: '',
	displayOptions: {
		show: {
			'@version': [{ _cnd: { gte: BATCHING_BY_DEFAULT_FROM_VERSION } }],
			events: ['all', 'status'],
		},
	},
};

/** `maxBodyMb` defaults per vendor: Sobot documents bodies up to 3 MB. */
export function triggerOptionsProperty(maxBodyMb: number): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Duplicate Window (Minutes)',
				name: 'dedupeWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description:
					"An event with the same message ID and status arriving again within this time is dropped (remembered in n8n's database, across restarts and processes). 0 turns this off.",
			},
			{
				displayName: 'Group Bursts: Max Hold (Seconds)',
				name: 'burstMaxHoldSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_HOLD_SECONDS },
				default: 60,
				description: `A burst starts its execution at the latest this long after its first message, even if the customer keeps writing (the first webhook is held that long). Only used with a Quiet Period; at most ${MAX_HOLD_SECONDS}.`,
			},
			{
				displayName: 'Group Bursts: Quiet Period (Seconds)',
				name: 'burstQuietSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_QUIET_SECONDS },
				default: 0,
				description: `Messages of one customer that arrive within this many seconds of each other start one execution once the customer paused: one item with all of them under "messages" and their texts joined in "text". Each message's webhook is answered only after that execution was created. 0 (the default) starts one execution per webhook. At most ${MAX_QUIET_SECONDS}.`,
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: true,
				description: 'Whether to add the untouched request body to every item under "raw"',
			},
			{
				displayName: 'Max Body Size (MB)',
				name: 'maxBodySizeMb',
				type: 'number',
				// No numberPrecision: n8n would show 3 as "3.000", which reads as three thousand in many locales.
				typeOptions: { minValue: 0.001 },
				default: maxBodyMb,
				description:
					"Larger requests are refused with 413. n8n's own limit (N8N_PAYLOAD_SIZE_MAX, 16 MB by default) applies first.",
			},
			{
				displayName: 'Max Remembered Events',
				name: 'dedupeMaxEntries',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100000 },
				default: 1000,
				description:
					"How many recent events the duplicate check remembers in n8n's database; the oldest are forgotten first. A campaign produces about three statuses per recipient.",
			},
			{
				displayName: 'Max Statuses per Batch',
				name: 'statusBatchMax',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_ITEMS, numberPrecision: 0 },
				default: 100,
				description:
					'A batch of delivery statuses starts its execution as soon as it holds this many',
			},
			...consentKeywordProperties,
			// Version 3 batches statuses by default (1 s); versions 1 and 2 keep one execution per webhook.
			statusBatchWindowOption(0, { '@version': [1, 2] }),
			statusBatchWindowOption(DEFAULT_BATCH_SECONDS, { '@version': [{ _cnd: { gte: 3 } }] }),
		],
	};
}

interface RawTriggerOptions {
	burstQuietSeconds?: number;
	burstMaxHoldSeconds?: number;
	dedupeWindowMinutes?: number;
	includeRaw?: boolean;
	maxBodySizeMb?: number;
	dedupeMaxEntries?: number;
	optOutKeywords?: string;
	optInKeywords?: string;
	statusBatchSeconds?: number;
	statusBatchMax?: number;
}

function dedupeSettings(options: RawTriggerOptions): DedupeSettings {
	return {
		windowMs: Math.max(0, (options.dedupeWindowMinutes ?? 60) * 60_000),
		maxEntries: Math.min(100_000, Math.max(1, Math.floor(options.dedupeMaxEntries ?? 1000))),
	};
}

const clamp = (value: unknown, min: number, max: number, fallback: number) => {
	const number = Number(value);
	return Number.isFinite(number) ? Math.min(max, Math.max(min, number)) : fallback;
};

/** Also the WAChatPro Trigger's (same option names). */
export function burstSettings(options: RawTriggerOptions): BurstSettings {
	const quietMs = clamp(options.burstQuietSeconds ?? 0, 0, MAX_QUIET_SECONDS, 0) * 1000;
	const maxHoldMs = clamp(options.burstMaxHoldSeconds ?? 60, 1, MAX_HOLD_SECONDS, 60) * 1000;
	// A hold shorter than the quiet period would close every burst before anyone could join it.
	return { quietMs, maxHoldMs: Math.max(maxHoldMs, quietMs) };
}

export function readTriggerOptions(ctx: IWebhookFunctions, maxBodyMb: number): TriggerOptions {
	const options = ctx.getNodeParameter('options', {}) as RawTriggerOptions;
	const defaultBatchSeconds =
		ctx.getNode().typeVersion >= BATCHING_BY_DEFAULT_FROM_VERSION ? DEFAULT_BATCH_SECONDS : 0;
	return {
		maxBodyBytes: Math.max(1, Math.floor((options.maxBodySizeMb ?? maxBodyMb) * MB)),
		dedupe: dedupeSettings(options),
		includeRaw: options.includeRaw !== false,
		consent: consentKeywordsFrom(options),
		batch: {
			// A value that is no number (an expression gone wrong) falls back to the default, as Group Bursts does:
			// NaN would hold a batch until it is full.
			windowMs:
				clamp(
					options.statusBatchSeconds ?? defaultBatchSeconds,
					0,
					MAX_BATCH_SECONDS,
					defaultBatchSeconds,
				) * 1000,
			maxItems: Math.floor(clamp(options.statusBatchMax ?? 100, 1, MAX_BATCH_ITEMS, 100)),
		},
		bursts: burstSettings(options),
	};
}

/** The burst settings, read in the trigger's `execute()`. */
export function readBurstSettings(ctx: IExecuteFunctions): BurstSettings {
	return burstSettings(ctx.getNodeParameter('options', 0, {}) as RawTriggerOptions);
}

/** The same duplicate settings, read in the trigger's `execute()`. */
export function readDedupeSettings(ctx: IExecuteFunctions): DedupeSettings {
	return dedupeSettings(ctx.getNodeParameter('options', 0, {}) as RawTriggerOptions);
}
