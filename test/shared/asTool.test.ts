/**
 * The send operations as an AI agent calls them: every parameter a `$fromAI()` expression, resolved by n8n's engine
 * from what the model sent (here the input item, where n8n's workflow-data proxy reads it outside an agent), in the
 * forms models write numbers: digits, `+` with spaces and dashes, a JSON number. The agent itself runs in real n8n
 * (e2e/checks/agent.ts); this proves the node side without a model.
 */
import type { IDataObject } from 'n8n-workflow';

import { useSandbox } from '../harness/sandbox';
import { customersWrite, runSobot } from '../sobot/helpers';
import { run as runWaChatPro } from '../wachatpro/helpers';

const ctx = useSandbox();
const fromAi = (key: string, type = 'string') =>
	`={{ $fromAI('${key}', \`the ${key}\`, '${type}') }}`;

describe('Sobot Message → Send and WAChatPro Send Text with $fromAI parameters', () => {
	test.each<[string, unknown]>([
		['digits', '919812345678'],
		['+ with spaces', '+91 98123 45678'],
		['a JSON number', 919812345678],
		['a local number with the default country code 91', '098123 45678'],
	])(
		'Sobot: the recipient as %s reaches Sobot as digits with the country code',
		async (_form, recipient) => {
			await customersWrite(ctx.sandbox, '919812345678');
			const result = await runSobot(
				ctx.sandbox,
				'message',
				'send',
				{
					recipient: fromAi('recipient'),
					customerName: fromAi('customer_name'),
					messageType: 'text',
					text: fromAi('reply_text'),
					defaultCountryCode: '91',
				},
				{
					items: [
						{
							json: {
								recipient,
								customer_name: 'Priya',
								reply_text: 'Your order ships today.',
							} as IDataObject,
						},
					],
				},
			);
			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toMatchObject({ status: 'submitted', to: '919812345678' });
			expect(ctx.sandbox.sobot.sent.map((m) => [m.to, m.name, m.body.message])).toEqual([
				['919812345678', 'Priya', 'Your order ships today.'],
			]);
		},
	);

	test.each<[string, unknown]>([
		['+ with dashes', '+62 812-5555-0101'],
		['a JSON number', 6281255550101],
	])('WAChatPro: the phone number as %s reaches WAChatPro as digits', async (_form, phone) => {
		const result = await runWaChatPro(
			ctx.sandbox,
			'message',
			'sendText',
			{
				recipient: fromAi('team_number'),
				text: fromAi('summary'),
				sendingOptions: { maxAttempts: 1 },
			},
			{
				items: [
					{ json: { team_number: phone, summary: 'Asha asked about order 4521.' } as IDataObject },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ to: '6281255550101' });
		expect(ctx.sandbox.accepted.map((m) => [m.vendor, m.to, m.content])).toEqual([
			['wachatpro', '6281255550101', 'Asha asked about order 4521.'],
		]);
	});

	test('a model that sends a number with a decimal point or as a list is refused, naming the field and the item', async () => {
		await customersWrite(ctx.sandbox, '919812345678');
		const send = async (recipient: unknown) =>
			await runSobot(
				ctx.sandbox,
				'message',
				'send',
				{ recipient: fromAi('recipient'), customerName: 'Priya', messageType: 'text', text: 'Hi' },
				{ items: [{ json: { recipient } as IDataObject }] },
			);
		for (const recipient of [9.1e11 + 0.5, ['919812345678']]) {
			const { error } = await send(recipient);
			expect(error?.message).toMatch(/Recipient/);
			expect(error?.message).toMatch(/item 0|item 1/i);
		}
		expect(ctx.sandbox.sobot.sent).toHaveLength(0);
	});
});
