import { normaliseNumber, PhoneNumberError, toDigits, toJid } from '../../nodes/shared/phone';

describe('phone numbers: what users type becomes what gateways want', () => {
	// [typed, default country code, expected JID]
	const valid: Array<[unknown, string, string]> = [
		['+62 812-3456-7890', '62', '6281234567890@s.whatsapp.net'],
		['+6281234567890', '62', '6281234567890@s.whatsapp.net'],
		['0812 3456 7890', '62', '6281234567890@s.whatsapp.net'],
		['0812-3456-7890', '62', '6281234567890@s.whatsapp.net'],
		['(0812) 3456.7890', '62', '6281234567890@s.whatsapp.net'],
		['6281234567890', '62', '6281234567890@s.whatsapp.net'],
		['62 812 3456 7890', '62', '6281234567890@s.whatsapp.net'],
		['0062 812 3456 7890', '62', '6281234567890@s.whatsapp.net'],
		['62 0812 3456 7890', '62', '6281234567890@s.whatsapp.net'],
		['+62 (0)812 3456 7890', '62', '6281234567890@s.whatsapp.net'],
		['  +62 812 3456 7890  ', '62', '6281234567890@s.whatsapp.net'],
		['+62\u00a0812\u00a03456\u00a07890', '62', '6281234567890@s.whatsapp.net'],
		[6281234567890, '62', '6281234567890@s.whatsapp.net'],
		['6281234567890@s.whatsapp.net', '62', '6281234567890@s.whatsapp.net'],
		['6281234567890@S.WHATSAPP.NET', '62', '6281234567890@s.whatsapp.net'],
		['6281234567890:12@s.whatsapp.net', '62', '6281234567890@s.whatsapp.net'],
		['6281234567890@c.us', '62', '6281234567890@s.whatsapp.net'],
		['098765 43210', '91', '919876543210@s.whatsapp.net'],
		['98765 43210', '91', '919876543210@s.whatsapp.net'],
		['7012345678', '91', '917012345678@s.whatsapp.net'],
		['9876543210', '62', '9876543210@s.whatsapp.net'],
		['+91 98765 43210', '91', '919876543210@s.whatsapp.net'],
		['919876543210', '62', '919876543210@s.whatsapp.net'],
		['+91 98765 43210', '62', '919876543210@s.whatsapp.net'],
		['0812 3456 7890', '+62', '6281234567890@s.whatsapp.net'],
		['+1 (415) 555-0100', '62', '14155550100@s.whatsapp.net'],
		['+44 20 7946 0958', '62', '442079460958@s.whatsapp.net'],
		['+683 4002', '62', '6834002@s.whatsapp.net'],
		['120363025246125486@g.us', '62', '120363025246125486@g.us'],
		['6281234567890-1612345678@g.us', '62', '6281234567890-1612345678@g.us'],
		['123456789012345@lid', '62', '123456789012345@lid'],
	];

	test.each(valid)('%j (country %s) → %s', (typed, country, jid) => {
		expect(toJid(typed, country)).toBe(jid);
	});

	test.each(valid.filter(([, , jid]) => jid.endsWith('@s.whatsapp.net')))(
		'%j (country %s) → digits for WAChatPro and Sobot',
		(typed, country, jid) => {
			expect(toDigits(typed, country)).toBe(jid.replace('@s.whatsapp.net', ''));
		},
	);

	const invalid: Array<[unknown, RegExp]> = [
		['', /empty/],
		['   ', /empty/],
		[undefined, /empty/],
		[null, /empty/],
		[{ phone: '62812' }, /empty/],
		['0812-CALL-ME', /not digits/],
		['abc', /not digits/],
		['+62 812 3456 7890 ext 12', /not digits/],
		['62812345678901234', /more than 15 digits/],
		['+62 812', /too short/],
		['12345', /too short/],
		['0', /too short/],
		['+0812345678', /does not start with a country code/],
		['00 0812 3456 7890', /does not start with a country code/],
		['6281234567890@example.com', /unknown WhatsApp id suffix/],
		['62812abc@s.whatsapp.net', /not a valid WhatsApp id/],
		['abc@g.us', /not a valid group id/],
		['abc@lid', /not a valid @lid id/],
		[6.281234567890123e30, /empty/],
	];

	test.each(invalid)('%j is refused: %s', (typed, reason) => {
		expect(() => normaliseNumber(typed, '62')).toThrow(PhoneNumberError);
		expect(() => normaliseNumber(typed, '62')).toThrow(reason);
	});

	test('a bare 10-digit Indian mobile gets 91 only when 91 is the default, and never twice', () => {
		expect(toDigits('98765 43210', '91')).toBe('919876543210');
		expect(toDigits('919876543210', '91')).toBe('919876543210');
		expect(toDigits('+91 98765 43210', '91')).toBe('919876543210');
		// Not an Indian mobile pattern (starts with 5): taken as it is, as any number without +, 00 or 0.
		expect(toDigits('5876543210', '91')).toBe('5876543210');
	});

	test('never produces 6208… from a local number', () => {
		for (const typed of ['0812 3456 7890', '62 0812 3456 7890', '+62 (0)812-3456-7890', '620812 3456 7890']) {
			expect(toDigits(typed, '62')).not.toMatch(/^620/);
		}
	});

	test('groups and @lid ids carry no phone number, so the digits form refuses them', () => {
		expect(() => toDigits('120363025246125486@g.us')).toThrow(/group id, not a phone number/);
		expect(() => toDigits('123456789012345@lid')).toThrow(/@lid id, not a phone number/);
	});

	test.each(['', '0', '0062', '1234', 'ID', '+'])('default country code %j is refused', (code) => {
		expect(() => toJid('0812 3456 7890', code)).toThrow(/country calling code/);
	});
});
