/**
 * One place that turns whatever a user typed into the two forms the gateways want:
 * a WhatsApp JID (`<digits>@s.whatsapp.net`, Profilora) or bare international digits (WAChatPro, Sobot).
 * The rules are in docs/vendors.md "Numbers and WhatsApp ids" and in docs/phone-numbers.md.
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

/** Normalises one phone number or WhatsApp id. Throws PhoneNumberError saying what is wrong with it and what to fix. */
export function normaliseNumber(input: unknown, defaultCountryCode = '62'): NormalisedNumber {
	const countryCode = assertCountryCode(defaultCountryCode);
	if (typeof input === 'number' || typeof input === 'bigint') input = fromJsonNumber(input);
	if (input !== null && typeof input === 'object') {
		throw new PhoneNumberError(
			`is ${Array.isArray(input) ? 'a list' : 'an object'}, not one phone number: give one number as text, such as +62 812-3456-7890`,
		);
	}
	if (typeof input !== 'string' || cleanText(input) === '') {
		throw new PhoneNumberError('is empty: enter a phone number such as +62 812-3456-7890');
	}
	const raw = cleanText(input);
	const lower = raw.toLowerCase();

	const link = fromLink(raw);
	if (link !== undefined)
		return finish(
			raw,
			link.international
				? fromInternational(raw, link.number)
				: fromTypedNumber(raw, link.number, countryCode),
		);

	if (lower.endsWith('@g.us')) {
		if (!/^[\d-]+@g\.us$/.test(lower))
			throw new PhoneNumberError(`"${raw}" is not a valid group id`);
		return { kind: 'group', digits: '', jid: lower };
	}
	if (lower.endsWith('@lid')) {
		if (!/^\d+@lid$/.test(lower)) throw new PhoneNumberError(`"${raw}" is not a valid @lid id`);
		return { kind: 'lid', digits: '', jid: lower };
	}

	const suffix = USER_SUFFIXES.find((s) => lower.endsWith(s));
	if (suffix) {
		// A JID's user part is already international; a `:device` part may follow the number.
		const digits = lower.slice(0, -suffix.length).replace(/:\d+$/, '');
		if (!/^\d+$/.test(digits)) throw new PhoneNumberError(`"${raw}" is not a valid WhatsApp id`);
		return finish(raw, digits);
	}
	if (raw.includes('@')) throw new PhoneNumberError(`"${raw}" has an unknown WhatsApp id suffix`);
	return finish(raw, fromTypedNumber(raw, raw, countryCode));
}

function finish(raw: string, digits: string): NormalisedNumber {
	if (digits.startsWith('0'))
		throw new PhoneNumberError(`"${raw}" does not start with a country code`);
	if (digits.length < MIN_DIGITS)
		throw new PhoneNumberError(`"${raw}" is too short to be a phone number`);
	if (digits.length > E164_MAX_DIGITS) {
		throw new PhoneNumberError(
			`"${raw}" has more than ${E164_MAX_DIGITS} digits, the most a phone number can have`,
		);
	}
	return { kind: 'user', digits, jid: `${digits}@s.whatsapp.net` };
}

/**
 * Characters that pasting from phones, WhatsApp, web pages and spreadsheets brings along and that carry no digit:
 * Unicode format characters (direction marks U+200E/200F, embeddings U+202A-202E, isolates U+2066-2069, zero-width
 * U+200B-200D, the BOM U+FEFF, the soft hyphen), spaces of every kind (NBSP, U+2000-200A, U+202F, U+3000) and
 * dashes (U+2010-2015, the minus sign U+2212, fullwidth and small hyphens), plus the middle dot.
 */
const INVISIBLE = /\p{Cf}/gu;
const SEPARATORS = /[\s\p{Zs}\p{Pd}\u2212\u00b7.()/]/gu;
/** Decimal digits of any script (Arabic-Indic, Devanagari, Bengali...): Unicode keeps each set as a run 0-9. */
const OTHER_DIGIT = /(?![0-9])\p{Nd}/u;

/** Invisible characters out, compatibility forms (fullwidth digits, +, spaces) folded, digits of any script as 0-9. */
function cleanText(text: string): string {
	let clean = text.replace(INVISIBLE, '').normalize('NFKC');
	if (OTHER_DIGIT.test(clean)) clean = [...clean].map(asciiDigit).join('');
	// A spreadsheet's text marker ('0812...) or quotes copied with the value.
	return clean
		.trim()
		.replace(/^['"\u2018\u2019\u201c\u201d]+|['"\u2018\u2019\u201c\u201d]+$/g, '')
		.trim();
}

function asciiDigit(char: string): string {
	if (!OTHER_DIGIT.test(char)) return char;
	let code = char.codePointAt(0) as number;
	let value = 0;
	while (OTHER_DIGIT.test(String.fromCodePoint(code - 1))) {
		code--;
		value++;
	}
	return String(value % 10);
}

/**
 * A number value (from JSON, a spreadsheet or an expression) has lost any + and leading 0 already. It is used only
 * when its digits can still be trusted: a whole, positive, exact number that does not end in the run of zeros a
 * spreadsheet leaves when it stored 6281234567890 as 6.28E+12.
 */
function fromJsonNumber(value: number | bigint): string {
	const text = String(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value <= 0)
			throw new PhoneNumberError(`the number ${text} is not a phone number`);
		if (!Number.isInteger(value)) {
			throw new PhoneNumberError(
				`arrived as the number ${text}, which has a fraction: pass the phone number as text`,
			);
		}
		if (!Number.isSafeInteger(value)) {
			throw new PhoneNumberError(
				`arrived as the number ${text}, too large to hold its digits exactly: pass the phone number as text (a spreadsheet column formatted as text)`,
			);
		}
	}
	const zeros = /0*$/.exec(text)?.[0].length ?? 0;
	if (zeros >= SUSPICIOUS_TRAILING_ZEROS) {
		throw new PhoneNumberError(
			`arrived as the number ${text}, which ends in ${zeros} zeros: its digits were probably lost in scientific notation (${Number(text).toExponential(2).toUpperCase()}). Format the spreadsheet column as text; if the number really ends in ${zeros} zeros, pass it as text`,
		);
	}
	return text;
}

/** Five zeros at the end of a real number happen once in 100,000; a spreadsheet's 6.28123E+12 leaves seven. */
const SUSPICIOUS_TRAILING_ZEROS = 5;

/**
 * `tel:` links (RFC 3966) and WhatsApp's click-to-chat links: `wa.me/<number>`, `api.whatsapp.com/send?phone=`,
 * `web.whatsapp.com/send?phone=`, `whatsapp://send?phone=`. A click-to-chat number is international by WhatsApp's
 * rule (no +, no leading 0); a `tel:` number follows the usual rules (local with 0, international with +).
 */
function fromLink(raw: string): { number: string; international: boolean } | undefined {
	const tel = /^(?:tel|callto):(?:\/\/)?(.*)$/i.exec(raw);
	if (tel) {
		const number = safeDecode(tel[1]);
		if (number.includes(';')) {
			throw new PhoneNumberError(
				`"${raw}" has tel: parameters (${number.slice(number.indexOf(';'))}): keep only the number`,
			);
		}
		return { number, international: false };
	}
	const waMe = /^(?:https?:\/\/)?(?:www\.)?wa\.me\/([^?#]*)/i.exec(raw);
	if (waMe) {
		const path = safeDecode(waMe[1]).replace(/\/+$/, '');
		if (!/^\+?[\d\s-]+$/.test(path)) {
			throw new PhoneNumberError(
				`"${raw}" is a WhatsApp link without a phone number: open it and copy the number`,
			);
		}
		return { number: path, international: true };
	}
	const send =
		/^(?:(?:https?:\/\/)?(?:api|web|www)\.whatsapp\.com\/send\/?|whatsapp:\/\/send\/?)\?(.*)$/i.exec(
			raw,
		);
	if (send) {
		const phone = new URLSearchParams(send[1]).get('phone');
		if (!phone || phone.trim() === '') {
			throw new PhoneNumberError(
				`"${raw}" is a WhatsApp link without a phone= number: open it and copy the number`,
			);
		}
		return { number: phone, international: true };
	}
	if (/^(?:https?:\/\/|www\.)/i.test(raw)) {
		throw new PhoneNumberError(
			`"${raw}" is a web address, not a phone number (wa.me/ and api.whatsapp.com/send links are read)`,
		);
	}
	return undefined;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** The digits of a number that is international whatever it looks like (click-to-chat links). */
function fromInternational(raw: string, number: string): string {
	const text = number.replace(SEPARATORS, '').replace(/^\+/, '');
	assertDigits(raw, number, text);
	return text;
}

/** "6.28123E+12": what a spreadsheet shows (and exports) for a long number in a column not formatted as text. */
const SCIENTIFIC = /^\+?\d+(?:[.,]\d+)?e\+?\d+$/i;

function assertDigits(raw: string, number: string, text: string): void {
	if (/^\d+$/.test(text)) return;
	if (SCIENTIFIC.test(number.replace(/[\s\p{Zs}]/gu, ''))) {
		throw new PhoneNumberError(
			`"${raw}" is a number in scientific notation, which has lost digits: format the spreadsheet column as text and copy the number again`,
		);
	}
	// Letters and signs show in the quoted value; characters one cannot see are named by their code.
	const unseen = [...new Set(text.replace(/[\p{L}\p{N}\p{P}\p{S}]/gu, ''))].map(
		(c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`,
	);
	throw new PhoneNumberError(
		`"${raw}" contains characters that are not digits${unseen.length ? ` (${unseen.join(', ')}, not visible)` : ''}`,
	);
}

function fromTypedNumber(raw: string, number: string, countryCode: string): string {
	// A spreadsheet's float: "6281234567890.0" is the whole number, not digits 6281234567890 and 0.
	const whole = /^(\+?\d+)\.0+$/.exec(number.trim());
	// "+62 (0)812..." is a common way to write the trunk 0 that must be dropped.
	let text = (whole ? whole[1] : number).replace(/\(0\)/g, '').replace(SEPARATORS, '');
	let international = false;
	if (text.startsWith('+')) {
		international = true;
		text = text.slice(1);
	} else if (text.startsWith('00')) {
		international = true;
		text = text.slice(2);
	}
	assertDigits(raw, number, text);

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
