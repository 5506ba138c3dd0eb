/**
 * The trigger contract for `from`/`to` (CONTRIBUTING.md, "The contract"): every vendor's item carries digits, and the
 * vendor's own spelling under `fromRaw`/`toRaw`, so a workflow can switch gateways without rewiring.
 */
import { normalisedNumber, toItemJson } from '../../nodes/shared/webhook/event';
import type { GatewayEvent } from '../../nodes/shared/webhook/event';
import { customerDigits } from '../../nodes/shared/conversation/handOver';

describe('trigger items: from/to', () => {
	test.each([
		['6281234567890@s.whatsapp.net', '6281234567890'], // Profilora, a person's JID
		['6281234567890:12@s.whatsapp.net', '6281234567890'], // with a device suffix
		['6281234567890@c.us', '6281234567890'], // WAChatPro's chat ids
		['919812345678', '919812345678'], // Sobot, digits
		['+91 98123-45678', '919812345678'], // Sobot's display_phone_number as a person may have typed it
		['120363025246125486@g.us', '120363025246125486@g.us'], // a group: no phone number, kept as the vendor wrote it
		['abcdef123@lid', 'abcdef123@lid'], // an opaque id: kept
		[null, null],
	])('%j becomes %j', (raw, expected) => {
		expect(normalisedNumber(raw)).toBe(expected);
	});

	test('the item carries both; the conversation key reads digits from either form', () => {
		const event: GatewayEvent = {
			service: 'profilora',
			event: 'message',
			messageId: 'm1',
			status: 'received',
			from: '6281234567890@s.whatsapp.net',
			to: '6281100000001@s.whatsapp.net',
			name: null,
			timestamp: null,
			messageType: 'text',
			text: 'hi',
			media: null,
		};
		const json = toItemJson(event, '2026-01-01T00:00:00.000Z', {}, false);
		expect(json).toMatchObject({
			from: '6281234567890',
			to: '6281100000001',
			fromRaw: event.from,
			toRaw: event.to,
		});
		expect(customerDigits(json.from as string)).toBe(customerDigits(event.from));
	});
});
