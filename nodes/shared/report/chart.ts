/**
 * The campaign's funnel as a PNG: horizontal bars from all recipients down to those who replied, each with its
 * count and its share of all recipients, and under them the lines that never got that far (failed, opted out,
 * held, not sent...). Drawn in palette colours with the bitmap font, so it needs nothing but this folder.
 */
import { Canvas, fitText } from './canvas';
import { encodePng } from './png';
import type { Rgb } from './png';
import type { CampaignSummary } from './summary';
import { percent } from './summary';

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 400;

export const PALETTE: Rgb[] = [
	[255, 255, 255], // 0 background
	[31, 41, 55], // 1 ink
	[107, 114, 128], // 2 muted text
	[241, 245, 249], // 3 bar track
	[226, 232, 240], // 4 rule, unknown stripes
	[100, 116, 139], // 5 recipients
	[14, 116, 144], // 6 attempted
	[8, 145, 178], // 7 accepted
	[5, 150, 105], // 8 delivered
	[16, 185, 129], // 9 read
	[52, 211, 153], // 10 replied
	[220, 38, 38], // 11 failed
	[124, 58, 237], // 12 opted out
	[217, 119, 6], // 13 held
	[75, 85, 99], // 14 not sent
	[156, 163, 175], // 15 skipped
	[202, 138, 4], // 16 uncertain
	[163, 163, 163], // 17 other
];
export const BACKGROUND = 0;
export const INK = 1;
const MUTED = 2;
export const TRACK = 3;
export const RULE = 4;

/** Where the parts sit, in pixels (so tests can look where the bars are). */
export const LAYOUT = {
	margin: 20,
	barLeft: 150,
	barWidth: 290,
	barHeight: 24,
	firstBarTop: 76,
	barPitch: 32,
	countRight: 540,
	percentRight: 620,
	ruleTop: 274,
	tileTop: 288,
	tilePitchY: 52,
	tileWidth: 150,
} as const;

export interface FunnelBar {
	label: string;
	value: number | null;
	colour: number;
}

export function funnelBars(summary: CampaignSummary): FunnelBar[] {
	return [
		{ label: 'Recipients', value: summary.recipients, colour: 5 },
		{ label: 'Attempted', value: summary.attempted, colour: 6 },
		{ label: 'Accepted', value: summary.accepted, colour: 7 },
		{ label: 'Delivered', value: summary.delivered, colour: 8 },
		{ label: 'Read', value: summary.read, colour: 9 },
		{ label: 'Replied', value: summary.replied, colour: 10 },
	];
}

function tiles(summary: CampaignSummary): FunnelBar[] {
	return [
		{ label: 'Failed', value: summary.failed, colour: 11 },
		{ label: 'Opted out', value: summary.optedOut, colour: 12 },
		{ label: 'Held', value: summary.held, colour: 13 },
		{ label: 'Not sent', value: summary.notSent, colour: 14 },
		{ label: 'Skipped', value: summary.skipped, colour: 15 },
		{ label: 'Uncertain', value: summary.uncertain, colour: 16 },
		{ label: 'Sent before', value: summary.alreadySent, colour: 7 },
		{ label: 'Other', value: summary.other, colour: 17 },
	];
}

/** The bar's length in pixels: proportional to the recipients, at least 2 when it is not zero. */
export function barLength(value: number, recipients: number): number {
	if (value <= 0 || recipients <= 0) return 0;
	return Math.max(2, Math.round((LAYOUT.barWidth * value) / recipients));
}

function subtitle(summary: CampaignSummary): string {
	const who = `% of ${summary.recipients} recipient${summary.recipients === 1 ? '' : 's'}`;
	if (summary.statusRows) return `${who} - ${summary.statusRows.matched} delivery statuses`;
	return summary.deliveryTracked
		? `${who} - statuses in the input`
		: `${who} - no delivery statuses given`;
}

export function drawFunnel(title: string, summary: CampaignSummary): Canvas {
	const canvas = new Canvas(CHART_WIDTH, CHART_HEIGHT, BACKGROUND);
	const { margin } = LAYOUT;
	canvas.text(margin, 16, fitText(title, 3, CHART_WIDTH - 2 * margin), 3, INK);
	canvas.text(margin, 48, fitText(subtitle(summary), 2, CHART_WIDTH - 2 * margin), 2, MUTED);

	funnelBars(summary).forEach((bar, index) => {
		const top = LAYOUT.firstBarTop + index * LAYOUT.barPitch;
		const textTop = top + (LAYOUT.barHeight - 14) / 2;
		canvas.text(margin, textTop, bar.label, 2, INK);
		canvas.fill(LAYOUT.barLeft, top, LAYOUT.barWidth, LAYOUT.barHeight, TRACK);
		if (bar.value === null) {
			// Unknown is not zero: a striped track and words instead of a number.
			for (let x = 0; x < LAYOUT.barWidth; x += 8)
				canvas.fill(LAYOUT.barLeft + x, top, 3, LAYOUT.barHeight, RULE);
			canvas.textRight(LAYOUT.percentRight, textTop, 'no data', 2, MUTED);
			return;
		}
		canvas.fill(
			LAYOUT.barLeft,
			top,
			barLength(bar.value, summary.recipients),
			LAYOUT.barHeight,
			bar.colour,
		);
		canvas.textRight(LAYOUT.countRight, textTop, String(bar.value), 2, INK);
		const share = percent(bar.value, summary.recipients);
		canvas.textRight(LAYOUT.percentRight, textTop, share === null ? '-' : `${share}%`, 2, MUTED);
	});

	canvas.fill(margin, LAYOUT.ruleTop, CHART_WIDTH - 2 * margin, 1, RULE);
	tiles(summary).forEach((tile, index) => {
		const left = margin + (index % 4) * LAYOUT.tileWidth;
		const top = LAYOUT.tileTop + Math.floor(index / 4) * LAYOUT.tilePitchY;
		canvas.fill(left, top + 3, 6, 16, tile.colour);
		canvas.text(left + 12, top, String(tile.value ?? '-'), 3, tile.value ? tile.colour : MUTED);
		canvas.text(left + 12, top + 26, tile.label, 2, MUTED);
	});
	return canvas;
}

export function funnelPng(title: string, summary: CampaignSummary): Uint8Array {
	const canvas = drawFunnel(title, summary);
	return encodePng(canvas.width, canvas.height, PALETTE, canvas.pixels);
}
