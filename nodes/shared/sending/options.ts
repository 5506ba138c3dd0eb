/**
 * "Sending Options": the one collection every send operation of every node shows, so pacing and retries
 * behave the same in Profilora, WAChatPro and Sobot. Defaults are safe for a campaign: one message at a time,
 * retries only where the gateway cannot have delivered the message.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../execution/items';
import type { Guardrails } from './guardrails/properties';
import { guardrailProperties, readGuardrails } from './guardrails/properties';
import type { MessageDelay, PaceChoice } from './guardrails/presets';
import { choosePace, PACE_PRESETS } from './guardrails/presets';
import { doNotSendProperties } from './doNotSend';

export interface SendingOptions {
	delay: MessageDelay;
	/** 0 means no cap. */
	messagesPerMinute: number;
	concurrency: number;
	maxAttempts: number;
	retryBaseDelayMs: number;
	/** Longest wait for one retry, whatever Retry-After asks for. */
	maxRetryWaitMs: number;
	/** Also retry failures after which the gateway may have accepted the message (timeouts, dropped replies, 500). */
	retryAmbiguous: boolean;
	/** 0 means never stop. */
	stopAfterConsecutiveFailures: number;
	timeoutMs: number;
	/** Records every send under this key in n8n's database (sendRecord.ts); '' = off. */
	resumeKey: string;
	/** Forget what earlier runs recorded under the key for these messages, and send them all. */
	resumeStartOver: boolean;
	/** The pace preset in force, and whether the default chose it (guardrails/presets.ts). */
	pace: PaceChoice;
	/** Sender limits, warm-up and send window (guardrails/). */
	guardrails: Guardrails;
	/** Do Not Send To as item 0's expression gave it (doNotSend.ts reads and checks it). */
	doNotSendTo?: unknown;
	doNotSendToSkipInvalid?: boolean;
}

export const DEFAULT_SENDING_OPTIONS: SendingOptions = {
	delay: { mode: 'none' },
	messagesPerMinute: 0,
	concurrency: 1,
	maxAttempts: 4,
	retryBaseDelayMs: 1000,
	maxRetryWaitMs: 60_000,
	retryAmbiguous: false,
	stopAfterConsecutiveFailures: 10,
	timeoutMs: 60_000,
	resumeKey: '',
	resumeStartOver: false,
	pace: { pace: 'custom', chosenBy: 'default' },
	guardrails: { limits: { perMinute: 0, perHour: 0, perDay: 0 } },
};

export const sendingOptionsProperty: INodeProperties = {
	displayName: 'Sending Options',
	name: 'sendingOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	description:
		'Pace, limits, send window and retries for this send. Delays and Messages Per Minute apply within one execution; the Sender Limits count every execution of this workflow (also on queue-mode workers), but not other workflows sending from the same number.',
	options: (
		[
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 1,
				description:
					'How many messages may be in flight at once. Keep 1 for campaigns from one number.',
			},
			{
				displayName: 'Delay (Ms)',
				name: 'delayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 2000,
				description: 'Used with a fixed delay: milliseconds between the start of two messages',
			},
			{
				displayName: 'Delay Between Messages',
				name: 'delayMode',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Fixed', value: 'fixed' },
					{
						name: 'Random in a Range',
						value: 'random',
						description: 'Looks less like a machine to WhatsApp',
					},
				],
				default: 'none',
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 4,
				description:
					'Attempts per message, counting the first. Retries happen on 429 (honouring Retry-After), 502/503/504 and connections that never opened.',
			},
			{
				displayName: 'Maximum Delay (Ms)',
				name: 'delayMaxMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 8000,
				description: 'Used with a random delay: the longest wait between two messages',
			},
			{
				displayName: 'Messages Per Minute',
				name: 'messagesPerMinute',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'Cap on messages started per minute, across all items of this execution (not across executions). 0 means no cap.',
			},
			{
				displayName: 'Minimum Delay (Ms)',
				name: 'delayMinMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 3000,
				description: 'Used with a random delay: the shortest wait between two messages',
			},
			{
				displayName: 'Resume Key',
				name: 'resumeKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. order-updates-2026-12-01',
				description:
					'Records each message in n8n\'s database as it goes out, under this key. Running again with the same key (after a crash, a restart or a failed run) sends only what has not gone out; the rest come back as "already sent". A new key starts fresh. Empty: no record.',
			},
			{
				displayName: 'Retry Base Delay (Ms)',
				name: 'retryBaseDelayMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1000,
				description:
					'First wait before a retry; it doubles with each further attempt (with jitter), unless the gateway sends Retry-After',
			},
			{
				displayName: 'Retry When Delivery Is Uncertain',
				name: 'retryAmbiguous',
				type: 'boolean',
				default: false,
				description:
					'Whether to also retry timeouts, dropped connections and HTTP 500, after which the gateway may already have accepted the message. Turning this on can send a message twice.',
			},
			{
				displayName: 'Start Over With This Key',
				name: 'resumeStartOver',
				type: 'boolean',
				default: false,
				description:
					'Whether to forget what earlier runs sent under this key to these recipients, and send to all of them again',
			},
			{
				displayName: 'Stop After Consecutive Failures',
				name: 'stopAfterConsecutiveFailures',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10,
				description:
					'After this many failed messages in a row, the remaining items fail without being sent (the gateway is down or the number is blocked). 0 never stops.',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: 60000,
				description:
					'How long to wait for the gateway to answer one request. A timeout is an uncertain failure: the message may have gone out.',
			},
			...doNotSendProperties,
			...guardrailProperties,
		] as INodeProperties[]
	).sort((a, b) => a.displayName.localeCompare(b.displayName)),
};

function nonNegative(
	ctx: IExecuteFunctions,
	raw: IDataObject,
	name: string,
	label: string,
	fallback: number,
	{ min = 0, max = Number.MAX_SAFE_INTEGER, integer = true } = {},
): number {
	const value = raw[name] === undefined || raw[name] === '' ? fallback : Number(raw[name]);
	if (
		!Number.isFinite(value) ||
		value < min ||
		value > max ||
		(integer && !Number.isInteger(value))
	) {
		throw invalidField(
			ctx,
			0,
			`Sending Options › ${label}`,
			`"${String(raw[name])}" must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}`,
		);
	}
	return value;
}

/**
 * Reads the collection once per execution: pacing is a property of the run, not of an item.
 * `fallbacks` stand in for options the user did not add (a campaign's default delay), without changing the
 * defaults of other operations.
 */
export function readSendingOptions(
	ctx: IExecuteFunctions,
	propertyName = 'sendingOptions',
	fallbacks: IDataObject = {},
): SendingOptions {
	const raw = { ...fallbacks, ...(ctx.getNodeParameter(propertyName, 0, {}) as IDataObject) };
	const d = DEFAULT_SENDING_OPTIONS;
	const mode = (raw.delayMode as string) ?? 'none';
	let delay: SendingOptions['delay'] = { mode: 'none' };
	if (mode === 'fixed') delay = { mode, ms: nonNegative(ctx, raw, 'delayMs', 'Delay (Ms)', 2000) };
	if (mode === 'random') {
		const minMs = nonNegative(ctx, raw, 'delayMinMs', 'Minimum Delay (Ms)', 3000);
		const maxMs = nonNegative(ctx, raw, 'delayMaxMs', 'Maximum Delay (Ms)', 8000);
		if (maxMs < minMs) {
			throw invalidField(
				ctx,
				0,
				'Sending Options › Maximum Delay (Ms)',
				`${maxMs} is below the minimum delay ${minMs}`,
			);
		}
		delay = { mode, minMs, maxMs };
	}
	const guardrails = readGuardrails(ctx, raw);
	const pace = choosePace(raw, ctx.getNode().type, ctx.getInputData().length);
	if (pace.pace !== 'custom') {
		const preset = PACE_PRESETS[pace.pace];
		delay = preset.delay;
		if (guardrails.limits.perMinute === 0) guardrails.limits.perMinute = preset.perMinute;
	}
	return {
		pace,
		guardrails,
		delay,
		messagesPerMinute: nonNegative(
			ctx,
			raw,
			'messagesPerMinute',
			'Messages Per Minute',
			d.messagesPerMinute,
			{ integer: false },
		),
		concurrency: nonNegative(ctx, raw, 'concurrency', 'Concurrency', d.concurrency, {
			min: 1,
			max: 20,
		}),
		maxAttempts: nonNegative(ctx, raw, 'maxAttempts', 'Max Attempts', d.maxAttempts, {
			min: 1,
			max: 10,
		}),
		retryBaseDelayMs: nonNegative(
			ctx,
			raw,
			'retryBaseDelayMs',
			'Retry Base Delay (Ms)',
			d.retryBaseDelayMs,
		),
		maxRetryWaitMs: d.maxRetryWaitMs,
		retryAmbiguous: raw.retryAmbiguous === true,
		stopAfterConsecutiveFailures: nonNegative(
			ctx,
			raw,
			'stopAfterConsecutiveFailures',
			'Stop After Consecutive Failures',
			d.stopAfterConsecutiveFailures,
		),
		timeoutMs: nonNegative(ctx, raw, 'timeoutMs', 'Timeout (Ms)', d.timeoutMs, { min: 100 }),
		resumeKey: readResumeKey(ctx, raw.resumeKey),
		resumeStartOver: raw.resumeStartOver === true,
		doNotSendTo: raw.doNotSendTo,
		doNotSendToSkipInvalid: raw.doNotSendToSkipInvalid === true,
	};
}

/** Keys are typed or built by expressions: anything printable, trimmed, of a sensible length. */
export function readResumeKey(
	ctx: IExecuteFunctions,
	raw: unknown,
	label = 'Sending Options › Resume Key',
): string {
	if (raw === undefined || raw === null) return '';
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw invalidField(ctx, 0, label, `must be text, not ${typeof raw}`);
	}
	const key = String(raw).trim();
	if (key.length > 200)
		throw invalidField(ctx, 0, label, `is ${key.length} characters long; use at most 200`);
	if ([...key].some((char) => char.charCodeAt(0) < 32))
		throw invalidField(ctx, 0, label, 'contains a control character (a line break?)');
	return key;
}
