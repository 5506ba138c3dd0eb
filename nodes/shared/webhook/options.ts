/** The "Options" collection both triggers show: body cap, duplicate window, raw payload, opt-out keywords. */
import type { IExecuteFunctions, INodeProperties, IWebhookFunctions } from 'n8n-workflow';

import type { BatchSettings } from './batch';
import { MAX_BATCH_ITEMS, MAX_BATCH_SECONDS } from './batch';
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
}

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

export function readTriggerOptions(ctx: IWebhookFunctions, maxBodyMb: number): TriggerOptions {
	const options = ctx.getNodeParameter('options', {}) as RawTriggerOptions;
	const batchSeconds =
		options.statusBatchSeconds ??
		(ctx.getNode().typeVersion >= BATCHING_BY_DEFAULT_FROM_VERSION ? DEFAULT_BATCH_SECONDS : 0);
	return {
		maxBodyBytes: Math.max(1, Math.floor((options.maxBodySizeMb ?? maxBodyMb) * MB)),
		dedupe: dedupeSettings(options),
		includeRaw: options.includeRaw !== false,
		consent: consentKeywordsFrom(options),
		batch: {
			windowMs: Math.min(MAX_BATCH_SECONDS, Math.max(0, batchSeconds)) * 1000,
			maxItems: Math.min(MAX_BATCH_ITEMS, Math.max(1, Math.floor(options.statusBatchMax ?? 100))),
		},
	};
}

/** The same duplicate settings, read in the trigger's `execute()`. */
export function readDedupeSettings(ctx: IExecuteFunctions): DedupeSettings {
	return dedupeSettings(ctx.getNodeParameter('options', 0, {}) as RawTriggerOptions);
}
