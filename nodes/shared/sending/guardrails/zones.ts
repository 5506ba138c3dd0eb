/**
 * Time-zone math without a dependency: `Intl.DateTimeFormat` says what a zone's wall clock reads at an instant,
 * and the recipient's zone comes from the calling code of their number.
 */

/** Where a country has several zones, the one most of its people live in (docs/keep-your-number-safe.md, "Send window"). */
const ZONE_BY_CALLING_CODE: Record<string, string> = {
	'1': 'America/New_York',
	'7': 'Europe/Moscow',
	'20': 'Africa/Cairo',
	'27': 'Africa/Johannesburg',
	'30': 'Europe/Athens',
	'31': 'Europe/Amsterdam',
	'32': 'Europe/Brussels',
	'33': 'Europe/Paris',
	'34': 'Europe/Madrid',
	'39': 'Europe/Rome',
	'44': 'Europe/London',
	'49': 'Europe/Berlin',
	'51': 'America/Lima',
	'52': 'America/Mexico_City',
	'54': 'America/Argentina/Buenos_Aires',
	'55': 'America/Sao_Paulo',
	'56': 'America/Santiago',
	'57': 'America/Bogota',
	'60': 'Asia/Kuala_Lumpur',
	'61': 'Australia/Sydney',
	'62': 'Asia/Jakarta',
	'63': 'Asia/Manila',
	'64': 'Pacific/Auckland',
	'65': 'Asia/Singapore',
	'66': 'Asia/Bangkok',
	'81': 'Asia/Tokyo',
	'82': 'Asia/Seoul',
	'84': 'Asia/Ho_Chi_Minh',
	'86': 'Asia/Shanghai',
	'90': 'Europe/Istanbul',
	'91': 'Asia/Kolkata',
	'92': 'Asia/Karachi',
	'94': 'Asia/Colombo',
	'95': 'Asia/Yangon',
	'98': 'Asia/Tehran',
	'212': 'Africa/Casablanca',
	'234': 'Africa/Lagos',
	'254': 'Africa/Nairobi',
	'351': 'Europe/Lisbon',
	'852': 'Asia/Hong_Kong',
	'880': 'Asia/Dhaka',
	'886': 'Asia/Taipei',
	'960': 'Indian/Maldives',
	'966': 'Asia/Riyadh',
	'971': 'Asia/Dubai',
	'973': 'Asia/Bahrain',
	'974': 'Asia/Qatar',
	'977': 'Asia/Kathmandu',
};

/** The zone of a number written as digits with its country code (`6281234567890`), or undefined. */
export function zoneOfNumber(digits: string): string | undefined {
	for (const length of [3, 2, 1]) {
		const zone = ZONE_BY_CALLING_CODE[digits.slice(0, length)];
		if (zone) return zone;
	}
	return undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			weekday: 'short',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(zone, formatter);
	}
	return formatter;
}

/** Whether `zone` is an IANA zone this runtime knows. */
export function isKnownZone(zone: string): boolean {
	try {
		formatterFor(zone);
		return true;
	} catch {
		return false;
	}
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface WallClock {
	/** 0 = Sunday. */
	weekday: number;
	/** Minutes since local midnight. */
	minuteOfDay: number;
	second: number;
	/** The local date as YYYY-MM-DD. */
	date: string;
}

/** What the wall clock in `zone` reads at `time` (ms since the epoch). */
export function wallClock(time: number, zone: string): WallClock {
	const parts: Record<string, string> = {};
	for (const part of formatterFor(zone).formatToParts(new Date(time)))
		parts[part.type] = part.value;
	return {
		weekday: WEEKDAYS.indexOf(parts.weekday),
		minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
		second: Number(parts.second),
		date: `${parts.year}-${parts.month}-${parts.day}`,
	};
}

/** Days from 1970-01-01 to a local date (YYYY-MM-DD): a day number that ignores zones. */
export function dayNumber(date: string): number {
	return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}
