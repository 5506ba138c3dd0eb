/**
 * The two checksums a PNG needs: CRC-32 over every chunk, Adler-32 at the end of its zlib stream. Written here
 * because node code may not import `zlib` (n8n's community-node rules).
 */

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 (ISO-HDLC, the one PNG and zip use) of the bytes given, in order. */
export function crc32(...parts: Uint8Array[]): number {
	let crc = 0xffffffff;
	for (const bytes of parts) {
		for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
	}
	return (crc ^ 0xffffffff) >>> 0;
}

/** Adler-32 (RFC 1950) of the bytes. */
export function adler32(bytes: Uint8Array): number {
	const MOD = 65521;
	let a = 1;
	let b = 0;
	// 5552 bytes is the longest run whose sums cannot overflow before the modulo (RFC 1950's NMAX).
	for (let start = 0; start < bytes.length; start += 5552) {
		const end = Math.min(start + 5552, bytes.length);
		for (let i = start; i < end; i++) {
			a += bytes[i];
			b += a;
		}
		a %= MOD;
		b %= MOD;
	}
	return ((b << 16) | a) >>> 0;
}
