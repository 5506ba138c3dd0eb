/**
 * The guardrails through n8n-core's engine against the sandbox: a closed send window holds every item on the Held
 * output without a request, the recipient's zone decides per item, sender limits hold across runs sharing n8n's
 * processed-data store, the default pace of bulk sends, and bad settings refused before anything is sent.
 * Windows are built around the real clock with minutes of margin; nothing is judged by how long it took.
 */
import type { IDataObject } from 'n8n-workflow';

import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { DAY_NAMES } from '../../nodes/shared/sending/guardrails/window';
import { wallClock } from '../../nodes/shared/sending/guardrails/zones';
import { runNode } from '../harness/engine';
import type { RunNodeOptions } from '../harness/engine';
import { ProcessedDataStore } from '../harness/processedData';
import { profiloraCredentials, useSandbox } from '../harness/sandbox';
import { campaignItems, campaignSendTextParameters, CAMPAIGN_PATH } from './campaign';

const ctx = useSandbox();

function send(
	items: Array<{ json: IDataObject }>,
	sendingOptions: Record<string, unknown>,
	extra: Partial<RunNodeOptions> = {},
) {
	const parameters = campaignSendTextParameters(sendingOptions) as unknown as Record<
		string,
		unknown
	>;
	return runNode({
		node: new Profilora(),
		credentials: profiloraCredentials(ctx.sandbox),
		parameters: { ...parameters, sendingOptions: { ...sendingOptions } } as never,
		items,
		continueOnFail: true,
		...extra,
	});
}

const sends = (after: number) =>
	ctx.sandbox.requests.filter((r) => r.id > after && r.path === CAMPAIGN_PATH).length;
const mark = () => ctx.sandbox.requests.at(-1)?.id ?? 0;
const hhmm = (minutes: number) => {
	const m = ((minutes % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** A period around now on the local clock of `zone`: open for the next few minutes, every day. */
function openNow(zone: string) {
	const now = wallClock(Date.now(), zone).minuteOfDay;
	return { days: [...DAY_NAMES], from: hhmm(now - 2), to: hhmm(now + 4) };
}

describe('send window and limits through the engine', () => {
	test('a closed window holds every item on the Held output, unchanged, and sends nothing', async () => {
		const before = mark();
		const inTwoDays = DAY_NAMES[(new Date().getUTCDay() + 2) % 7];
		const result = await send(campaignItems(3), {
			pace: 'custom',
			sendWindow: { periods: [{ days: [inTwoDays], from: '09:00', to: '17:00' }] },
			windowTimezone: 'named',
			timezoneName: 'UTC',
		});
		expect(result.error).toBeUndefined();
		expect(sends(before)).toBe(0);
		expect(result.outputs[0]).toEqual([]);
		const held = result.outputs[1];
		expect(held).toHaveLength(3);
		const opens = new Date(held[0].json.heldUntil as string);
		expect(opens.getUTCHours()).toBe(9);
		expect(opens.getUTCDay()).toBe(DAY_NAMES.indexOf(inTwoDays));
		expect(held.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(held.map((item) => item.json.to)).toEqual(campaignItems(3).map((item) => item.json.to));
		expect(String(held[0].json.heldReason)).toContain('outside the send window (UTC)');
		// Nothing loops back in this workflow: the output panel says the held messages will not be sent.
		const hints = (result.run.data.resultData.runData['Node Under Test']?.[0]?.hints ?? []).map(
			(hint) => hint.message,
		);
		expect(hints.find((message) => message.includes('held until'))).toMatch(
			/^3 messages were held until .* Nothing brings them back/,
		);
	});

	test("the recipient's zone decides per item: India in its window, New York not", async () => {
		const before = mark();
		const result = await send(
			[
				{ json: { to: '+91 98765 43210', text: 'namaste' } },
				{ json: { to: '+1 415 555 0100', text: 'hi' } },
			],
			{
				pace: 'custom',
				sendWindow: { periods: [openNow('Asia/Kolkata')] },
				windowTimezone: 'recipient',
			},
		);
		expect(result.error).toBeUndefined();
		expect(sends(before)).toBe(1);
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(result.outputs[1].map((item) => item.json.to)).toEqual(['+1 415 555 0100']);
		expect(String(result.outputs[1][0].json.heldReason)).toContain('America/New_York');
	});

	test('an hourly sender limit holds the rest, and a later run of the workflow counts what went out', async () => {
		const store = new ProcessedDataStore();
		const options = { pace: 'custom', senderLimitPerHour: 2 };
		const before = mark();
		const first = await send(campaignItems(4), options, { processedData: store, mode: 'webhook' });
		expect(first.error).toBeUndefined();
		// Two fit this hour unless the test started in its last minute, when the next hour's come in reach.
		expect(first.outputs[0].length).toBeGreaterThanOrEqual(2);
		expect(sends(before)).toBe(first.outputs[0].length);
		if (first.outputs[0].length === 2) {
			expect(first.outputs[1]).toHaveLength(2);
			expect(String(first.outputs[1][0].json.heldReason)).toContain('limit of 2 messages an hour');
			// Another recipient: the first run's record (under the key a hold implies) knows the first ones as sent.
			const second = await send(campaignItems(5).slice(4), options, {
				processedData: store,
				mode: 'webhook',
			});
			expect(second.outputs[1] ?? []).toHaveLength(1);
			expect(sends(before)).toBe(2);
		}
	});

	test('a bulk Profilora send with no pace set is paced (Moderate) and says so; a small one is not', async () => {
		const closed = {
			sendWindow: {
				periods: [
					{ days: [DAY_NAMES[(new Date().getUTCDay() + 3) % 7]], from: '09:00', to: '10:00' },
				],
			},
			windowTimezone: 'named',
			timezoneName: 'UTC',
		};
		const bulk = await send(campaignItems(11), closed);
		const hints = JSON.stringify(
			bulk.run.data.resultData.runData['Node Under Test']?.[0]?.hints ?? [],
		);
		expect(hints).toContain('paced at Moderate');
		const before = mark();
		const small = await send(campaignItems(10), {});
		expect(small.items.filter((item) => item.json.error === undefined)).toHaveLength(10);
		expect(sends(before)).toBe(10);
		expect(
			JSON.stringify(small.run.data.resultData.runData['Node Under Test']?.[0]?.hints ?? []),
		).not.toContain('paced');
	});

	test.each([
		[
			{
				windowTimezone: 'named',
				timezoneName: 'Asia/Jakarta_City',
				sendWindow: { periods: [openNow('UTC')] },
			},
			'Sending Options › Time Zone Name (item 0): "Asia/Jakarta_City" is not an IANA time zone',
		],
		[
			{ sendWindow: { periods: [{ days: ['monday'], from: '25:00', to: '10:00' }] } },
			'Sending Options › Send Window › Period 1 › From (item 0)',
		],
		[
			{ sendWindow: { periods: [{ days: [], from: '09:00', to: '10:00' }] } },
			'Period 1 › Days (item 0): choose at least one day',
		],
		[
			{ warmUpStartPerDay: 20 },
			'Warm-Up: Messages on the First Day (item 0): needs Sender Limit Per Day',
		],
		[
			{ warmUpStartPerDay: 20, senderLimitPerDay: 100, warmUpGrowth: 0.5 },
			'Warm-Up: Daily Growth (item 0)',
		],
		[{ senderLimitPerHour: 2.5 }, 'Sender Limit Per Hour (item 0): "2.5" must be a whole number'],
	])('refuses %j before anything is sent', async (options, message) => {
		const before = mark();
		const result = await send(campaignItems(2), { pace: 'custom', ...options });
		expect(result.error?.message).toContain(message);
		expect(sends(before)).toBe(0);
	});

	test("refuses a recipient whose country's zone is unknown, naming the item, before sending to anyone", async () => {
		const before = mark();
		const result = await send(
			[
				{ json: { to: '+62 812 3456 7890', text: 'a' } },
				{ json: { to: '+999 1234 5678', text: 'b' } },
			],
			{
				pace: 'custom',
				sendWindow: { periods: [openNow('Asia/Jakarta')] },
				windowTimezone: 'recipient',
			},
			{ continueOnFail: false },
		);
		expect(result.error?.message).toContain('Sending Options › Send Window Time Zone (item 1)');
		expect(sends(before)).toBe(0);
	});
});
