import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { WaChatPro } from '../../nodes/WaChatPro/WaChatPro.node';
import {
	BACKGROUND,
	CHART_HEIGHT,
	CHART_WIDTH,
	INK,
	LAYOUT,
	PALETTE,
	RULE,
	TRACK,
	barLength,
} from '../../nodes/shared/report/chart';
import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import { statusesFor } from '../../sandbox/vendors/sobot';
import { runNode } from '../harness/engine';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { runSobot } from '../sobot/helpers';
import { waChatProCredentials } from '../wachatpro/helpers';
import type { DecodedPng } from './decodePng';
import { pixelAt, runLength } from './decodePng';
import { chartOf, runReport } from './helpers';

const ctx = useSandbox();

/** A value as an expression hands it over (one JSON value per line, so no `}}` ends the expression early). */
const expression = (value: unknown) => `={{ ${JSON.stringify(value, null, 1)} }}`;

/** The delivery example's customers: by the sandbox's rules read, read, delivered, sent only, failed, refused, twice. */
const CUSTOMERS: IDataObject[] = [
	{ mobile: '+91 98123 45601', name: 'Priya' },
	{ mobile: '919812345602', name: 'Arjun' },
	{ mobile: '+91 98123 45777', name: 'Kavya' },
	{ mobile: '+91 98123 45888', name: 'Rohan' },
	{ mobile: '+91 98123 45999', name: 'Sana' },
	{ mobile: '+91 98123 40000', name: 'Meera' },
	{ mobile: '098123 45601', name: 'Priya again' },
	{ mobile: 'not a number', name: 'Typo' },
];

const CAMPAIGN = {
	recipient: '={{ $json.mobile }}',
	customerName: '={{ $json.name }}',
	defaultCountryCode: '91',
	template: { __rl: true, mode: 'list', value: 'order_update' },
	campaignName: 'report-test',
	bodyParameters: {
		parameter: [{ text: '={{ $json.name }}' }, { text: 'A-1' }, { text: 'Monday' }],
	},
};

async function campaignLines(): Promise<INodeExecutionData[]> {
	const result = await runSobot(ctx.sandbox, 'campaign', 'send', CAMPAIGN, {
		items: CUSTOMERS.map((json) => ({ json })),
	});
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(CUSTOMERS.length);
	return result.items;
}

/** The status rows the delivery example's workflow 2 logs for what the sandbox accepted, by the sandbox's own rules. */
function statusRowsFromSandbox(): IDataObject[] {
	return ctx.sandbox.sobot.sent.flatMap((message) =>
		statusesFor(message.to).map((status) => ({ messageId: message.id, status })),
	);
}

const rowCentre = (bar: number) =>
	LAYOUT.firstBarTop + bar * LAYOUT.barPitch + Math.floor(LAYOUT.barHeight / 2);

/** What the chart shows on one funnel row: the bar's length in its own colour, or stripes for "unknown". */
function barOnChart(png: DecodedPng, bar: number): { length: number; striped: boolean } {
	const y = rowCentre(bar);
	const start = png.pixels[y * png.width + LAYOUT.barLeft];
	if (start === TRACK) return { length: 0, striped: false };
	if (start === RULE)
		return { length: 0, striped: png.pixels[y * png.width + LAYOUT.barLeft + 4] === TRACK };
	return { length: runLength(png, LAYOUT.barLeft, y), striped: false };
}

describe('Campaign › Report', () => {
	test('a Sobot campaign against the sandbox, then the report: one item for all lines, counts and rates as the sandbox saw them', async () => {
		const lines = await campaignLines();
		const result = await runReport(lines);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const [report] = result.items;
		expect(report.pairedItem).toEqual(lines.map((_, item) => ({ item })));

		// What the sandbox took, and what the node refused or skipped before any request, by the input's design.
		const accepted = ctx.sandbox.sobot.sent.length;
		expect(accepted).toBe(5);
		expect(report.json).toMatchObject({
			title: 'order_update/report-test',
			campaigns: ['order_update/report-test'],
			recipients: 8,
			attempted: accepted + 2,
			accepted,
			// Without delivery statuses these are unknown, not zero.
			delivered: null,
			read: null,
			replied: null,
			failed: 2,
			sendFailed: 2,
			deliveryFailed: null,
			awaitingStatus: null,
			skipped: 1,
			optedOut: 0,
			held: 0,
			notSent: 0,
			uncertain: 0,
			other: 0,
			alreadySent: 0,
			deliveryTracked: false,
			statusRows: null,
			otherStatuses: {},
		});
		expect(report.json.rates).toEqual({
			acceptedOfAttempted: 71.4,
			failedOfAttempted: 28.6,
			deliveredOfAccepted: null,
			readOfDelivered: null,
			repliedOfDelivered: null,
			optedOutOfRecipients: 0,
			heldOfRecipients: 0,
			notSentOfRecipients: 0,
		});

		const { binary, bytes, png } = await chartOf(result);
		expect(binary).toMatchObject({
			fileName: 'campaign-report.png',
			mimeType: 'image/png',
			fileExtension: 'png',
		});
		expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
		expect(bytes.length).toBeLessThan(20_000);
		expect(png.palette.slice(0, PALETTE.length)).toEqual(PALETTE.map((rgb) => [...rgb]));
		// Recipients, Attempted, Accepted drawn to scale; Delivered, Read, Replied striped as unknown.
		expect(barOnChart(png, 0)).toEqual({ length: LAYOUT.barWidth, striped: false });
		expect(barOnChart(png, 1)).toEqual({ length: barLength(7, 8), striped: false });
		expect(barOnChart(png, 2)).toEqual({ length: barLength(5, 8), striped: false });
		for (const bar of [3, 4, 5]) expect(barOnChart(png, bar)).toEqual({ length: 0, striped: true });
		// Each stage its own colour, and words beside the bars (ink in the label and count columns).
		const colours = [0, 1, 2].map((bar) => png.pixels[rowCentre(bar) * png.width + LAYOUT.barLeft]);
		expect(new Set(colours).size).toBe(3);
		const inkIn = (x0: number, x1: number, y0: number, y1: number) => {
			let count = 0;
			for (let y = y0; y < y1; y++)
				for (let x = x0; x < x1; x++) if (png.pixels[y * png.width + x] === INK) count++;
			return count;
		};
		expect(
			inkIn(
				LAYOUT.margin,
				LAYOUT.barLeft,
				LAYOUT.firstBarTop,
				LAYOUT.firstBarTop + LAYOUT.barHeight,
			),
		).toBeGreaterThan(40);
		expect(
			inkIn(
				LAYOUT.countRight - 40,
				LAYOUT.countRight,
				LAYOUT.firstBarTop,
				LAYOUT.firstBarTop + LAYOUT.barHeight,
			),
		).toBeGreaterThan(20);
		expect(inkIn(0, CHART_WIDTH, 0, 40)).toBeGreaterThan(200); // the title
		expect(pixelAt(png, CHART_WIDTH - 1, CHART_HEIGHT - 1)).toEqual([...PALETTE[BACKGROUND]]);
	});

	test('with delivery statuses: matched by message id, replies counted, every row that cannot be used counted by why', async () => {
		const lines = await campaignLines();
		const byNumber = new Map(ctx.sandbox.sobot.sent.map((m) => [m.to, m.id]));
		const rows: IDataObject[] = [
			...statusRowsFromSandbox(),
			// The Sobot Trigger's item for Priya answering the template (its replyTo is our message's id).
			{
				service: 'sobot',
				event: 'message',
				replyTo: byNumber.get('919812345601'),
				text: 'Thanks!',
			},
			{ service: 'sobot', event: 'message', replyTo: null, text: 'Hello' },
			{ messageId: 'wamid.of-another-campaign', status: 'read' },
			{ status: 'read' },
			{ messageId: byNumber.get('919812345602') },
			{ messageId: byNumber.get('919812345602'), status: 'deleted' },
		];
		// The sandbox's rules: for each accepted message the statuses it posts, the last being where it ends.
		const ends = ctx.sandbox.sobot.sent.map((m) => statusesFor(m.to).at(-1));
		const delivered = ends.filter((s) => s === 'delivered' || s === 'read').length;
		const read = ends.filter((s) => s === 'read').length;
		const failed = ends.filter((s) => s === 'failed').length;
		expect([delivered, read, failed]).toEqual([3, 2, 1]);

		const result = await runReport(lines, {
			title: 'Order updates — São Paulo',
			// Handed over as an expression would: a list of objects.
			deliveryStatuses: expression(rows),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			title: 'Order updates — São Paulo',
			recipients: 8,
			attempted: 7,
			accepted: 5,
			delivered,
			read,
			replied: 1,
			deliveryFailed: failed,
			sendFailed: 2,
			failed: 2 + failed,
			awaitingStatus: 5 - delivered - failed,
			deliveryTracked: true,
			statusRows: {
				rows: rows.length,
				matched: statusRowsFromSandbox().length + 1,
				unmatched: 1,
				withoutMessageId: 2,
				withoutStatus: 1,
				unknownStatuses: { deleted: 1 },
			},
		});
		expect(result.items[0].json.rates).toMatchObject({
			deliveredOfAccepted: 60,
			readOfDelivered: 66.7,
			repliedOfDelivered: 33.3,
			failedOfAttempted: 42.9,
		});
		const { png } = await chartOf(result);
		const values = [8, 7, 5, delivered, read, 1];
		values.forEach((value, bar) =>
			expect(barOnChart(png, bar)).toEqual({ length: barLength(value, 8), striped: false }),
		);
	});

	test('rows of the sobot_delivery table as input, statuses from a field, items as n8n hands them over ({json})', async () => {
		// The table as the delivery examples keep it: the latest status per recipient, `sent` meaning WhatsApp's "sent".
		const table: IDataObject[] = [
			{ number: '1', state: 'read', messageId: 'w1' },
			{ number: '2', state: 'Delivered', messageId: 'w2' },
			{ number: '3', state: 'sent', messageId: 'w3' },
			{ number: '4', state: 'failed', messageId: 'w4' },
			{ number: '5', state: 'failed', messageId: null },
			{ number: '6', state: 'opted_out' },
			{ number: '7', state: 'HELD' },
			{ number: '8', state: 'not sent' },
			{ number: '9', state: 'already sent' },
			{ number: '10', state: 'queued' },
		];
		const result = await runReport(
			table.map((json) => ({ json })),
			{
				statusesFrom: 'field',
				statusField: 'state',
				deliveryStatuses: expression([{ json: { messageId: 'w3', status: 'delivered' } }]),
			},
			{ node: new Profilora(), binaryMode: 'filesystem' },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			title: 'Campaign report',
			campaigns: [],
			recipients: 10,
			accepted: 5,
			alreadySent: 1,
			delivered: 3,
			read: 1,
			sendFailed: 1,
			deliveryFailed: 1,
			failed: 2,
			optedOut: 1,
			held: 1,
			notSent: 1,
			other: 1,
			otherStatuses: { queued: 1 },
			attempted: 6,
		});
		const { binary, png } = await chartOf(result);
		expect(binary.id).toMatch(/^filesystem/);
		expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
	});

	test('Profilora and WAChatPro sends (Continue On Fail): accepted and failed read from their own output, message ids from eventId and data.id', async () => {
		const numbers = ['081211110001', '081211110002', '081211110000', 'abc'];
		const items = numbers.map((to) => ({ json: { to, text: 'Halo' } }));
		const wachatpro = await runNode({
			node: new WaChatPro(),
			credentials: waChatProCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				recipient: { __rl: true, mode: 'phone', value: '={{ $json.to }}' },
				text: '={{ $json.text }}',
			} as never,
			items,
			continueOnFail: true,
		});
		expect(wachatpro.items).toHaveLength(4);
		const waIds = ctx.sandbox.accepted.filter((m) => m.vendor === 'wachatpro').map((m) => m.id);
		const waReport = await runReport(
			wachatpro.items,
			{
				deliveryStatuses: expression(waIds.map((messageId) => ({ messageId, status: 'read' }))),
			},
			{ node: new WaChatPro() },
		);
		expect(waReport.items[0].json).toMatchObject({
			recipients: 4,
			accepted: waIds.length,
			failed: 4 - waIds.length,
			read: waIds.length,
			statusRows: { matched: waIds.length, unmatched: 0 },
		});
		expect(waIds).toHaveLength(2);

		const profilora = await runNode({
			node: new Profilora(),
			credentials: profiloraCredentials(ctx.sandbox),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				sender: DEFAULT_CREDENTIALS.profilora.agents[0],
				recipient: '={{ $json.to }}',
				text: '={{ $json.text }}',
			} as never,
			items,
			continueOnFail: true,
		});
		const eventIds = ctx.sandbox.profilora.sent.map((m) => m.eventId);
		const prReport = await runReport(
			profilora.items,
			{
				deliveryStatuses: expression(
					eventIds.map((messageId) => ({ messageId, status: 'delivered' })),
				),
			},
			{ node: new Profilora() },
		);
		expect(prReport.items[0].json).toMatchObject({
			recipients: 4,
			accepted: eventIds.length,
			failed: 4 - eventIds.length,
			delivered: eventIds.length,
			read: 0,
		});
	});

	test('bad input: a missing status field, a row that is not an object, broken JSON: errors naming the field and the item', async () => {
		const lines = [
			{ json: { status: 'sent' } },
			{ json: { state: 'sent' } },
			{ json: { result: 'x' } },
		];
		const missing = await runReport(lines, { statusesFrom: 'field', statusField: 'state' });
		expect(missing.error?.message).toBe(
			'Status Field (item 0): the item has no field "state" (its fields: status)',
		);
		const notText = await runReport([{ json: { state: { a: 1 } } }], {
			statusesFrom: 'field',
			statusField: 'state',
		});
		expect(notText.error?.message).toBe(
			'Status Field (item 0): "state" holds object, not a status text',
		);
		const notObject = await runReport(lines, {
			deliveryStatuses: '={{ [{ "messageId": "a", "status": "read" }, "read"] }}',
		});
		expect(notObject.error?.message).toBe(
			'Delivery Statuses (item 0): entry 1 is a string, not a row with messageId and status',
		);
		const broken = await runReport(lines, { deliveryStatuses: '[{"messageId": ' });
		expect(broken.error?.message).toMatch(/^Delivery Statuses \(item 0\): is not valid JSON/);
		const noField = await runReport(lines, { binaryPropertyName: ' ' });
		expect(noField.error?.message).toBe('Put Chart in Field (item 0): is required but empty');

		// Continue On Fail: the one report item is the error, paired with every line.
		const continued = await runReport(
			lines,
			{ statusesFrom: 'field', statusField: 'state' },
			{ continueOnFail: true },
		);
		expect(continued.error).toBeUndefined();
		expect(continued.items).toHaveLength(1);
		expect(continued.items[0].json.error).toMatch(/^Status Field \(item 0\)/);
		expect(continued.items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test("this package's output without a status word of ours is read from its flags; what cannot be read is 'other', never a guess", async () => {
		const lines: IDataObject[] = [
			{ status: true, data: { id: 'm1' }, attempts: 1 }, // WAChatPro's own `status`
			{ error: 'Recipient (item 1): bad', attempts: 0 },
			{ error: 'Not sent: stopped', attempts: 0, notSent: true },
			{ error: 'Not sent again', attempts: 0, notSent: true, uncertain: true },
			{ error: 'Recipient (item 4): repeated', skipped: true, attempts: 0 },
			{ error: 'Recipient (item 5): on the opt-out list', optedOut: true, attempts: 0 },
			{ error: 'Held until the window opens', held: true, attempts: 0 },
			{ alreadySent: true, attempts: 0 },
			{ status: 'Opted Out' },
			{ status: 'scheduled' },
			{ hello: 'world' },
		];
		const result = await runReport(lines.map((json) => ({ json })));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			recipients: 11,
			accepted: 2,
			alreadySent: 1,
			failed: 1,
			notSent: 1,
			uncertain: 1,
			skipped: 1,
			optedOut: 2,
			held: 1,
			other: 2,
			otherStatuses: { scheduled: 1, '(no status)': 1 },
			attempted: 4,
		});
	});
});
