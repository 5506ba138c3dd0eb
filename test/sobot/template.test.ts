import type { INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/sandbox';
import { expectNoSecrets } from '../harness/secrets';
import { ACCESS_KEY, SECRET_KEY, bodiesTo, errorText, runSobot } from './helpers';

const ctx = useSandbox();

const create = (parameters: INodeParameters, extra = {}) =>
	runSobot(ctx.sandbox, 'template', 'create', parameters, extra);
const examples = (...values: string[]) => ({ example: values.map((value) => ({ value })) });

describe('Sobot › Template › Create', () => {
	test('a text template with a text header, examples and quick replies', async () => {
		const result = await create({
			templateName: 'order_shipped',
			category: 'utility',
			language: 'en',
			headerType: 'text',
			headerText: 'Order {{1}}',
			headerExample: 'A-42',
			body: 'Hi {{1}}, order {{2}} left our store.',
			bodyExamples: examples('Priya', 'A-42'),
			footer: 'Sandbox Shop',
			buttonsType: 'quickReply',
			quickReplies: { button: [{ text: 'Thanks' }, { text: 'Where is it?' }] },
		});
		expect(result.error).toBeUndefined();
		expect(bodiesTo(ctx.sandbox, '/api/template/')).toEqual([
			{
				category: 'UTILITY',
				entity_name: 'order_shipped',
				lang_code: 'en',
				template_type: 'TEXT',
				header_type: 'TEXT',
				header: 'Order {{1}}',
				example_header_param: { header_text: ['A-42'] },
				footer: 'Sandbox Shop',
				body: 'Hi {{1}}, order {{2}} left our store.',
				example_body_param: { body_text: [['Priya', 'A-42']] },
				buttons: ['Thanks', 'Where is it?'],
			},
		]);
		expect(result.items).toEqual([
			{
				json: {
					name: 'order_shipped',
					status_name: 'pending',
					message: 'Template created successfully',
					code: 201,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(ctx.sandbox.sobot.templates.find((t) => t.entity_name === 'order_shipped')?.status).toBe(
			0,
		);
		expectNoSecrets(result, [ACCESS_KEY, SECRET_KEY]);
	});

	test('a media-header template with a call-to-action phone and dynamic URL', async () => {
		const result = await create({
			templateName: 'new_arrivals',
			category: 'marketing',
			headerType: 'image',
			sampleMediaUrl: 'https://cdn.example.com/sample.jpg',
			body: 'New in store this week!',
			buttonsType: 'cta',
			phoneButtonText: 'Call us',
			phoneNumber: '+91 98123 45678',
			urlButtonText: 'See them',
			url: 'https://shop.example/new/{{1}}',
			exampleWebsite: 'https://shop.example/new/week-12',
		});
		expect(result.error).toBeUndefined();
		expect(bodiesTo(ctx.sandbox, '/api/template/')).toEqual([
			{
				category: 'MARKETING',
				entity_name: 'new_arrivals',
				lang_code: 'en_US',
				template_type: 'MEDIA',
				header_type: 'IMAGE',
				example: 'https://cdn.example.com/sample.jpg',
				body: 'New in store this week!',
				sub_type: 'CTA',
				phone_numbers: [{ phone_number: '919812345678', text: 'Call us' }],
				url: 'https://shop.example/new/{{1}}',
				url_name: 'See them',
				example_website: 'https://shop.example/new/week-12',
			},
		]);
	});

	test('a plain text template sends only what it has', async () => {
		const result = await create({ templateName: 'plain', body: 'Thank you for your order.' });
		expect(result.error).toBeUndefined();
		expect(bodiesTo(ctx.sandbox, '/api/template/')).toEqual([
			{
				category: 'UTILITY',
				entity_name: 'plain',
				lang_code: 'en_US',
				template_type: 'TEXT',
				body: 'Thank you for your order.',
			},
		]);
	});

	test("a taken name: Sobot's refusal (HTTP 200, code 400) is an error", async () => {
		const result = await create({ templateName: 'order_update', body: 'Again' });
		expect(errorText(result)).toBe(
			'Sobot rejected the request (HTTP 200, error code 400 in the body): Template with this name already exists',
		);
	});

	test.each<[string, INodeParameters, RegExp]>([
		[
			'a name with spaces',
			{ templateName: 'order update' },
			/^Template Name \(item 0\): "order update" may hold only lowercase letters, digits and underscores/,
		],
		[
			'a name over 128',
			{ templateName: 'a'.repeat(129) },
			/^Template Name \(item 0\): is 129 characters long; the most allowed is 128/,
		],
		[
			'a body over 1024',
			{ body: 'x'.repeat(1025) },
			/^Body \(item 0\): is 1025 characters long; the most allowed is 1024/,
		],
		[
			'variables out of order',
			{ body: 'Hi {{2}} and {{1}}', bodyExamples: examples('a', 'b') },
			/^Body \(item 0\): variables must be numbered \{\{1\}\}, \{\{2\}\}\.\.\. in order/,
		],
		[
			'missing examples',
			{ body: 'Hi {{1}} and {{2}}', bodyExamples: examples('a') },
			/^Body Examples \(item 0\): the body has 2 variable\(s\) but 1 example\(s\) were given/,
		],
		[
			'a header over 60',
			{ headerType: 'text', headerText: 'x'.repeat(61) },
			/^Header Text \(item 0\): is 61 characters long/,
		],
		[
			'two header variables',
			{ headerType: 'text', headerText: '{{1}} {{2}}' },
			/^Header Text \(item 0\): may hold one variable only/,
		],
		[
			'a header variable without example',
			{ headerType: 'text', headerText: 'Hi {{1}}' },
			/^Header Example \(item 0\): is required but empty/,
		],
		[
			'a media header without a sample',
			{ headerType: 'video' },
			/^Sample Media URL \(item 0\): is required but empty/,
		],
		['a footer over 60', { footer: 'x'.repeat(61) }, /^Footer \(item 0\): is 61 characters long/],
		[
			'a footer with a variable',
			{ footer: 'Bye {{1}}' },
			/^Footer \(item 0\): may not hold variables/,
		],
		[
			'four quick replies',
			{
				buttonsType: 'quickReply',
				quickReplies: { button: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }] },
			},
			/^Quick Replies \(item 0\): has 4 buttons; use 1 to 3/,
		],
		[
			'twin quick replies',
			{ buttonsType: 'quickReply', quickReplies: { button: [{ text: 'OK' }, { text: 'ok' }] } },
			/^Quick Replies \(item 0\): buttons 1 and 2 are both "ok"/,
		],
		[
			'a quick reply over 25',
			{ buttonsType: 'quickReply', quickReplies: { button: [{ text: 'x'.repeat(26) }] } },
			/^Quick Replies \(item 0\): button 1: "x+" is 26 characters long; the most allowed is 25/,
		],
		[
			'a CTA without buttons',
			{ buttonsType: 'cta' },
			/^Phone Button Text \(item 0\): and URL Button Text are both empty/,
		],
		[
			'a dynamic URL without example',
			{ buttonsType: 'cta', urlButtonText: 'Go', url: 'https://x.example/{{1}}' },
			/^Example URL \(item 0\): is required but empty/,
		],
		[
			'a variable inside the URL',
			{ buttonsType: 'cta', urlButtonText: 'Go', url: 'https://x.example/{{1}}/x' },
			/^URL \(item 0\): may only end in \{\{1\}\}/,
		],
		[
			'a bad phone number',
			{ buttonsType: 'cta', phoneButtonText: 'Call', phoneNumber: 'call me' },
			/^Phone Number \(item 0\):/,
		],
	])('refuses %s before any request', async (_name, parameters, message) => {
		const result = await create({ templateName: 'checked', body: 'Body', ...parameters });
		expect(errorText(result)).toMatch(message);
		expect(ctx.sandbox.requestsTo('sobot')).toHaveLength(0);
	});
});

describe('Sobot › Template › Get Many (the sync) and Get', () => {
	async function createMany(count: number) {
		await create(
			{ templateName: '={{ $json.name }}', body: 'Body {{1}}', bodyExamples: examples('x') },
			{
				items: Array.from({ length: count }, (_, i) => ({
					json: { name: `bulk_${String(i).padStart(2, '0')}` },
				})),
			},
		);
		ctx.sandbox.requests.length = 0;
	}

	test('Return All of every status follows the pages; each template says its status in words', async () => {
		await createMany(40);
		const result = await runSobot(ctx.sandbox, 'template', 'getAll', {
			status: 'all',
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(46);
		expect(ctx.sandbox.requestsTo('sobot', '/api/template/').map((r) => r.query)).toEqual([
			{},
			{ page: '2' },
			{ page: '3' },
		]);
		const orderUpdate = result.items.find((item) => item.json.entity_name === 'order_update')?.json;
		expect(orderUpdate).toMatchObject({
			id: expect.any(Number),
			template: 'Hi {{1}}, your order {{2}} has shipped and arrives on {{3}}.',
			category: 'UTILITY',
			template_type: 'TEXT',
			lang_code: 'en_US',
			template_id: expect.any(String),
			status: 1,
			status_name: 'approved',
		});
	});

	test.each([
		['pending', '0', 41],
		['approved', '1', 4],
		['rejected', '2', 1],
	])('the %s filter asks Sobot for status=%s', async (status, code, count) => {
		await createMany(40);
		const result = await runSobot(ctx.sandbox, 'template', 'getAll', { status, returnAll: true });
		expect(result.items).toHaveLength(count);
		expect(result.items.every((item) => item.json.status_name === status)).toBe(true);
		expect(ctx.sandbox.requestsTo('sobot', '/api/template/')[0].query).toEqual({ status: code });
	});

	test('a limit stops early; an approval shows up in the next sync', async () => {
		await createMany(40);
		const limited = await runSobot(ctx.sandbox, 'template', 'getAll', {
			status: 'pending',
			returnAll: false,
			limit: 5,
		});
		expect(limited.items).toHaveLength(5);
		expect(ctx.sandbox.requestsTo('sobot', '/api/template/')).toHaveLength(1);

		ctx.sandbox.sobot.review('bulk_07', 'approved');
		const approved = await runSobot(ctx.sandbox, 'template', 'getAll', {
			status: 'approved',
			returnAll: true,
		});
		expect(approved.items.map((item) => item.json.entity_name)).toContain('bulk_07');
	});

	test('Get finds one template by name, across pages', async () => {
		await createMany(40);
		const result = await runSobot(ctx.sandbox, 'template', 'get', {
			template: { __rl: true, mode: 'name', value: 'bulk_30' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: expect.objectContaining({
					entity_name: 'bulk_30',
					status: 0,
					status_name: 'pending',
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	test('Get of an unknown name is an error naming the field; with Continue On Fail an error item', async () => {
		const result = await runSobot(
			ctx.sandbox,
			'template',
			'get',
			{ template: { __rl: true, mode: 'name', value: '={{ $json.name }}' } },
			{
				continueOnFail: true,
				items: [{ json: { name: 'nope' } }, { json: { name: 'free_money' } }],
			},
		);
		expect(result.items).toEqual([
			{
				json: expect.objectContaining({
					error: 'Template (item 0): Sobot lists no template named "nope"',
				}),
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({
					entity_name: 'free_money',
					status_name: 'rejected',
					rejected_reason: expect.any(String),
				}),
				pairedItem: { item: 1 },
			},
		]);
	});
});
