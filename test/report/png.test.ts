import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';

import { adler32, crc32 } from '../../nodes/shared/report/checksums';
import { zlibCompress } from '../../nodes/shared/report/deflate';
import { fitText, printable } from '../../nodes/shared/report/canvas';
import { GLYPH_WIDTH, glyph, textWidth } from '../../nodes/shared/report/font';
import { encodePng } from '../../nodes/shared/report/png';
import { decodePng, pixelAt } from './decodePng';

/** A deterministic pseudo-random byte source (no Math.random in tests that must repeat). */
function bytes(count: number, seed: number): Uint8Array {
	const out = new Uint8Array(count);
	let state = seed;
	for (let i = 0; i < count; i++) {
		state = (state * 1103515245 + 12345) & 0x7fffffff;
		out[i] = state >> 16;
	}
	return out;
}

describe('PNG without zlib: checksums, deflate, chunks', () => {
	test('CRC-32 and Adler-32 agree with zlib and RFC 1950 on text, random bytes and nothing', () => {
		for (const data of [
			new Uint8Array(0),
			Buffer.from('123456789'),
			bytes(70_000, 7),
			new Uint8Array(20_000).fill(255),
		]) {
			expect(crc32(data)).toBe(zlibCrc32(data));
		}
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
		expect(adler32(new Uint8Array(0))).toBe(1);
		// Long runs of 255 are where a missing modulo would overflow.
		const ones = new Uint8Array(1_000_000).fill(255);
		let a = 1;
		let b = 0;
		for (const byte of ones) {
			a = (a + byte) % 65521;
			b = (b + a) % 65521;
		}
		expect(adler32(ones)).toBe(((b << 16) | a) >>> 0);
	});

	test("zlib inflates our deflate back to the same bytes: runs, repeated rows, noise, lengths at every code's edge", () => {
		const row = 641;
		const picture = new Uint8Array(row * 50);
		for (let y = 0; y < 50; y++)
			for (let x = 0; x < row; x++) picture[y * row + x] = y % 7 === 0 ? (x * 13) & 0xff : x >> 6;
		const cases: Array<[Uint8Array, number]> = [
			[new Uint8Array(0), 10],
			[Uint8Array.from([42]), 1],
			[picture, row],
			[bytes(100_000, 3), 641],
			[new Uint8Array(70_000).fill(9), 641],
			// Runs of every length around the length codes' bases (3..258) and the window's edge.
			[
				Uint8Array.from(Array.from({ length: 300 }, (_, n) => Array(n).fill(n & 0xff)).flat()),
				32769,
			],
		];
		for (const [data, rowLength] of cases) {
			const stream = zlibCompress(data, rowLength);
			expect(Buffer.from(inflateSync(stream))).toEqual(Buffer.from(data));
		}
		// Flat runs and repeated rows shrink; the noisy rows (one in seven) stay about their size.
		expect(zlibCompress(picture, row).length).toBeLessThan(picture.length / 4);
	});

	test('an indexed PNG: signature, IHDR/PLTE/IDAT/IEND with valid CRCs, its pixels read back by an independent reader', () => {
		const width = 37;
		const height = 11;
		const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i % width) % 3);
		const file = Buffer.from(
			encodePng(
				width,
				height,
				[
					[255, 0, 0],
					[0, 255, 0],
					[0, 0, 255],
				],
				pixels,
			),
		);
		const png = decodePng(file);
		expect(png.chunks).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
		expect([png.width, png.height]).toEqual([width, height]);
		expect(Buffer.from(png.pixels)).toEqual(Buffer.from(pixels));
		expect(pixelAt(png, 2, 5)).toEqual([0, 0, 255]);
		expect(() => encodePng(2, 2, [], new Uint8Array(4))).toThrow(/palette/);
		expect(() => encodePng(2, 2, [[0, 0, 0]], new Uint8Array(3))).toThrow(/3 pixels/);
	});

	test('the font has a glyph for every printable ASCII character, and ? for anything else', () => {
		const blank = glyph(' ');
		expect(blank).toEqual([0, 0, 0, 0, 0]);
		for (let code = 33; code <= 126; code++) {
			const columns = glyph(String.fromCharCode(code));
			expect(columns).toHaveLength(GLYPH_WIDTH);
			expect(columns.some((column) => column !== 0)).toBe(true);
		}
		// Every glyph differs from every other (a table off by one column would repeat or shift them).
		const shapes = new Set(
			Array.from({ length: 95 }, (_, i) => glyph(String.fromCharCode(32 + i)).join(',')),
		);
		expect(shapes.size).toBe(95);
		expect(glyph('€')).toEqual(glyph('?'));
	});

	test('text that does not fit is cut with "...", accents are dropped, other scripts become ?', () => {
		expect(printable('São Paulo – Ação')).toBe('Sao Paulo – Acao');
		expect(fitText('short', 3, 600)).toBe('short');
		const long = 'order_update/diwali-offer-2026-mumbai-and-pune-and-delhi';
		const cut = fitText(long, 3, 600);
		expect(cut.endsWith('...')).toBe(true);
		expect(long.startsWith(cut.slice(0, -3))).toBe(true);
		expect(textWidth(cut, 3)).toBeLessThanOrEqual(600);
		expect(textWidth(`${cut.slice(0, -3)}x...`, 3)).toBeGreaterThan(600);
		expect(glyph('न')).toEqual(glyph('?'));
	});
});
