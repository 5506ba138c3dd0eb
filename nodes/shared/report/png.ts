/**
 * An indexed-colour PNG (colour type 3, 8 bits per pixel) from a palette and one palette index per pixel, written
 * without zlib (node code may not import it): our own deflate and checksums.
 */
import { crc32 } from './checksums';
import { zlibCompress } from './deflate';

export type Rgb = readonly [number, number, number];

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function uint32(value: number): number[] {
	return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function chunk(type: string, data: Uint8Array): Uint8Array {
	const name = Uint8Array.from(type, (c) => c.charCodeAt(0));
	const out = new Uint8Array(12 + data.length);
	out.set(uint32(data.length), 0);
	out.set(name, 4);
	out.set(data, 8);
	out.set(uint32(crc32(name, data)), 8 + data.length);
	return out;
}

/** `pixels[y * width + x]` is an index into `palette` (at most 256 colours). */
export function encodePng(
	width: number,
	height: number,
	palette: readonly Rgb[],
	pixels: Uint8Array,
): Uint8Array {
	if (palette.length === 0 || palette.length > 256)
		throw new RangeError(`a PNG palette holds 1 to 256 colours, not ${palette.length}`);
	if (pixels.length !== width * height)
		throw new RangeError(`${pixels.length} pixels for a ${width}×${height} picture`);
	// Every row starts with its filter type; 0 (none) keeps runs of one colour runs.
	const rowLength = width + 1;
	const raw = new Uint8Array(rowLength * height);
	for (let y = 0; y < height; y++)
		raw.set(pixels.subarray(y * width, (y + 1) * width), y * rowLength + 1);

	const header = Uint8Array.from([...uint32(width), ...uint32(height), 8, 3, 0, 0, 0]);
	const colours = Uint8Array.from(palette.flatMap((rgb) => [...rgb]));
	const parts = [
		Uint8Array.from(SIGNATURE),
		chunk('IHDR', header),
		chunk('PLTE', colours),
		chunk('IDAT', zlibCompress(raw, rowLength)),
		chunk('IEND', new Uint8Array(0)),
	];
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}
