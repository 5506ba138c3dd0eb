/**
 * Warm-up: a new number starts at a few messages a day and grows by a factor each day up to the daily limit
 * (baileys-antiban: 20 a day, x1.8 a day, over about 7 days). Day 0 is the day of the sender's first recorded send.
 */
export interface WarmUp {
	startPerDay: number;
	growth: number;
}

/** Messages allowed on day `dayIndex` of the sender's life (0 = its first day). */
export function warmUpAllowance(warmUp: WarmUp, dayIndex: number, perDay: number): number {
	const grown = Math.floor(warmUp.startPerDay * Math.pow(warmUp.growth, Math.max(0, dayIndex)));
	return Math.min(perDay, Math.max(1, grown));
}

/** From this day on the allowance is the daily limit: days before it are all the warm-up needs to look back. */
export function warmUpDays(warmUp: WarmUp, perDay: number): number {
	let day = 0;
	while (warmUpAllowance(warmUp, day, perDay) < perDay && day < 366) day++;
	return day;
}
