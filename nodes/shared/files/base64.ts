/**
 * Base64 without holding a file twice: sizes computed from lengths, validation of text a user pasted, and
 * encoding of a byte stream chunk by chunk. Gateways that take files inside JSON (WAChatPro) use these so a
 * large file never exists as one big base64 string next to its bytes.
 */

const CANONICAL = /^[A-Za-z0-9+/]*={0,2}$/;

/** Characters of the base64 text for `bytes` bytes (with padding). */
export function base64Length(bytes: number): number {
	return Math.ceil(bytes / 3) * 4;
}

/** Bytes encoded by canonical base64 text (length a multiple of 4, padded). */
export function decodedLength(base64: string): number {
	if (base64.length === 0) return 0;
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return (base64.length / 4) * 3 - padding;
}

/** Whether text is base64 exactly as `Buffer.toString('base64')` writes it, so it can be sent as it is. */
export function isCanonicalBase64(text: string): boolean {
	return text.length % 4 === 0 && CANONICAL.test(text);
}

export class Base64Error extends Error {}

/**
 * Base64 a user typed or mapped, in canonical form: a `data:...;base64,` prefix, line breaks and spaces are
 * dropped, the URL-safe alphabet is accepted, and missing padding is added. Throws Base64Error saying where
 * the text goes wrong.
 */
export function normaliseBase64(input: string): string {
	let text = input.trim().replace(/^data:[^,]*;base64,/i, '');
	if (/\s/.test(text)) text = text.replace(/\s+/g, '');
	if (/[-_]/.test(text)) text = text.replace(/-/g, '+').replace(/_/g, '/');
	const bad = /[^A-Za-z0-9+/=]/.exec(text);
	if (bad)
		throw new Base64Error(
			`is not valid base64: character "${bad[0]}" at position ${bad.index + 1}`,
		);
	const unpadded = text.replace(/={1,2}$/, '');
	if (unpadded.includes('='))
		throw new Base64Error('is not valid base64: "=" padding may only end the text');
	if (unpadded.length % 4 === 1)
		throw new Base64Error(
			'is not valid base64: its length is impossible (one character too many or too few)',
		);
	return unpadded.length % 4 === 0 ? unpadded : unpadded + '='.repeat(4 - (unpadded.length % 4));
}

/**
 * Encodes a stream of byte chunks as base64 chunks. Chunk borders rarely fall on multiples of 3 bytes, so the
 * 1 or 2 leftover bytes of each chunk are carried into the next one; only the last chunk gets padding.
 */
export async function* encodeBase64Chunks(
	source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Buffer> {
	let carry = Buffer.alloc(0);
	for await (const chunk of source) {
		const bytes =
			carry.length > 0
				? Buffer.concat([carry, chunk])
				: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		const whole = bytes.length - (bytes.length % 3);
		if (whole > 0) yield Buffer.from(bytes.subarray(0, whole).toString('base64'), 'latin1');
		// A copy: the source may reuse its chunk buffer once we ask for the next one.
		carry = Buffer.from(bytes.subarray(whole));
	}
	if (carry.length > 0) yield Buffer.from(carry.toString('base64'), 'latin1');
}
