import { readFileSync } from 'node:fs';

/** User + system CPU of a process, ms (clock ticks are 100 a second on Linux). */
export function processCpuMs(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}
