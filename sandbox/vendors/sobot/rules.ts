/** Small checks shared by the Sobot sandbox's endpoints. */

export type Body = Record<string, unknown>;

/** A refusal: `status` is the HTTP status (Sobot often answers 200 and puts the real `code` in the body). */
export interface Refusal {
	status: number;
	code: number;
	message: string;
}

export function refuse(message: string, { status = 400, code = 400 } = {}): Refusal {
	return { status, code, message };
}

export function isText(value: unknown, max = Infinity): value is string {
	return typeof value === 'string' && value.trim() !== '' && value.length <= max;
}

export function optionalText(value: unknown, max: number): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.length <= max)
	);
}

export function isHttpUrl(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

export function digitsOf(value: unknown): string | undefined {
	const text = typeof value === 'number' ? String(value) : value;
	return typeof text === 'string' && /^\d{7,15}$/.test(text) ? text : undefined;
}

export function variableCount(text: string): number {
	return new Set([...text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((match) => match[1])).size;
}
