import type { INodeParameters } from 'n8n-workflow';

import { Sobot } from '../../nodes/Sobot/Sobot.node';
import { searchNodeList } from '../harness/loadOptions';
import { useSandbox } from '../harness/sandbox';
import { expectNoSecrets } from '../harness/secrets';
import { ACCESS_KEY, SECRET_KEY, bodiesTo, errorText, runSobot, sobotCredentials } from './helpers';

const ctx = useSandbox();
const TO = '919812345678';
const recipient = { recipient: '098123 45678', defaultCountryCode: '91', customerName: 'Priya' };

function sendTemplate(parameters: INodeParameters, extra = {}) {
	return runSobot(ctx.sandbox, 'message', 'sendTemplate', { ...recipient, ...parameters }, extra);
}

const bodyParameters = (...values: string[]) => ({ parameter: values.map((text) => ({ text })) });

describe('Sobot › Template field (resource locator search)', () => {
	const search = (method: string, filter?: string) =>
		searchNodeList({
			node: new Sobot(),
			method,
			filter,
			parameters: { resource: 'message', operation: 'sendTemplate' },
			credentials: sobotCredentials(ctx.sandbox),
		});

	test('lists the approved templates from every page, through a real LoadOptionsContext', async () => {
		for (let i = 0; i < 25; i++) {
			ctx.sandbox.sobot.templates.push({
				...ctx.sandbox.sobot.templates[0],
				id: 100 + i,
				entity_name: `bulk_${String(i).padStart(2, '0')}`,
				template: `Bulk {{1}} number ${i}`,
			});
		}
		const { results } = await search('searchApprovedTemplates');
		expect(results).toHaveLength(29);
		expect(results.map((option) => option.value)).toEqual(
			expect.arrayContaining(['order_update', 'welcome_offer', 'bulk_24']),
		);
		expect(results.map((option) => option.value)).not.toContain('diwali_sale');
		expect(results.map((option) => option.value)).not.toContain('free_money');
		expect(results.find((option) => option.value === 'order_update')).toEqual({
			name: 'order_update (en_US)',
			value: 'order_update',
			description: 'Hi {{1}}, your order {{2}} has shipped and arrives on {{3}}.',
		});
		const pages = ctx.sandbox.requestsTo('sobot', '/api/template/');
		expect(pages.map((request) => request.query)).toEqual([
			{ status: '1' },
			{ status: '1', page: '2' },
		]);
		expect(pages.every((request) => request.headers['x-api-secret'] === SECRET_KEY)).toBe(true);
	});

	test('what the user types filters by name, any case', async () => {
		expect(
			(await search('searchApprovedTemplates', 'ORDER')).results.map((option) => option.value),
		).toEqual(['order_update', 'track_order']);
		expect((await search('searchApprovedTemplates', 'shipped')).results).toEqual([]);
		expect((await search('searchApprovedTemplates', 'no such thing')).results).toEqual([]);
	});

	test('Template › Get lists every template with its status', async () => {
		const { results } = await search('searchTemplates');
		expect(results.find((option) => option.value === 'diwali_sale')?.name).toMatch(/· pending$/);
		expect(results.find((option) => option.value === 'free_money')?.name).toMatch(/· rejected$/);
		expect(ctx.sandbox.requestsTo('sobot', '/api/template/')[0].query).toEqual({});
	});

	test('wrong keys make the list fail with a clear message', async () => {
		await expect(
			searchNodeList({
				node: new Sobot(),
				method: 'searchApprovedTemplates',
				credentials: {
					sobotApi: {
						apiKey: 'nope-nope',
						secretKey: 'nope-nope-nope',
						baseUrl: ctx.sandbox.baseUrl('sobot'),
					},
				},
			}),
		).rejects.toThrow('Sobot rejected the request (HTTP 401)');
	});
});

describe('Sobot › Message › Send Template', () => {
	test('from the list, with body parameters in the UI; the language comes from the template', async () => {
		const result = await sendTemplate({
			template: { __rl: true, mode: 'list', value: 'order_update' },
			bodyParameters: bodyParameters('Priya', 'A-42', 'Friday'),
		});
		expect(result.error).toBeUndefined();
		expect(bodiesTo(ctx.sandbox, '/message/')).toEqual([
			{
				customer_number: TO,
				customer_name: 'Priya',
				type: 'template',
				template_name: 'order_update',
				template_lang: 'en_US',
				params: [
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Priya' },
							{ type: 'text', text: 'A-42' },
							{ type: 'text', text: 'Friday' },
						],
					},
				],
			},
		]);
		expect(result.items).toEqual([
			{
				json: {
					messageId: ctx.sandbox.accepted[0].id,
					status: 'submitted',
					message: 'Message sent successfully.',
					to: TO,
					template: 'order_update',
					language: 'en_US',
					attempts: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
		expectNoSecrets(result, [ACCESS_KEY, SECRET_KEY]);
	});

	test('templates go without the 24-hour window', async () => {
		const result = await sendTemplate({ template: 'appointment_reminder' });
		expect(result.error).toBeUndefined();
		expect(bodiesTo(ctx.sandbox, '/message/')[0]).toEqual({
			customer_number: TO,
			customer_name: 'Priya',
			type: 'template',
			template_name: 'appointment_reminder',
			template_lang: 'en_US',
		});
	});

	test.each<[string, INodeParameters, Record<string, unknown>]>([
		[
			'image',
			{ headerParameterType: 'image', headerMediaUrl: 'https://cdn.example.com/b.jpg' },
			{ type: 'image', image: { link: 'https://cdn.example.com/b.jpg' } },
		],
		[
			'document',
			{
				headerParameterType: 'document',
				headerMediaUrl: 'https://cdn.example.com/i.pdf',
				headerFileName: 'invoice.pdf',
			},
			{
				type: 'document',
				document: { link: 'https://cdn.example.com/i.pdf', filename: 'invoice.pdf' },
			},
		],
		[
			'video',
			{ headerParameterType: 'video', headerMediaUrl: 'https://cdn.example.com/v.mp4' },
			{ type: 'video', link: 'https://cdn.example.com/v.mp4' },
		],
		[
			'text',
			{ headerParameterType: 'text', headerText: 'Hi there' },
			{ type: 'text', text: 'Hi there' },
		],
	])(
		'by name, with a %s header parameter, a language and a button parameter',
		async (_name, header, expected) => {
			const result = await sendTemplate({
				template: { __rl: true, mode: 'name', value: '={{ "welcome_offer" }}' },
				language: 'en',
				...header,
				bodyParameters: bodyParameters('Priya', '20%'),
				buttonParameters: { button: [{ index: 1, subType: 'quickReply', value: 'no-thanks' }] },
			});
			expect(result.error).toBeUndefined();
			expect(bodiesTo(ctx.sandbox, '/message/')[0].params).toEqual([
				{ type: 'header', parameters: [expected] },
				{
					type: 'body',
					parameters: [
						{ type: 'text', text: 'Priya' },
						{ type: 'text', text: '20%' },
					],
				},
				{
					type: 'button',
					sub_type: 'quick_reply',
					index: '1',
					parameters: [{ type: 'payload', payload: 'no-thanks' }],
				},
			]);
		},
	);

	test('parameters as JSON pass as they are; a URL button gets a text parameter', async () => {
		const params = [
			{ type: 'body', parameters: [{ type: 'text', text: 'A-42' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A-42' }] },
		];
		const result = await sendTemplate({
			template: { __rl: true, mode: 'name', value: 'track_order' },
			parametersMode: 'json',
			parametersJson: JSON.stringify(params),
		});
		expect(result.error).toBeUndefined();
		expect(bodiesTo(ctx.sandbox, '/message/')[0]).toMatchObject({
			template_name: 'track_order',
			template_lang: 'en_US',
			params,
		});
	});

	test.each<[string, INodeParameters, RegExp]>([
		[
			'too few body parameters',
			{ template: 'order_update', bodyParameters: bodyParameters('Priya') },
			/^Body Parameters \(item 0\): the template "order_update" has 3 body variable\(s\) but 1 body parameter\(s\) were given/,
		],
		[
			'too many body parameters in JSON',
			{
				template: { __rl: true, mode: 'name', value: 'appointment_reminder' },
				parametersMode: 'json',
				parametersJson: '[{"type":"body","parameters":[{"type":"text","text":"x"}]}]',
			},
			/^Parameters \(JSON\) \(item 0\): the template "appointment_reminder" has 0 body variable\(s\) but 1/,
		],
		[
			'an empty body parameter',
			{ template: 'order_update', bodyParameters: bodyParameters('a', ' ', 'c') },
			/^Body Parameters \(item 0\): parameter 2 \(for \{\{2\}\}\) is empty/,
		],
		[
			'a pending template',
			{ template: { __rl: true, mode: 'name', value: 'diwali_sale' }, language: 'en' },
			/^Template \(item 0\): "diwali_sale" is pending in Sobot; only approved templates can be sent/,
		],
		[
			'a rejected template',
			{ template: { __rl: true, mode: 'name', value: 'free_money' } },
			/^Template \(item 0\): "free_money" is rejected in Sobot/,
		],
		[
			'an unknown template without a language',
			{ template: { __rl: true, mode: 'name', value: 'nope' } },
			/^Language \(item 0\): is empty and Sobot lists no template named "nope"/,
		],
		[
			'JSON that is not a list',
			{ template: 'order_update', parametersMode: 'json', parametersJson: '{"type":"body"}' },
			/^Parameters \(JSON\) \(item 0\): must be a list/,
		],
		[
			'a JSON entry of an unknown type',
			{
				template: 'order_update',
				parametersMode: 'json',
				parametersJson: '[{"type":"footer","parameters":[]}]',
			},
			/^Parameters \(JSON\) \(item 0\): entry 1 has type "footer"/,
		],
		[
			'a header media URL that is not http',
			{
				template: 'welcome_offer',
				headerParameterType: 'image',
				headerMediaUrl: 'file:///etc/passwd',
			},
			/^Header Media URL \(item 0\): .* must start with http:\/\/ or https:\/\//,
		],
	])('refuses %s before sending', async (_name, parameters, message) => {
		const result = await sendTemplate({ ...parameters });
		expect(errorText(result)).toMatch(message);
		expect(ctx.sandbox.requestsTo('sobot', '/message/')).toHaveLength(0);
	});

	test("a template Sobot does not list is still sent when a language is given; Sobot's refusal is reported", async () => {
		const result = await sendTemplate({
			template: { __rl: true, mode: 'name', value: 'not_listed' },
			language: 'en',
		});
		expect(bodiesTo(ctx.sandbox, '/message/')).toHaveLength(1);
		expect(errorText(result)).toBe(
			'Sobot rejected the request (HTTP 400): Template not_listed not found or not approved',
		);
	});

	test('the template is looked up once per execution, whatever the number of items', async () => {
		const result = await sendTemplate(
			{ recipient: '={{ $json.to }}', template: 'appointment_reminder' },
			{
				items: [
					{ json: { to: '919800000011' } },
					{ json: { to: '919800000012' } },
					{ json: { to: '919800000013' } },
				],
			},
		);
		expect(result.items).toHaveLength(3);
		expect(ctx.sandbox.requestsTo('sobot', '/api/template/')).toHaveLength(1);
		expect(ctx.sandbox.requestsTo('sobot', '/message/')).toHaveLength(3);
	});
});
