/**
 * One place that turns whatever a user typed into the two forms the gateways want:
 * a WhatsApp JID (`<digits>@s.whatsapp.net`, Profilora) or bare international digits (WAChatPro, Sobot).
 * The rules are in vendor-apis.md "Numbers and WhatsApp ids" and in the README.
 */

export type WhatsAppIdKind = 'user' | 'group' | 'lid';

export interface NormalisedNumber {
	kind: WhatsAppIdKind;
	/** International digits without `+` (empty for groups and `@lid` ids, which carry no phone number). */
	digits: string;
	/** The id in JID form: `<digits>@s.whatsapp.net`, or the group/lid id untouched. */
	jid: string;
}

export class PhoneNumberError extends Error {}

const E164_MAX_DIGITS = 15;
/** The shortest real international numbers (small island states) have 7 digits with the country code. */
const MIN_DIGITS = 7;
const USER_SUFFIXES = ['@s.whatsapp.net', '@c.us'];

/**
 * National mobile numbers that people write without the trunk 0, keyed by country code. Only patterns that no
 * international number plausibly shares are listed: Indian mobiles are 10 digits starting 6-9, and a bare
 * 10-digit "98765 43210" would otherwise be read as an Iranian (+98) number. Indonesian "812..." is not listed:
 * it cannot be told apart from Japanese (+81) or Korean (+82) numbers typed without "+".
 */
const NATIONAL_MOBILE_WITHOUT_TRUNK: Record<string, RegExp> = {
	'91': /^[6-9]\d{9}$/,
};

export function assertCountryCode(countryCode: string): string {
	const code = String(countryCode ?? '')
		.trim()
		.replace(/^\+/, '');
	if (!/^[1-9]\d{0,2}$/.test(code)) {
		throw new PhoneNumberError(
			`"${countryCode}" is not a country calling code: use 1 to 3 digits, e.g. 62 for Indonesia or 91 for India`,
		);
	}
	return code;
}

/** Normalises one phone number or WhatsApp id. Throws PhoneNumberError saying what is wrong with it. */
export function normaliseNumber(input: unknown, defaultCountryCode = '62'): NormalisedNumber {
	const countryCode = assertCountryCode(defaultCountryCode);
	if (typeof input === 'number' && Number.isSafeInteger(input)) input = String(input);
	if (typeof input !== 'string' || input.trim() === '') {
		throw new PhoneNumberError('is empty: enter a phone number such as +62 812-3456-7890');
	}
	const raw = input.trim();
	const lower = raw.toLowerCase();

	if (lower.endsWith('@g.us')) {
		if (!/^[\d-]+@g\.us$/.test(lower)) throw new PhoneNumberError(`"${raw}" is not a valid group id`);
		return { kind: 'group', digits: '', jid: lower };
	}
	if (lower.endsWith('@lid')) {
		if (!/^\d+@lid$/.test(lower)) throw new PhoneNumberError(`"${raw}" is not a valid @lid id`);
		return { kind: 'lid', digits: '', jid: lower };
	}

	const suffix = USER_SUFFIXES.find((s) => lower.endsWith(s));
	let digits: string;
	if (suffix) {
		// A JID's user part is already international; a `:device` part may follow the number.
		digits = lower.slice(0, -suffix.length).replace(/:\d+$/, '');
		if (!/^\d+$/.test(digits)) throw new PhoneNumberError(`"${raw}" is not a valid WhatsApp id`);
	} else {
		if (raw.includes('@')) throw new PhoneNumberError(`"${raw}" has an unknown WhatsApp id suffix`);
		digits = fromTypedNumber(raw, countryCode);
	}

	if (digits.startsWith('0')) throw new PhoneNumberError(`"${raw}" does not start with a country code`);
	if (digits.length < MIN_DIGITS) throw new PhoneNumberError(`"${raw}" is too short to be a phone number`);
	if (digits.length > E164_MAX_DIGITS) {
		throw new PhoneNumberError(`"${raw}" has more than ${E164_MAX_DIGITS} digits, the most a phone number can have`);
	}
	return { kind: 'user', digits, jid: `${digits}@s.whatsapp.net` };
}

function fromTypedNumber(raw: string, countryCode: string): string {
	// "+62 (0)812..." is a common way to write the trunk 0 that must be dropped.
	let text = raw.replace(/\(0\)/g, '').replace(/[\s\-.()/\u00a0]/g, '');
	let international = false;
	if (text.startsWith('+')) {
		international = true;
		text = text.slice(1);
	} else if (text.startsWith('00')) {
		international = true;
		text = text.slice(2);
	}
	if (!/^\d+$/.test(text)) throw new PhoneNumberError(`"${raw}" contains characters that are not digits`);

	if (!international && text.startsWith('0')) {
		// Local number: the trunk 0 becomes the default country code.
		text = countryCode + text.replace(/^0+/, '');
	} else if (!international && NATIONAL_MOBILE_WITHOUT_TRUNK[countryCode]?.test(text)) {
		text = countryCode + text;
	} else if (text.startsWith(countryCode + '0')) {
		// "62 0812..." would otherwise become the impossible 62 0812...: drop the trunk 0.
		text = countryCode + text.slice(countryCode.length + 1);
	}
	return text;
}

/** Bare international digits, as WAChatPro and Sobot want them; group and @lid ids are refused. */
export function toDigits(input: unknown, defaultCountryCode?: string): string {
	const number = normaliseNumber(input, defaultCountryCode);
	if (number.kind !== 'user') {
		throw new PhoneNumberError(
			`"${String(input)}" is a ${number.kind === 'group' ? 'group' : '@lid'} id, not a phone number`,
		);
	}
	return number.digits;
}

/** A JID, as Profilora wants it; group and @lid ids pass through untouched. */
export function toJid(input: unknown, defaultCountryCode?: string): string {
	return normaliseNumber(input, defaultCountryCode).jid;
}
