import type { INodeProperties } from 'n8n-workflow';

/**
 * Whether an incoming message asks to stop messages (`optOut`) or to start them again (`optIn`).
 *
 * A message counts only when, once case, accents, punctuation, emoji and polite filler words at its edges are set
 * aside, it IS one of the keywords: "Stop 🙏", "STOP!!", "please stop", "Berhenti ya kak" and "band karo ji" are
 * stops; "don't stop sending me deals" and "when does the sale stop?" are not, because more than a keyword and
 * filler is left. Keywords are the user's (trigger option) or the defaults below, matched the same way.
 * docs/keep-your-number-safe.md, "Opt-out".
 */

/**
 * Defaults, by language. English follows the carriers' reserved SMS words (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END,
 * QUIT; START, UNSTOP); the others are what customers of our users write (Indonesian, Hindi and Hinglish in Latin and
 * Devanagari letters, Spanish, Portuguese).
 */
export const DEFAULT_OPT_OUT_KEYWORDS: readonly string[] = [
	// English
	'stop',
	'stop all',
	'stopall',
	'unsubscribe',
	'unsub',
	'cancel',
	'end',
	'quit',
	'opt out',
	'optout',
	'stop sending',
	'stop messaging',
	'stop messages',
	'no more messages',
	'remove me',
	// Indonesian
	'berhenti',
	'berhenti kirim',
	'berhenti berlangganan',
	'stop kirim',
	'jangan kirim',
	'jangan kirim lagi',
	'jangan kirim pesan lagi',
	'batal langganan',
	'berhenti langganan',
	// Hindi / Hinglish
	'band karo',
	'band kar do',
	'band kardo',
	'bandh karo',
	'mat bhejo',
	'message mat bhejo',
	'msg mat bhejo',
	'बंद करो',
	'बंद कर दो',
	'मत भेजो',
	'रोको',
	// Spanish
	'parar',
	'para',
	'alto',
	'baja',
	'dar de baja',
	'darme de baja',
	'cancelar',
	'no mas mensajes',
	'no enviar',
	// Portuguese
	'pare',
	'sair',
	'descadastrar',
	'nao quero mais',
	'nao enviar',
	'remover',
];

export const DEFAULT_OPT_IN_KEYWORDS: readonly string[] = [
	// English
	'start',
	'unstop',
	'subscribe',
	'resubscribe',
	'opt in',
	'optin',
	// Indonesian
	'mulai',
	'mulai lagi',
	'berlangganan',
	'langganan lagi',
	// Hindi / Hinglish
	'shuru karo',
	'chalu karo',
	'start karo',
	'शुरू करो',
	'चालू करो',
	// Spanish
	'empezar',
	'comenzar',
	'suscribir',
	'alta',
	'reanudar',
	// Portuguese
	'iniciar',
	'comecar',
	'voltar',
	'assinar',
];

/**
 * Words that may stand before or after a keyword without changing what it asks for ("please stop", "stop now",
 * "berhenti ya kak", "band karo ji", "pare por favor", "stop sending me").
 */
const FILLER = new Set([
	// English
	'please',
	'pls',
	'plz',
	'plis',
	'thanks',
	'thank',
	'you',
	'thx',
	'ok',
	'okay',
	'now',
	'me',
	'all',
	'sir',
	'madam',
	'hi',
	'hello',
	// Indonesian
	'tolong',
	'mohon',
	'ya',
	'yah',
	'dong',
	'deh',
	'aja',
	'saja',
	'kak',
	'min',
	'pak',
	'bu',
	'terima',
	'kasih',
	'makasih',
	'sekarang',
	'saya',
	// Hindi / Hinglish
	'ji',
	'bhai',
	'abhi',
	'kripya',
	'dhanyavad',
	'कृपया',
	'जी',
	// Spanish / Portuguese
	'por',
	'favor',
	'porfa',
	'gracias',
	'obrigado',
	'obrigada',
	'agora',
	'ahora',
	'senor',
	'senhor',
]);

/**
 * Lower case, Latin accents off ("não" → "nao", "más" → "mas"; other scripts keep their marks, which carry vowels),
 * every run of characters that is not a letter or digit (punctuation, emoji, symbols, spaces) one space.
 */
export function consentWords(text: string): string[] {
	const folded = text
		// Emoji presentation selectors and the keycap mark are marks that say nothing ("🙏️", "1️⃣"); invisible format
		// characters (zero-width joiners, direction marks) come with pasted text and emoji sequences.
		.replace(/[\uFE00-\uFE0F\u20E3]|\p{Cf}/gu, '')
		.normalize('NFKD')
		.replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
		.normalize('NFC')
		.toLowerCase();
	return folded
		.replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
		.trim()
		.split(' ')
		.filter(Boolean);
}

export class ConsentKeywords {
	private readonly optOut: Set<string>;

	private readonly optIn: Set<string>;

	constructor(optOut: readonly string[], optIn: readonly string[]) {
		this.optOut = new Set(optOut.map((k) => consentWords(k).join(' ')).filter(Boolean));
		this.optIn = new Set(optIn.map((k) => consentWords(k).join(' ')).filter(Boolean));
	}

	/** `optOut` / `optIn` for one incoming message text (both false for anything else, or no text). */
	classify(text: string | null | undefined): { optOut: boolean; optIn: boolean } {
		if (typeof text !== 'string' || text.length > 200) return { optOut: false, optIn: false };
		const words = consentWords(text);
		return { optOut: this.matches(words, this.optOut), optIn: this.matches(words, this.optIn) };
	}

	/** The words, or the words with filler taken off either end, are exactly a keyword. */
	private matches(words: string[], keywords: Set<string>): boolean {
		if (words.length === 0 || words.length > 12) return false;
		let start = 0;
		let end = words.length;
		if (keywords.has(words.join(' '))) return true;
		// Peel filler off both ends, trying the keyword at each step: "stop all" is a keyword though "all" is filler.
		while (start < end) {
			if (FILLER.has(words[start])) start++;
			else if (FILLER.has(words[end - 1])) end--;
			else break;
			if (start < end && keywords.has(words.slice(start, end).join(' '))) return true;
		}
		// Filler inside a multi-word keyword's edges only: "berhenti ya kak" peels to "berhenti" above.
		return false;
	}
}

export const DEFAULT_CONSENT_KEYWORDS = new ConsentKeywords(
	DEFAULT_OPT_OUT_KEYWORDS,
	DEFAULT_OPT_IN_KEYWORDS,
);

/** A keyword list as typed in the trigger's options: comma- or line-separated; empty means the defaults. */
export function parseKeywordList(typed: unknown, defaults: readonly string[]): readonly string[] {
	if (typed === undefined || typed === null) return defaults;
	const list = Array.isArray(typed)
		? typed.map((k) => String(k))
		: String(typed)
				.split(/[,\n;]/)
				.map((k) => k.trim());
	const keywords = list.filter((k) => k.trim() !== '');
	return keywords.length > 0 ? keywords : defaults;
}

/** The keywords of a trigger's Options (`optOutKeywords`, `optInKeywords`). */
export function consentKeywordsFrom(options: {
	optOutKeywords?: unknown;
	optInKeywords?: unknown;
}): ConsentKeywords {
	if (options.optOutKeywords === undefined && options.optInKeywords === undefined)
		return DEFAULT_CONSENT_KEYWORDS;
	return new ConsentKeywords(
		parseKeywordList(options.optOutKeywords, DEFAULT_OPT_OUT_KEYWORDS),
		parseKeywordList(options.optInKeywords, DEFAULT_OPT_IN_KEYWORDS),
	);
}

/** The two trigger options (Profilora, Sobot and WAChatPro Trigger), shown with the defaults to edit. */
export const consentKeywordProperties: INodeProperties[] = [
	{
		displayName: 'Opt-In Keywords',
		name: 'optInKeywords',
		type: 'string',
		typeOptions: { rows: 3 },
		default: DEFAULT_OPT_IN_KEYWORDS.join(', '),
		description:
			'A message that is one of these (comma-separated; case, accents, punctuation, emoji and words like "please" do not matter) gets optIn: true: the customer asks to get messages again',
	},
	{
		displayName: 'Opt-Out Keywords',
		name: 'optOutKeywords',
		type: 'string',
		typeOptions: { rows: 3 },
		default: DEFAULT_OPT_OUT_KEYWORDS.join(', '),
		description:
			'A message that is one of these (comma-separated; case, accents, punctuation, emoji and words like "please" do not matter) gets optOut: true. A sentence that merely contains one ("don\'t stop sending me deals") does not.',
	},
];
