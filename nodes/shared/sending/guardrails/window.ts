/**
 * The send window: periods of the week (days and a from-to time of day) in one time zone. A period whose end is
 * before its start runs past midnight into the next day (Friday 22:00-06:00 ends on Saturday morning); equal
 * start and end mean the whole day. Pure functions of an instant, so tests inject the clock.
 */
import { wallClock } from './zones';

export interface WindowPeriod {
	/** 0 = Sunday … 6 = Saturday: the days a period starts on. */
	days: number[];
	/** Minutes since local midnight. */
	from: number;
	to: number;
}

export const DAY_NAMES = [
	'sunday',
	'monday',
	'tuesday',
	'wednesday',
	'thursday',
	'friday',
	'saturday',
] as const;

/** "HH:MM" (24-hour; "24:00" as an end) to minutes since midnight, or undefined when it is not a time. */
export function parseTimeOfDay(text: string): number | undefined {
	const match = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
	if (!match) return undefined;
	const hours = Number(match[1]);
	const minutes = Number(match[2]);
	if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return undefined;
	return hours * 60 + minutes;
}

const MINUTES_A_DAY = 1440;

function openAt(periods: WindowPeriod[], weekday: number, minute: number): boolean {
	const yesterday = (weekday + 6) % 7;
	return periods.some((p) => {
		if (p.from === p.to || (p.from === 0 && p.to === MINUTES_A_DAY))
			return p.days.includes(weekday);
		if (p.from < p.to) return p.days.includes(weekday) && minute >= p.from && minute < p.to;
		return (
			(p.days.includes(weekday) && minute >= p.from) ||
			(p.days.includes(yesterday) && minute < p.to)
		);
	});
}

export function isOpen(periods: WindowPeriod[], zone: string, time: number): boolean {
	const clock = wallClock(time, zone);
	return openAt(periods, clock.weekday, clock.minuteOfDay);
}

/**
 * The first instant at or after `time` when the window is open (to the minute), or undefined when it never opens.
 * Jumps from period start to period start on the local clock; a daylight-saving shift makes a jump land an hour
 * off, which the next round corrects.
 */
export function nextOpening(
	periods: WindowPeriod[],
	zone: string,
	time: number,
): number | undefined {
	if (!periods.some((p) => p.days.length > 0)) return undefined;
	let candidate = time;
	for (let round = 0; round < 50; round++) {
		const clock = wallClock(candidate, zone);
		if (openAt(periods, clock.weekday, clock.minuteOfDay)) return candidate;
		let jump = Number.POSITIVE_INFINITY;
		for (const period of periods) {
			for (let ahead = 0; ahead <= 7; ahead++) {
				if (!period.days.includes((clock.weekday + ahead) % 7)) continue;
				const minutes = ahead * MINUTES_A_DAY + period.from - clock.minuteOfDay;
				if (minutes > 0) jump = Math.min(jump, minutes);
			}
		}
		if (!Number.isFinite(jump)) jump = 1;
		// To the start of that minute on the local clock.
		candidate = candidate - (candidate % 1000) - clock.second * 1000 + jump * 60_000;
	}
	return undefined;
}
