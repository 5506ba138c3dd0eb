/**
 * The opt-out / opt-in keyword matcher of the triggers (nodes/shared/webhook/consent.ts): many languages, emoji,
 * punctuation, polite words around the keyword, and sentences that merely contain a keyword.
 */
import {
	ConsentKeywords,
	DEFAULT_CONSENT_KEYWORDS,
	consentKeywordsFrom,
	consentWords,
	parseKeywordList,
} from '../../nodes/shared/webhook/consent';
import { toItemJson } from '../../nodes/shared/webhook/event';
import { ProfiloraTrigger } from '../../nodes/ProfiloraTrigger/ProfiloraTrigger.node';
import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { useSandbox } from '../harness/sandbox';
import { listen } from './helpers';
import type { GatewayEvent } from '../../nodes/shared/webhook/event';

const classify = (text: string | null) => DEFAULT_CONSENT_KEYWORDS.classify(text);

describe('default opt-out keywords', () => {
	test.each([
		// English
		'STOP',
		'stop',
		'Stop 🙏',
		'🙏🙏 stop 🙏',
		'STOP!!!',
		'  stop. ',
		'Stop please',
		'please stop',
		'Please STOP, thank you',
		'stop all',
		'STOPALL',
		'Unsubscribe',
		'unsubscribe me',
		'Opt-out',
		'opt out',
		'stop sending me',
		'Stop messaging',
		'no more messages',
		'remove me',
		'cancel',
		'QUIT',
		'Stop 👍🏽',
		'stop ❤️',
		// Indonesian
		'BERHENTI',
		'berhenti ya kak',
		'tolong berhenti',
		'Stop kirim',
		'stop kirim ya',
		'jangan kirim lagi',
		'Jangan kirim pesan lagi ya',
		'batal langganan',
		'berhenti berlangganan, terima kasih',
		// Hindi / Hinglish
		'band karo',
		'Band karo ji',
		'BAND KAR DO',
		'bandh karo',
		'mat bhejo',
		'message mat bhejo please',
		'बंद करो',
		'कृपया बंद करो',
		'मत भेजो',
		// Spanish
		'PARAR',
		'para',
		'Baja',
		'darme de baja por favor',
		'cancelar',
		'No más mensajes',
		'no mas mensajes',
		// Portuguese
		'pare',
		'Pare por favor',
		'sair',
		'CANCELAR',
		'descadastrar',
		'Não quero mais',
		'nao quero mais, obrigado',
	])('%s is a stop', (text) => {
		expect(classify(text)).toEqual({ optOut: true, optIn: false });
	});

	test.each([
		"don't stop sending me deals",
		'Dont stop',
		'when does the sale stop?',
		'please stop by our store',
		'I want to cancel my order',
		'stop the order 123',
		'Jangan berhenti kirim promo',
		'kapan promonya berhenti?',
		'band karo mat, bhejo',
		'para mi hermana',
		'não pare de enviar',
		'Can you unsubscribe my friend and keep me?',
		'Stoppage at the warehouse',
		'unstoppable',
		'bus stop',
		'Hello',
		'',
		'🙏',
		'thanks',
	])('%s is not a stop', (text) => {
		expect(classify(text).optOut).toBe(false);
	});

	test('no text (a photo without caption, a status event) asks nothing', () => {
		expect(classify(null)).toEqual({ optOut: false, optIn: false });
	});

	test('a long message is never a keyword', () => {
		expect(classify(`stop ${'please '.repeat(40)}`).optOut).toBe(false);
	});
});

describe('default opt-in keywords', () => {
	test.each([
		'START',
		'start 🙂',
		'Start please',
		'unstop',
		'Subscribe',
		'MULAI',
		'mulai lagi ya kak',
		'shuru karo',
		'Start karo ji',
		'शुरू करो',
		'empezar',
		'Alta',
		'Começar',
		'comecar',
		'voltar',
	])('%s asks to start again', (text) => {
		expect(classify(text)).toEqual({ optOut: false, optIn: true });
	});

	test.each(["let's start the order", 'start time?', 'when do you start delivering', 'yes'])(
		'%s does not',
		(text) => {
			expect(classify(text).optIn).toBe(false);
		},
	);
});

describe('normalising', () => {
	test('case, Latin accents, punctuation, emoji and spaces go; other scripts keep their letters', () => {
		expect(consentWords('  NÃO   quero-mais!!! 🙏🏽 ')).toEqual(['nao', 'quero', 'mais']);
		expect(consentWords('बंद करो।')).toEqual(['बंद', 'करो']);
		expect(consentWords('S\u200dT\uFE0FOP')).toEqual(['stop']);
	});
});

describe('configured keywords', () => {
	test('replace the defaults, matched the same tolerant way', () => {
		const mine = new ConsentKeywords(['Keluar dari promo', 'STOP PROMO'], ['gabung']);
		expect(mine.classify('keluar dari promo 🙏')).toEqual({ optOut: true, optIn: false });
		expect(mine.classify('Stop promo!')).toEqual({ optOut: true, optIn: false });
		expect(mine.classify('stop')).toEqual({ optOut: false, optIn: false });
		expect(mine.classify('GABUNG ya')).toEqual({ optOut: false, optIn: true });
	});

	test('typed as text with commas or lines; empty text means the defaults', () => {
		expect(parseKeywordList('stop, berhenti\nband karo;;', [])).toEqual([
			'stop',
			'berhenti',
			'band karo',
		]);
		expect(parseKeywordList('  ', ['stop'])).toEqual(['stop']);
		const fromOptions = consentKeywordsFrom({ optOutKeywords: 'halt' });
		expect(fromOptions.classify('HALT').optOut).toBe(true);
		expect(fromOptions.classify('stop').optOut).toBe(false);
		// The opt-in side kept its defaults.
		expect(fromOptions.classify('start').optIn).toBe(true);
	});
});

describe('trigger items', () => {
	const event = (over: Partial<GatewayEvent>): GatewayEvent => ({
		service: 'sobot',
		event: 'message',
		messageId: 'wamid.1',
		status: 'received',
		from: '6281234567890',
		to: '919000000001',
		name: 'Ani',
		timestamp: null,
		messageType: 'text',
		text: 'Stop 🙏',
		media: null,
		...over,
	});

	test('a message item carries optOut and optIn', () => {
		const json = toItemJson(event({}), '2026-12-03T00:00:00.000Z', {}, false);
		expect(json).toMatchObject({ optOut: true, optIn: false, from: '6281234567890' });
	});

	test('a status event never asks to stop, whatever text it carries', () => {
		const json = toItemJson(
			event({ event: 'status', status: 'read', text: 'STOP' }),
			'2026-12-03T00:00:00.000Z',
			{},
			false,
		);
		expect(json).toMatchObject({ optOut: false, optIn: false });
	});
});

describe('through the webhook triggers, fed by the sandbox', () => {
	const sandboxCtx = useSandbox();

	test('Sobot Trigger: "Stop 🙏" is optOut, a question about stopping is not; configured keywords apply', async () => {
		const endpoint = await listen(sandboxCtx.sandbox, 'sobot', new SobotTrigger(), {
			events: 'message',
		});
		for (const text of ['Stop 🙏', 'when does the sale stop?', 'Mulai lagi ya']) {
			await sandboxCtx.sandbox.sobot.incoming({ from: '6281234567890', name: 'Ani', text });
		}
		const items = endpoint.executions.map((run) => run[0].json);
		expect(items.map((i) => [i.text, i.optOut, i.optIn])).toEqual([
			['Stop 🙏', true, false],
			['when does the sale stop?', false, false],
			['Mulai lagi ya', false, true],
		]);

		const custom = await listen(sandboxCtx.sandbox, 'sobot', new SobotTrigger(), {
			events: 'message',
			options: { optOutKeywords: 'keluar promo' },
		});
		await sandboxCtx.sandbox.sobot.incoming({ from: '6281234567891', text: 'Keluar promo!' });
		await sandboxCtx.sandbox.sobot.incoming({ from: '6281234567891', text: 'STOP' });
		expect(custom.executions.map((run) => run[0].json.optOut)).toEqual([true, false]);
	});

	test('Profilora Trigger marks a stop too', async () => {
		const endpoint = await listen(sandboxCtx.sandbox, 'profilora', new ProfiloraTrigger(), {
			events: 'message',
		});
		await sandboxCtx.sandbox.profilora.incoming({ from: '6281234567890', text: 'BERHENTI!!' });
		expect(endpoint.executions.map((run) => run[0].json.optOut)).toEqual([true]);
	});
});
