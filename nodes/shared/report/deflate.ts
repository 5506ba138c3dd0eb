/**
 * A small zlib stream (RFC 1950/1951) for pictures made of flat colour: one block with DEFLATE's fixed Huffman
 * codes, whose only back-references are "the byte before" (a run of one colour) and "the row above" (a row like the
 * last). That is what a chart of bars and text repeats, so a 640×400 chart comes out at a few kilobytes instead of the
 * 256 kB that stored blocks would take. Node code may not import `zlib`; tests check the stream with it.
 */
import { adler32 } from './checksums';

const LENGTH_BASE = [
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
	163, 195, 227, 258,
];
const LENGTH_EXTRA = [
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE = [
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
	3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA = [
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const WINDOW = 32768;

class BitWriter {
	private bytes: number[] = [];
	private current = 0;
	private used = 0;

	/** Plain values (block header, extra bits) go in least significant bit first. */
	bits(value: number, count: number): void {
		for (let i = 0; i < count; i++) this.bit((value >>> i) & 1);
	}

	/** Huffman codes go in most significant bit first (RFC 1951 §3.1.1). */
	code(value: number, length: number): void {
		for (let i = length - 1; i >= 0; i--) this.bit((value >>> i) & 1);
	}

	private bit(bit: number): void {
		this.current |= bit << this.used;
		if (++this.used === 8) {
			this.bytes.push(this.current);
			this.current = 0;
			this.used = 0;
		}
	}

	finish(): number[] {
		if (this.used > 0) this.bytes.push(this.current);
		this.current = 0;
		this.used = 0;
		return this.bytes;
	}
}

/** A literal byte or the end-of-block / length symbol, with the fixed Huffman code of RFC 1951 §3.2.6. */
function literal(out: BitWriter, symbol: number): void {
	if (symbol < 144) out.code(0x30 + symbol, 8);
	else if (symbol < 256) out.code(0x190 + symbol - 144, 9);
	else if (symbol < 280) out.code(symbol - 256, 7);
	else out.code(0xc0 + symbol - 280, 8);
}

function lastIndexAtMost(table: number[], value: number): number {
	let index = table.length - 1;
	while (table[index] > value) index--;
	return index;
}

function match(out: BitWriter, length: number, distance: number): void {
	const lengthCode = lastIndexAtMost(LENGTH_BASE, length);
	literal(out, 257 + lengthCode);
	out.bits(length - LENGTH_BASE[lengthCode], LENGTH_EXTRA[lengthCode]);
	const distanceCode = lastIndexAtMost(DISTANCE_BASE, distance);
	out.code(distanceCode, 5);
	out.bits(distance - DISTANCE_BASE[distanceCode], DISTANCE_EXTRA[distanceCode]);
}

function matchLength(data: Uint8Array, at: number, distance: number): number {
	if (distance > at || distance > WINDOW) return 0;
	const limit = Math.min(MAX_MATCH, data.length - at);
	let length = 0;
	while (length < limit && data[at + length] === data[at + length - distance]) length++;
	return length;
}

/** `data` as a zlib stream; `rowLength` is the distance to the same byte in the row above. */
export function zlibCompress(data: Uint8Array, rowLength: number): Uint8Array {
	const out = new BitWriter();
	out.bits(1, 1); // the last block
	out.bits(1, 2); // fixed Huffman codes
	let at = 0;
	while (at < data.length) {
		const run = matchLength(data, at, 1);
		const above = matchLength(data, at, rowLength);
		const [length, distance] = above > run ? [above, rowLength] : [run, 1];
		if (length >= MIN_MATCH) {
			match(out, length, distance);
			at += length;
		} else {
			literal(out, data[at]);
			at += 1;
		}
	}
	literal(out, 256);
	const body = out.finish();
	const checksum = adler32(data);
	// 0x78 0x01: deflate with a 32 kB window, no dictionary, "fastest" (the header's check bits make it divisible by 31).
	return Uint8Array.from([
		0x78,
		0x01,
		...body,
		(checksum >>> 24) & 0xff,
		(checksum >>> 16) & 0xff,
		(checksum >>> 8) & 0xff,
		checksum & 0xff,
	]);
}
