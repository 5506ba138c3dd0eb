import {
	normaliseNumber,
	PhoneNumberError,
	toDigits,
	toJid,
} from '../../nodes/shared/parameters/phone';

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
		[{ phone: '62812' }, /is an object, not one phone number/],
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
		[6.281234567890123e30, /too large to hold its digits exactly/],
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
		for (const typed of [
			'0812 3456 7890',
			'62 0812 3456 7890',
			'+62 (0)812-3456-7890',
			'620812 3456 7890',
		]) {
			expect(toDigits(typed, '62')).not.toMatch(/^620/);
		}
	});

	test('groups and @lid ids carry no phone number, so the digits form refuses them', () => {
		expect(() => toDigits('120363025246125486@g.us')).toThrow(/group id, not a phone number/);
		expect(() => toDigits('123456789012345@lid')).toThrow(/@lid id, not a phone number/);
	});

	describe('as pasted from phones, WhatsApp, web pages and spreadsheets', () => {
		const LRM = '\u200e';
		const RLM = '\u200f';
		// [what arrives, default country code, the digits it must become]
		const pasted: Array<[string, unknown, string, string]> = [
			[
				'WhatsApp contact card (LRM/RLM marks around the number)',
				`${LRM}+62 812-3456-7890${RLM}`,
				'62',
				'6281234567890',
			],
			[
				'Android dialer (LTR embedding U+202A ... U+202C)',
				'\u202a+62 812-3456-7890\u202c',
				'62',
				'6281234567890',
			],
			[
				'iOS copy (isolates U+2066 ... U+2069)',
				'\u2066+91 98765 43210\u2069',
				'62',
				'919876543210',
			],
			['right-to-left override pair', '\u202e+62 812 3456 7890\u202c', '62', '6281234567890'],
			[
				'zero-width space, joiner and non-joiner',
				'+62\u200b812\u200c3456\u200d7890',
				'62',
				'6281234567890',
			],
			['a BOM at the start (file export)', '\ufeff0812 3456 7890', '62', '6281234567890'],
			['a soft hyphen', '0812\u00ad3456\u00ad7890', '62', '6281234567890'],
			['no-break spaces', '+62\u00a0812\u00a03456\u00a07890', '62', '6281234567890'],
			[
				'narrow no-break and thin spaces',
				'+62\u202f812\u20093456\u20097890',
				'62',
				'6281234567890',
			],
			['en quad to hair spaces', '+62\u2000812\u20053456\u200a7890', '62', '6281234567890'],
			['ideographic space', '+62\u3000812\u30003456\u30007890', '62', '6281234567890'],
			['hyphen and non-breaking hyphen', '0812\u20103456\u20117890', '62', '6281234567890'],
			['figure dash, en dash, em dash', '0812\u20123456\u20137890', '62', '6281234567890'],
			['em dash and horizontal bar', '+62\u2014812\u20153456\u20147890', '62', '6281234567890'],
			['minus sign', '0812\u22123456\u22127890', '62', '6281234567890'],
			[
				'fullwidth digits, plus and hyphen',
				'\uff0b\uff16\uff12\u3000\uff18\uff11\uff12\uff0d\uff13\uff14\uff15\uff16\uff0d\uff17\uff18\uff19\uff10',
				'62',
				'6281234567890',
			],
			['fullwidth brackets', '\uff080812\uff09 3456 7890', '62', '6281234567890'],
			[
				'Devanagari digits',
				'+\u096f\u0967 \u096f\u096e\u096d\u096c\u096b \u096a\u0969\u0968\u0967\u0966',
				'62',
				'919876543210',
			],
			[
				'Arabic-Indic digits',
				'+\u0666\u0662 \u0668\u0661\u0662 \u0663\u0664\u0665\u0666 \u0667\u0668\u0669\u0660',
				'62',
				'6281234567890',
			],
			['middle dots', '0812\u00b73456\u00b77890', '62', '6281234567890'],
			['a spreadsheet text marker', "'0812 3456 7890", '62', '6281234567890'],
			['quotes copied with the value', '"+62 812-3456-7890"', '62', '6281234567890'],
			['a spreadsheet float', '6281234567890.0', '62', '6281234567890'],
			['tel: link', 'tel:+62-812-3456-7890', '62', '6281234567890'],
			['tel: link, local number', 'tel:081234567890', '62', '6281234567890'],
			['tel: link, percent-encoded +', 'tel:%2B6281234567890', '62', '6281234567890'],
			['"Tel:" label from a web page', 'Tel: 0812 3456 7890', '62', '6281234567890'],
			['wa.me link', 'https://wa.me/6281234567890', '62', '6281234567890'],
			[
				'wa.me link with a text',
				'https://wa.me/6281234567890?text=Hello%20there',
				'62',
				'6281234567890',
			],
			['wa.me without scheme, with +', 'wa.me/+91 98765 43210', '62', '919876543210'],
			['wa.me with a trailing slash', 'http://www.wa.me/6281234567890/', '62', '6281234567890'],
			[
				'api.whatsapp.com/send',
				'https://api.whatsapp.com/send?phone=6281234567890&text=Hi',
				'62',
				'6281234567890',
			],
			[
				'api.whatsapp.com/send/ with + as a space',
				'https://api.whatsapp.com/send/?phone=+6281234567890&type=phone_number',
				'62',
				'6281234567890',
			],
			[
				'web.whatsapp.com/send, percent-encoded +',
				'https://web.whatsapp.com/send?phone=%2B919876543210',
				'62',
				'919876543210',
			],
			['whatsapp:// link', 'whatsapp://send?phone=6281234567890', '62', '6281234567890'],
			[
				'a JID with direction marks',
				`${LRM}6281234567890@s.whatsapp.net${LRM}`,
				'62',
				'6281234567890',
			],
			[
				'click-to-chat numbers are international even with 91',
				'https://wa.me/9876543210',
				'91',
				'9876543210',
			],
		];

		test.each(pasted)('%s', (_what, typed, country, digits) => {
			expect(toDigits(typed, country as string)).toBe(digits);
			expect(toJid(typed, country as string)).toBe(`${digits}@s.whatsapp.net`);
		});

		// [what arrives, what the error must say]
		const refused: Array<[string, unknown, RegExp]> = [
			[
				'scientific notation from a spreadsheet',
				'6.28123E+12',
				/scientific notation.*format the spreadsheet column as text/,
			],
			['scientific notation with a decimal comma', '6,28123E+12', /scientific notation/],
			['scientific notation with a +', '+6.28E12', /scientific notation/],
			[
				'a JSON number in exponent form (digits lost)',
				6.28e12,
				/ends in 10 zeros.*6\.28E\+12.*pass it as text/,
			],
			['a JSON number rounded by a spreadsheet', 6281230000000, /ends in 7 zeros/],
			[
				'a JSON number with a fraction',
				6281234567890.5,
				/has a fraction: pass the phone number as text/,
			],
			[
				'a JSON number too large to be exact',
				62812345678901234567,
				/too large to hold its digits exactly/,
			],
			['a negative JSON number', -6281234567890, /is not a phone number/],
			['NaN', Number.NaN, /is not a phone number/],
			[
				'a tel: link with an extension',
				'tel:+1-201-555-0123;ext=1234',
				/tel: parameters \(;ext=1234\): keep only the number/,
			],
			[
				'a wa.me short link without a number',
				'https://wa.me/message/ABCDEFGHIJK1',
				/WhatsApp link without a phone number/,
			],
			[
				'a send link without phone=',
				'https://api.whatsapp.com/send?text=hello',
				/without a phone= number/,
			],
			[
				'a wa.me link with a local number',
				'https://wa.me/081234567890',
				/does not start with a country code/,
			],
			['another web address', 'https://example.com/contact', /web address, not a phone number/],
			['only invisible characters', `${LRM}${RLM}\u200b`, /empty/],
			[
				'letters mixed in',
				'0812 3456 78x0',
				/^"0812 3456 78x0" contains characters that are not digits$/,
			],
			[
				'a control character, named since it cannot be seen',
				'0812\u00073456 7890',
				/not digits \(U\+0007, not visible\)/,
			],
		];

		test.each(refused)('%s is refused with what to fix', (_what, typed, reason) => {
			expect(() => normaliseNumber(typed, '62')).toThrow(PhoneNumberError);
			expect(() => normaliseNumber(typed, '62')).toThrow(reason);
		});

		test('a JSON number that keeps its digits is read as the number typed without + (never given a second code)', () => {
			expect(toDigits(6281234567890, '62')).toBe('6281234567890');
			expect(toDigits(919812340000, '91')).toBe('919812340000');
			expect(toDigits(BigInt('6281234567890'), '62')).toBe('6281234567890');
		});

		test('a list or an object (what a model or a spreadsheet lookup may hand over) is refused as not one number', () => {
			expect(() => toDigits(['6281234567890', '6281234567891'], '62')).toThrow(
				/is a list, not one phone number/,
			);
			expect(() => toDigits({ phone: '6281234567890' }, '62')).toThrow(
				/is an object, not one phone number/,
			);
		});

		test('the same number given as text is accepted even when it ends in zeros (the way out of the zeros check)', () => {
			expect(toDigits('6281200000000', '62')).toBe('6281200000000');
		});
	});

	test.each(['', '0', '0062', '1234', 'ID', '+'])('default country code %j is refused', (code) => {
		expect(() => toJid('0812 3456 7890', code)).toThrow(/country calling code/);
	});
});
