/**
 * The guardrail fields of "Sending Options" (pace presets, sender limits, warm-up, send window) and their reading.
 * Sorted into the collection by options.ts; each is refused with the field's name when it makes no sense.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../execution/items';
import type { SenderLimits } from './limits';
import type { PaceName } from './presets';
import { BULK_ITEMS, hoursFor, PACE_NOTICE } from './presets';
import type { WindowPeriod } from './window';
import { DAY_NAMES, parseTimeOfDay } from './window';
import { isKnownZone } from './zones';

/**
 * Send and Wait for Reply sends one message and waits for its answer: it cannot hold, so it has no window or
 * hourly and daily limits (its per-minute limit and pace still apply).
 */
const SEND_AND_WAIT = 'sendAndWaitForReply';
const NOT_IN_SEND_AND_WAIT = { hide: { '/operation': [SEND_AND_WAIT] } };

const capitalised = (day: string) => day[0].toUpperCase() + day.slice(1);

export const guardrailProperties: INodeProperties[] = [
	{
		displayName: 'Pace',
		name: 'pace',
		type: 'options',
		options: [
			{
				name: 'Cautious',
				value: 'cautious',
				description: `A random 30-60 s between messages, at most 2 a minute for this sender (WAHA's advice): 1,000 messages in about ${Math.round(hoursFor(1000, 'cautious'))} hours`,
			},
			{
				name: 'Moderate',
				value: 'moderate',
				description: `9-12.5 s between messages, at most 8 a minute for this sender (baileys-antiban's defaults): 1,000 messages in about ${hoursFor(1000, 'moderate').toFixed(0)} hours`,
			},
			{
				name: 'Custom',
				value: 'custom',
				description:
					'The Delay Between Messages and Messages Per Minute options; with neither, as fast as the gateway answers',
			},
		],
		default: 'moderate',
		description: `How fast messages go out. Not set: Profilora and WAChatPro send more than ${BULK_ITEMS} messages at the Moderate pace, fewer at once; a delay or Messages Per Minute option set means Custom.`,
	},
	{
		displayName: 'Sender Limit Per Minute',
		name: 'senderLimitPerMinute',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			"At most this many messages a minute from this sender, counted across every execution of this workflow and every queue worker (messages go out at least 60/N s apart). Other workflows' sends are not counted. 0: the pace's own (Cautious 2, Moderate 8), or none.",
	},
	{
		displayName: 'Sender Limit Per Hour',
		name: 'senderLimitPerHour',
		displayOptions: NOT_IN_SEND_AND_WAIT,
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'At most this many messages per clock hour from this sender, across executions of this workflow (baileys-antiban: 200). When it is reached the rest come out on the Held output. 0 means no limit.',
	},
	{
		displayName: 'Sender Limit Per Day',
		name: 'senderLimitPerDay',
		displayOptions: NOT_IN_SEND_AND_WAIT,
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			"At most this many messages per day (the workflow's time zone) from this sender, across executions of this workflow (baileys-antiban: 1,500). When it is reached the rest come out on the Held output. 0 means no limit.",
	},
	{
		displayName: 'Warm-Up: Messages on the First Day',
		name: 'warmUpStartPerDay',
		displayOptions: NOT_IN_SEND_AND_WAIT,
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			"A new number's daily allowance on the day of its first recorded send (baileys-antiban: 20), growing each day by the factor below up to Sender Limit Per Day, which it needs. 0 means no warm-up.",
	},
	{
		displayName: 'Warm-Up: Daily Growth',
		name: 'warmUpGrowth',
		displayOptions: NOT_IN_SEND_AND_WAIT,
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 2 },
		default: 1.8,
		description: 'Factor by which the warm-up allowance grows each day (baileys-antiban: 1.8)',
	},
	{
		displayName: 'Send Window',
		name: 'sendWindow',
		displayOptions: NOT_IN_SEND_AND_WAIT,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add period',
		default: {},
		description:
			'When messages may go out. Outside every period nothing is sent: the rest come out on the Held output, for a Wait node to bring back here when the window opens.',
		options: [
			{
				displayName: 'Period',
				name: 'periods',
				values: [
					{
						displayName: 'Days',
						name: 'days',
						type: 'multiOptions',
						options: DAY_NAMES.map((day) => ({ name: capitalised(day), value: day })),
						default: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
						description: 'The days a period starts on',
					},
					{
						displayName: 'From',
						name: 'from',
						type: 'string',
						default: '09:00',
						placeholder: 'HH:MM',
						description: 'Time of day the period starts (24-hour clock)',
					},
					{
						displayName: 'To',
						name: 'to',
						type: 'string',
						default: '20:00',
						placeholder: 'HH:MM',
						description:
							'Time of day the period ends. Before From: it ends the next day (22:00 to 06:00). Equal to From: the whole day.',
					},
				],
			},
		],
	},
	{
		displayName: 'Send Window Time Zone',
		name: 'windowTimezone',
		displayOptions: NOT_IN_SEND_AND_WAIT,
		type: 'options',
		options: [
			{ name: "The Workflow's", value: 'workflow' },
			{ name: 'A Named Zone', value: 'named' },
			{
				name: "The Recipient's",
				value: 'recipient',
				description:
					"From the number's country code (one zone per country, the package's docs/keep-your-number-safe.md lists them), or Recipient Time Zone",
			},
		],
		default: 'workflow',
	},
	{
		displayName: 'Time Zone Name',
		name: 'timezoneName',
		displayOptions: NOT_IN_SEND_AND_WAIT,
		type: 'string',
		default: '',
		placeholder: 'e.g. Asia/Jakarta',
		description: 'With A Named Zone: an IANA time zone',
	},
	{
		displayName: 'Recipient Time Zone',
		name: 'recipientTimezone',
		displayOptions: NOT_IN_SEND_AND_WAIT,
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.timezone }}',
		description:
			"With The Recipient's: an IANA zone per item that overrides the one from the country code (countries with several zones, groups)",
	},
];

export interface SendWindow {
	periods: WindowPeriod[];
	zone: 'workflow' | 'named' | 'recipient';
	/** The zone for `workflow` and `named`. */
	zoneName: string;
}

export interface Guardrails {
	pace?: PaceName;
	limits: SenderLimits;
	window?: SendWindow;
}

const field = (label: string) => `Sending Options › ${label}`;

function count(ctx: IExecuteFunctions, raw: IDataObject, name: string, label: string): number {
	const value = raw[name] === undefined || raw[name] === '' ? 0 : Number(raw[name]);
	if (!Number.isInteger(value) || value < 0)
		throw invalidField(
			ctx,
			0,
			field(label),
			`"${String(raw[name])}" must be a whole number from 0 up`,
		);
	return value;
}

function readWindow(ctx: IExecuteFunctions, raw: IDataObject): SendWindow | undefined {
	const periodsRaw = ((raw.sendWindow as IDataObject | undefined)?.periods ?? []) as IDataObject[];
	if (!Array.isArray(periodsRaw) || periodsRaw.length === 0) return undefined;
	const periods = periodsRaw.map((period, place) => {
		const label = field(`Send Window › Period ${place + 1}`);
		const days = (Array.isArray(period.days) ? period.days : []).map((day) =>
			DAY_NAMES.indexOf(String(day).toLowerCase() as (typeof DAY_NAMES)[number]),
		);
		if (days.length === 0 || days.some((day) => day < 0))
			throw invalidField(ctx, 0, `${label} › Days`, 'choose at least one day of the week');
		const from = parseTimeOfDay(String(period.from ?? '09:00'));
		const to = parseTimeOfDay(String(period.to ?? '20:00'));
		if (from === undefined || from === 1440)
			throw invalidField(
				ctx,
				0,
				`${label} › From`,
				`"${String(period.from)}" is not a time of day like 09:00`,
			);
		if (to === undefined)
			throw invalidField(
				ctx,
				0,
				`${label} › To`,
				`"${String(period.to)}" is not a time of day like 20:00`,
			);
		return { days, from, to };
	});
	const zone = String(raw.windowTimezone ?? 'workflow');
	if (!['workflow', 'named', 'recipient'].includes(zone))
		throw invalidField(ctx, 0, field('Send Window Time Zone'), `"${zone}" is not a choice`);
	let zoneName = ctx.getTimezone();
	if (zone === 'named') {
		zoneName = String(raw.timezoneName ?? '').trim();
		if (!zoneName)
			throw invalidField(
				ctx,
				0,
				field('Time Zone Name'),
				'is empty; give an IANA zone like Asia/Jakarta',
			);
		if (!isKnownZone(zoneName))
			throw invalidField(ctx, 0, field('Time Zone Name'), `"${zoneName}" is not an IANA time zone`);
	}
	return { periods, zone: zone as SendWindow['zone'], zoneName };
}

/** Reads the guardrail fields of the run (item 0's values: like pacing, they belong to the run). */
export function readGuardrails(ctx: IExecuteFunctions, given: IDataObject): Guardrails {
	const raw = { ...given };
	if (ctx.getNodeParameter('operation', 0, '') === SEND_AND_WAIT) {
		for (const name of [
			'senderLimitPerHour',
			'senderLimitPerDay',
			'warmUpStartPerDay',
			'sendWindow',
		])
			delete raw[name];
	}
	const limits: SenderLimits = {
		perMinute: count(ctx, raw, 'senderLimitPerMinute', 'Sender Limit Per Minute'),
		perHour: count(ctx, raw, 'senderLimitPerHour', 'Sender Limit Per Hour'),
		perDay: count(ctx, raw, 'senderLimitPerDay', 'Sender Limit Per Day'),
	};
	const start = count(ctx, raw, 'warmUpStartPerDay', 'Warm-Up: Messages on the First Day');
	if (start > 0) {
		const growth = raw.warmUpGrowth === undefined ? 1.8 : Number(raw.warmUpGrowth);
		if (!Number.isFinite(growth) || growth < 1 || growth > 10)
			throw invalidField(
				ctx,
				0,
				field('Warm-Up: Daily Growth'),
				`"${String(raw.warmUpGrowth)}" must be a number from 1 to 10`,
			);
		if (limits.perDay === 0)
			throw invalidField(
				ctx,
				0,
				field('Warm-Up: Messages on the First Day'),
				'needs Sender Limit Per Day, the allowance it grows to',
			);
		if (start > limits.perDay)
			throw invalidField(
				ctx,
				0,
				field('Warm-Up: Messages on the First Day'),
				`${start} is above Sender Limit Per Day (${limits.perDay})`,
			);
		limits.warmUp = { startPerDay: start, growth };
	}
	const pace = raw.pace === undefined ? undefined : String(raw.pace);
	if (pace !== undefined && !['cautious', 'moderate', 'custom'].includes(pace))
		throw invalidField(ctx, 0, field('Pace'), `"${pace}" is not a choice`);
	return { pace: pace as PaceName | undefined, limits, window: readWindow(ctx, raw) };
}

/** Whether a run may hold items (and so shows the Held output): a window, or an hourly or daily limit. */
const options = '($parameter.sendingOptions || {})';
export const HOLD_OUTPUT_CONDITION = `((${options}.sendWindow || {}).periods || []).length > 0 || ${options}.senderLimitPerHour > 0 || ${options}.senderLimitPerDay > 0`;

/** Shown by the bulk sends of Profilora and WAChatPro: what the default pace means for a campaign. */
export const paceNoticeProperty: INodeProperties = {
	displayName: PACE_NOTICE,
	name: 'paceNotice',
	type: 'notice',
	default: '',
};
