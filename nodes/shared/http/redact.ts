/**
 * Secret scrubbing. Every gateway error and every echoed request body passes through here before it can
 * reach an output item, an error message, a log line or n8n's execution data. WAChatPro carries its key in
 * the JSON body, so an error page that echoes the request would otherwise leak it.
 */

export const REDACTED = '[redacted]';

/** Field names whose values are always secret, wherever they appear in an echoed body. */
const SECRET_FIELD =
	/^(key|secret|api[-_]?key|api[-_]?secret|x-api-key|x-api-secret|authorization|password|token)$/i;

/** Secrets shorter than this are not scrubbed by value: "1" would shred every number in a message. */
const MIN_SECRET_LENGTH = 4;

export function redactText(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
		result = result.split(secret).join(REDACTED);
		// Basic auth and URL-encoded echoes of the same secret.
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret) result = result.split(encoded).join(REDACTED);
	}
	// `"key":"..."` in an echoed JSON body, whatever the key's value was.
	result = result.replace(
		/("(?:key|secret|api_?key|api_?secret|x-api-key|x-api-secret)"\s*:\s*)"[^"]*"/gi,
		`$1"${REDACTED}"`,
	);
	result = result.replace(/(Basic|Bearer)\s+[A-Za-z0-9+/=._-]{6,}/g, `$1 ${REDACTED}`);
	return result;
}

/** Deep copy of a parsed body with secret fields and secret values replaced. */
export function redactValue<T>(value: T, secrets: readonly string[], depth = 0): T {
	if (depth > 20) return value;
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1)) as T;
	if (value !== null && typeof value === 'object') {
		const copy: Record<string, unknown> = {};
		for (const [field, inner] of Object.entries(value as Record<string, unknown>)) {
			copy[field] =
				SECRET_FIELD.test(field) && typeof inner === 'string'
					? REDACTED
					: redactValue(inner, secrets, depth + 1);
		}
		return copy as T;
	}
	return value;
}

/** The credential values worth scrubbing: every string field except the base URL. */
export function secretsOf(
	credentials: Record<string, unknown>,
	publicFields: readonly string[] = ['baseUrl'],
): string[] {
	return Object.entries(credentials)
		.filter(([field, value]) => !publicFields.includes(field) && typeof value === 'string')
		.map(([, value]) => value as string);
}
