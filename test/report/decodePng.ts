/**
 * An independent PNG reader for the tests: chunks parsed and each CRC checked with node's zlib, the image data
 * inflated with zlib (the node's own deflate is what is under test), rows unfiltered. Only what the chart uses
 * (8-bit palette) is accepted; anything else fails the test.
 */
import { crc32, inflateSync } from 'node:zlib';

export interface DecodedPng {
	width: number;
	height: number;
	palette: Array<[number, number, number]>;
	/** Palette index per pixel, row by row. */
	pixels: Uint8Array;
	chunks: string[];
	/** Bytes of the zlib stream (IDAT). */
	compressedBytes: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(file: Buffer): DecodedPng {
	if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: wrong signature');
	const chunks: string[] = [];
	let header: Buffer | undefined;
	let palette: Array<[number, number, number]> = [];
	const data: Buffer[] = [];
	let offset = 8;
	while (offset < file.length) {
		const length = file.readUInt32BE(offset);
		const type = file.toString('latin1', offset + 4, offset + 8);
		const body = file.subarray(offset + 8, offset + 8 + length);
		const stored = file.readUInt32BE(offset + 8 + length);
		const computed = crc32(file.subarray(offset + 4, offset + 8 + length));
		if (stored !== computed)
			throw new Error(
				`chunk ${type}: CRC ${stored.toString(16)}, computed ${computed.toString(16)}`,
			);
		chunks.push(type);
		if (type === 'IHDR') header = Buffer.from(body);
		if (type === 'PLTE') {
			palette = [];
			for (let i = 0; i < body.length; i += 3) palette.push([body[i], body[i + 1], body[i + 2]]);
		}
		if (type === 'IDAT') data.push(Buffer.from(body));
		offset += 12 + length;
		if (type === 'IEND') break;
	}
	if (offset !== file.length) throw new Error(`${file.length - offset} bytes after IEND`);
	if (!header) throw new Error('no IHDR');
	const width = header.readUInt32BE(0);
	const height = header.readUInt32BE(4);
	const [bitDepth, colourType, compression, filter, interlace] = header.subarray(8);
	if (bitDepth !== 8 || colourType !== 3 || compression !== 0 || filter !== 0 || interlace !== 0)
		throw new Error(`unexpected IHDR ${header.toString('hex')}`);
	const zlibStream = Buffer.concat(data);
	const raw = inflateSync(zlibStream);
	if (raw.length !== (width + 1) * height)
		throw new Error(`inflated ${raw.length} bytes for ${width}×${height}`);
	const pixels = new Uint8Array(width * height);
	for (let y = 0; y < height; y++) {
		const row = raw.subarray(y * (width + 1), (y + 1) * (width + 1));
		if (row[0] !== 0) throw new Error(`row ${y}: filter ${row[0]}, this reader knows only 0`);
		pixels.set(row.subarray(1), y * width);
	}
	for (const index of pixels)
		if (index >= palette.length) throw new Error(`pixel index ${index} beyond the palette`);
	return { width, height, palette, pixels, chunks, compressedBytes: zlibStream.length };
}

export function pixelAt(png: DecodedPng, x: number, y: number): [number, number, number] {
	return png.palette[png.pixels[y * png.width + x]];
}

/** How many pixels from x to the right share the colour at x, on row y. */
export function runLength(png: DecodedPng, x: number, y: number): number {
	const colour = png.pixels[y * png.width + x];
	let length = 0;
	while (x + length < png.width && png.pixels[y * png.width + x + length] === colour) length++;
	return length;
}
