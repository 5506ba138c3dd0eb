/**
 * Phone numbers as they really arrive, through a real node in n8n's engine: the sandbox records what reached the
 * gateway, so a number that became other digits on the way would show here.
 */
import { useSandbox } from '../harness/sandbox';
import { KEY, run } from '../wachatpro/helpers';

const ctx = useSandbox();

describe('phone numbers pasted from phones, WhatsApp, web pages and spreadsheets, through WAChatPro Send Text', () => {
	test('each becomes the right digits at the gateway, or an error item that says what to fix; nothing wrong is sent', async () => {
		const result = await run(
			ctx.sandbox,
			'message',
			'sendText',
			{ recipient: '={{ $json.phone }}', text: 'Hi' },
			{
				continueOnFail: true,
				items: [
					// A WhatsApp contact card: direction marks around the number, a no-break space inside.
					{ json: { phone: '\u200e+62\u00a0812-3456-7890\u200f' } },
					{ json: { phone: 'https://wa.me/6281234567891?text=Halo' } },
					// A JSON number (an expression keeps its type): the digits are trusted.
					{ json: { phone: 6281234567892 } },
					{
						json: {
							phone:
								'\uff10\uff18\uff11\uff12\u2013\uff13\uff14\uff15\uff16\u2013\uff17\uff18\uff19\uff13',
						},
					},
					{ json: { phone: 'tel:+62-812-3456-7894' } },
					// A spreadsheet stored 6281234567895 as 6.28E+12: refused, not sent to 6280000000000.
					{ json: { phone: 6.28e12 } },
					{ json: { phone: '6.28123E+12' } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual(
			[0, 1, 2, 3, 4, 5, 6].map((item) => ({ item })),
		);
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/send').map((r) => r.body)).toEqual(
			['6281234567890', '6281234567891', '6281234567892', '6281234567893', '6281234567894'].map(
				(phone) => ({ key: KEY, phone, body: 'Hi' }),
			),
		);
		expect(result.items.slice(0, 5).map((i) => i.json.to)).toEqual([
			'6281234567890',
			'6281234567891',
			'6281234567892',
			'6281234567893',
			'6281234567894',
		]);
		expect(result.items[5].json.error).toBe(
			'Recipient (item 5): arrived as the number 6280000000000, which ends in 10 zeros: its digits were probably lost in scientific notation (6.28E+12). Format the spreadsheet column as text; if the number really ends in 10 zeros, pass it as text',
		);
		expect(result.items[6].json.error).toBe(
			'Recipient (item 6): "6.28123E+12" is a number in scientific notation, which has lost digits: format the spreadsheet column as text and copy the number again',
		);
		expect(result.items.slice(5).map((i) => i.json.attempts)).toEqual([0, 0]);
	});
});
