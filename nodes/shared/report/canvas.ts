/** A picture in palette indices: filled rectangles and bitmap text, all a bar chart needs. */
import { GLYPH_ADVANCE, GLYPH_ROWS, GLYPH_WIDTH, glyph, textWidth } from './font';

/** Accents dropped (ã → a, é → e) so names in Portuguese or Spanish stay readable in the ASCII font. */
export function printable(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** The longest start of `text` that fits in `maxWidth` pixels at `scale`, ending in "..." when it was cut. */
export function fitText(text: string, scale: number, maxWidth: number): string {
	const chars = [...printable(text)];
	if (textWidth(chars.join(''), scale) <= maxWidth) return chars.join('');
	while (chars.length > 0 && textWidth(`${chars.join('')}...`, scale) > maxWidth) chars.pop();
	return `${chars.join('').trimEnd()}...`;
}

export class Canvas {
	readonly pixels: Uint8Array;

	constructor(
		readonly width: number,
		readonly height: number,
		background: number,
	) {
		this.pixels = new Uint8Array(width * height).fill(background);
	}

	/** Fills a rectangle, clipped to the picture. */
	fill(x: number, y: number, w: number, h: number, colour: number): void {
		const left = Math.max(0, Math.round(x));
		const top = Math.max(0, Math.round(y));
		const right = Math.min(this.width, Math.round(x + w));
		const bottom = Math.min(this.height, Math.round(y + h));
		for (let row = top; row < bottom; row++) {
			this.pixels.fill(colour, row * this.width + left, row * this.width + right);
		}
	}

	/** A one-pixel frame inside the rectangle. */
	frame(x: number, y: number, w: number, h: number, colour: number): void {
		this.fill(x, y, w, 1, colour);
		this.fill(x, y + h - 1, w, 1, colour);
		this.fill(x, y, 1, h, colour);
		this.fill(x + w - 1, y, 1, h, colour);
	}

	/** Text with its top left corner at (x, y), each font pixel a `scale`×`scale` square. Returns its width. */
	text(x: number, y: number, text: string, scale: number, colour: number): number {
		let left = x;
		for (const char of printable(text)) {
			const columns = glyph(char);
			for (let column = 0; column < GLYPH_WIDTH; column++) {
				for (let row = 0; row < GLYPH_ROWS; row++) {
					if ((columns[column] >> row) & 1)
						this.fill(left + column * scale, y + row * scale, scale, scale, colour);
				}
			}
			left += GLYPH_ADVANCE * scale;
		}
		return textWidth(printable(text), scale);
	}

	/** Text whose right edge is at `right`. */
	textRight(right: number, y: number, text: string, scale: number, colour: number): void {
		this.text(right - textWidth(printable(text), scale), y, text, scale, colour);
	}
}
