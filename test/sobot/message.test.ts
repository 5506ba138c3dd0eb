import type { INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../harness/sandbox';
import { expectNoSecrets } from '../harness/secrets';
import { startReceiver } from '../harness/receiver';
import { ACCESS_KEY, SECRET_KEY, bodiesTo, customersWrite, errorText, runSobot } from './helpers';

const ctx = useSandbox();
const TO = '919812345678';
const recipient = { recipient: '+91 98123 45678', customerName: 'Priya' };

async function send(parameters: INodeParameters) {
	await customersWrite(ctx.sandbox, TO);
	const result = await runSobot(ctx.sandbox, 'message', 'send', { ...recipient, ...parameters });
	return { result, bodies: bodiesTo(ctx.sandbox, '/message/') };
}

const list = (rows: number, sections = 1) => ({
	section: Array.from({ length: sections }, (_, s) => ({
		title: `Section ${s + 1}`,
		rows: {
			row: Array.from({ length: rows }, (_, r) => ({
				id: `s${s}r${r}`,
				title: `Row ${r}`,
				description: r === 0 ? 'First' : '',
			})),
		},
	})),
});

describe('Sobot › Message › Send: each type sends exactly its documented fields', () => {
	test.each<[string, INodeParameters, Record<string, unknown>]>([
		[
			'text',
			{ messageType: 'text', text: 'Hello Priya' },
			{ type: 'text', message: 'Hello Priya' },
		],
		[
			'image (type detected from the URL)',
			{
				messageType: 'image',
				mediaUrl: 'https://cdn.example.com/a/photo.PNG',
				caption: 'Your photo',
			},
			{
				type: 'image',
				url: 'https://cdn.example.com/a/photo.PNG',
				mime_type: 'image/png',
				caption: 'Your photo',
			},
		],
		[
			'video',
			{
				messageType: 'video',
				mediaUrl: 'https://cdn.example.com/clip',
				videoMimeType: 'video/mp4',
			},
			{ type: 'video', url: 'https://cdn.example.com/clip', mime_type: 'video/mp4' },
		],
		[
			'document (file name from the URL)',
			{
				messageType: 'document',
				mediaUrl: 'https://cdn.example.com/files/Invoice%2042.pdf',
				caption: 'Invoice',
			},
			{
				type: 'document',
				url: 'https://cdn.example.com/files/Invoice%2042.pdf',
				mime_type: 'application/pdf',
				filename: 'Invoice 42.pdf',
				caption: 'Invoice',
			},
		],
		[
			'document with its own file name and type',
			{
				messageType: 'document',
				mediaUrl: 'https://cdn.example.com/download?id=7',
				documentMimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
				fileName: 'report.xlsx',
			},
			{
				type: 'document',
				url: 'https://cdn.example.com/download?id=7',
				mime_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
				filename: 'report.xlsx',
			},
		],
		[
			'sticker (an image/webp image, no caption)',
			{
				messageType: 'sticker',
				mediaUrl: 'https://cdn.example.com/smile.webp',
				caption: 'ignored',
			},
			{ type: 'image', url: 'https://cdn.example.com/smile.webp', mime_type: 'image/webp' },
		],
		[
			'location',
			{
				messageType: 'location',
				latitude: 18.5204,
				longitude: 73.8567,
				locationName: 'Pune Office',
				address: 'FC Road, Pune',
			},
			{
				type: 'location',
				latitude: 18.5204,
				longitude: 73.8567,
				location_name: 'Pune Office',
				address: 'FC Road, Pune',
			},
		],
		[
			'quick-reply buttons',
			{
				messageType: 'quickReply',
				text: 'Did it arrive?',
				header: 'Order 42',
				footer: 'Sandbox Shop',
				buttons: { button: [{ title: 'Yes' }, { title: 'No' }, { title: 'Not yet' }] },
			},
			{
				type: 'quick_reply',
				message: 'Did it arrive?',
				header: 'Order 42',
				caption: 'Sandbox Shop',
				buttons: ['Yes', 'No', 'Not yet'],
			},
		],
		[
			'list',
			{ messageType: 'list', text: 'Pick a slot', listButton: 'Slots', listSections: list(2, 2) },
			{
				type: 'list',
				message: 'Pick a slot',
				list_obj: {
					button: 'Slots',
					sections: [
						{
							title: 'Section 1',
							rows: [
								{ id: 's0r0', title: 'Row 0', description: 'First' },
								{ id: 's0r1', title: 'Row 1' },
							],
						},
						{
							title: 'Section 2',
							rows: [
								{ id: 's1r0', title: 'Row 0', description: 'First' },
								{ id: 's1r1', title: 'Row 1' },
							],
						},
					],
				},
			},
		],
		[
			'list from JSON',
			{
				messageType: 'list',
				text: 'Pick',
				listButton: 'Open',
				listSectionsMode: 'json',
				listSectionsJson: '[{"rows": [{"id": "a", "title": "A"}]}]',
				footer: 'f',
			},
			{
				type: 'list',
				message: 'Pick',
				caption: 'f',
				list_obj: { button: 'Open', sections: [{ rows: [{ id: 'a', title: 'A' }] }] },
			},
		],
		[
			'product list',
			{
				messageType: 'product',
				text: 'Our picks',
				header: 'Picks',
				productSections: {
					section: [
						{ title: 'Shoes', productRetailerIds: 'sku-1, sku-2' },
						{ title: 'Bags', productRetailerIds: 'sku-9' },
					],
				},
			},
			{
				type: 'product',
				message: 'Our picks',
				header: 'Picks',
				product_list: {
					sections: [
						{
							title: 'Shoes',
							product_items: [{ product_retailer_id: 'sku-1' }, { product_retailer_id: 'sku-2' }],
						},
						{ title: 'Bags', product_items: [{ product_retailer_id: 'sku-9' }] },
					],
				},
			},
		],
		[
			'product list from JSON',
			{
				messageType: 'product',
				text: 'Pick',
				productSectionsMode: 'json',
				productSectionsJson: [
					{ title: 'All', product_items: [{ product_retailer_id: 'x1' }] },
				] as never,
			},
			{
				type: 'product',
				message: 'Pick',
				product_list: {
					sections: [{ title: 'All', product_items: [{ product_retailer_id: 'x1' }] }],
				},
			},
		],
	])('%s', async (_name, parameters, expected) => {
		const { result, bodies } = await send(parameters);
		expect(result.error).toBeUndefined();
		expect(bodies).toEqual([{ customer_number: TO, customer_name: 'Priya', ...expected }]);
		const [accepted] = ctx.sandbox.accepted;
		expect(result.items).toEqual([
			{
				json: {
					messageId: accepted.id,
					status: 'submitted',
					message: 'Message sent successfully.',
					to: TO,
					type: expected.type,
					// What went out: the message itself (Closed 24-Hour Window may make it a template).
					sent: expected.type,
					attempts: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(accepted.id).toMatch(/^wamid\./);
		expectNoSecrets(result, [ACCESS_KEY, SECRET_KEY]);
	});
});

describe('Sobot › Message › Send: limits are checked before any request, naming the field and item', () => {
	const long = (n: number) => 'x'.repeat(n);
	test.each<[string, INodeParameters, RegExp]>([
		[
			'text over 4096',
			{ messageType: 'text', text: long(4097) },
			/^Text \(item 0\): is 4097 characters long; the most allowed is 4096/,
		],
		['empty text', { messageType: 'text', text: '  ' }, /^Text \(item 0\): is required but empty/],
		[
			'no buttons',
			{ messageType: 'quickReply', text: 'Q', buttons: {} },
			/^Buttons \(item 0\): has 0 buttons; use 1 to 3/,
		],
		[
			'four buttons',
			{
				messageType: 'quickReply',
				text: 'Q',
				buttons: { button: [{ title: 'a' }, { title: 'b' }, { title: 'c' }, { title: 'd' }] },
			},
			/^Buttons \(item 0\): has 4 buttons; use 1 to 3/,
		],
		[
			'a button over 20',
			{
				messageType: 'quickReply',
				text: 'Q',
				buttons: { button: [{ title: 'ok' }, { title: long(21) }] },
			},
			/^Buttons › Title \(item 0\): button 2 \("x+"\) is 21 characters long; the most allowed is 20/,
		],
		[
			'repeated buttons',
			{
				messageType: 'quickReply',
				text: 'Q',
				buttons: { button: [{ title: 'Yes' }, { title: 'yes ' }] },
			},
			/^Buttons › Title \(item 0\): buttons 1 and 2 are both "yes"; titles must differ/,
		],
		[
			'a header over 60',
			{
				messageType: 'quickReply',
				text: 'Q',
				header: long(61),
				buttons: { button: [{ title: 'a' }] },
			},
			/^Header \(item 0\): is 61 characters/,
		],
		[
			'a footer over 60',
			{
				messageType: 'quickReply',
				text: 'Q',
				footer: long(61),
				buttons: { button: [{ title: 'a' }] },
			},
			/^Footer \(item 0\): is 61 characters/,
		],
		[
			'an interactive body over 1024',
			{ messageType: 'quickReply', text: long(1025), buttons: { button: [{ title: 'a' }] } },
			/^Text \(item 0\): is 1025 characters long; the most allowed is 1024/,
		],
		[
			'11 list rows in all',
			{ messageType: 'list', text: 'L', listButton: 'Open', listSections: list(6, 2) },
			/^Sections › Rows \(item 0\): the list has 12 rows in all; the most allowed is 10/,
		],
		[
			'a list without rows',
			{ messageType: 'list', text: 'L', listButton: 'Open', listSections: list(0) },
			/^Sections › Rows \(item 0\): the list has no rows/,
		],
		[
			'repeated row ids',
			{
				messageType: 'list',
				text: 'L',
				listButton: 'Open',
				listSectionsMode: 'json',
				listSectionsJson: '[{"rows":[{"id":"a","title":"A"},{"id":"a","title":"B"}]}]',
			},
			/^Sections \(JSON\) › Rows \(item 0\): section 1, row 2: the ID "a" is used twice/,
		],
		[
			'a list button over 20',
			{ messageType: 'list', text: 'L', listButton: long(21), listSections: list(1) },
			/^List Button \(item 0\): is 21 characters/,
		],
		[
			'list JSON that is not JSON',
			{
				messageType: 'list',
				text: 'L',
				listButton: 'Open',
				listSectionsMode: 'json',
				listSectionsJson: '[{',
			},
			/^Sections \(JSON\) \(item 0\): is not valid JSON/,
		],
		[
			'a product section without products',
			{
				messageType: 'product',
				text: 'P',
				productSections: { section: [{ title: 'S', productRetailerIds: ' , ' }] },
			},
			/^Sections › Product Retailer IDs \(item 0\): section 1 has no products/,
		],
		[
			'a GIF as an image',
			{ messageType: 'image', mediaUrl: 'https://x.example/a.gif' },
			/^MIME Type \(item 0\): cannot tell the type from the URL/,
		],
		[
			'a webp chosen for an image by expression',
			{
				messageType: 'image',
				mediaUrl: 'https://x.example/a',
				imageMimeType: '={{ "image/webp" }}',
			},
			/^MIME Type \(item 0\): "image\/webp" is not accepted for images: use image\/jpeg, image\/png/,
		],
		[
			'a PDF as a video',
			{ messageType: 'video', mediaUrl: 'https://x.example/a.pdf' },
			/^MIME Type \(item 0\): "application\/pdf" is not accepted for videos/,
		],
		[
			'an ftp media URL',
			{ messageType: 'image', mediaUrl: 'ftp://x.example/a.png' },
			/^Media URL \(item 0\): "ftp:\/\/x.example\/a.png" must start with http:\/\/ or https:\/\//,
		],
		[
			'a document URL without a file name',
			{
				messageType: 'document',
				mediaUrl: 'https://x.example/',
				documentMimeType: 'application/pdf',
			},
			/^File Name \(item 0\): is empty and the URL ends without a file name/,
		],
		[
			'a latitude of 91',
			{ messageType: 'location', latitude: 91, longitude: 0 },
			/^Latitude \(item 0\): "91" must be a number from -90 to 90/,
		],
		[
			'a longitude of -181',
			{ messageType: 'location', latitude: 0, longitude: -181 },
			/^Longitude \(item 0\): "-181" must be a number from -180 to 180/,
		],
		[
			'a group id as recipient',
			{ recipient: '120363025246125486@g.us', messageType: 'text', text: 'hi' },
			/^Recipient \(item 0\): .*group id, not a phone number/,
		],
		[
			'no customer name (from an expression)',
			{ customerName: '={{ $json.missing }}', messageType: 'text', text: 'hi' },
			/^Customer Name \(item 0\): is required but empty/,
		],
	])('%s', async (_name, parameters, message) => {
		const result = await runSobot(ctx.sandbox, 'message', 'send', { ...recipient, ...parameters });
		expect(errorText(result)).toMatch(message);
		expect(ctx.sandbox.requestsTo('sobot')).toHaveLength(0);
	});

	test('the error names the item that is wrong, and nothing is sent when any item is bad', async () => {
		await customersWrite(ctx.sandbox, TO);
		const result = await runSobot(
			ctx.sandbox,
			'message',
			'send',
			{ ...recipient, messageType: 'text', text: '={{ $json.text }}' },
			{ items: [{ json: { text: 'fine' } }, { json: { text: 'x'.repeat(5000) } }] },
		);
		expect(errorText(result)).toMatch(/^Text \(item 1\): is 5000 characters long/);
		expect(ctx.sandbox.requestsTo('sobot', '/message/')).toHaveLength(0);
	});
});

describe('Sobot › Message › Send: the gateway side', () => {
	test('outside the 24-hour window Sobot refuses with HTTP 200 and code 400; the node reports it', async () => {
		const result = await runSobot(ctx.sandbox, 'message', 'send', {
			...recipient,
			messageType: 'text',
			text: 'hi',
		});
		expect(ctx.sandbox.requestsTo('sobot', '/message/')[0].status).toBe(200);
		expect(errorText(result)).toMatch(
			/^Sobot rejected the request \(HTTP 200, error code 400 in the body\): Re-engagement message: more than 24 hours/,
		);
		expect(ctx.sandbox.accepted).toHaveLength(0);
	});

	test('Continue On Fail: one output item per input, failures say why and whom they concern', async () => {
		await customersWrite(ctx.sandbox, TO, '919812340001');
		const result = await runSobot(
			ctx.sandbox,
			'message',
			'send',
			{
				recipient: '={{ $json.to }}',
				customerName: 'X',
				messageType: 'text',
				text: '={{ $json.text }}',
			},
			{
				continueOnFail: true,
				items: [
					{ json: { to: TO, text: 'one' } },
					{ json: { to: '919812340000', text: 'not on WhatsApp' } },
					{ json: { to: TO, text: 'x'.repeat(4097) } },
					{ json: { to: '919812349999', text: 'never wrote' } },
					{ json: { to: '919812340001', text: 'two' } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(result.items[0].json).toMatchObject({ status: 'submitted', to: TO });
		expect(result.items[1].json).toMatchObject({
			error:
				'Sobot rejected the request (HTTP 200, error code 400 in the body): Invalid mobile number',
			to: '919812340000',
			attempts: 1,
		});
		expect(result.items[2].json).toMatchObject({
			error: expect.stringMatching(/^Text \(item 2\)/),
			attempts: 0,
		});
		expect(result.items[3].json.error).toMatch(/Re-engagement/);
		expect(result.items[4].json).toMatchObject({ status: 'submitted', to: '919812340001' });
		expect(ctx.sandbox.accepted.map((message) => message.content)).toEqual(['one', 'two']);
		expectNoSecrets(result, [ACCESS_KEY, SECRET_KEY]);
	});

	test('wrong keys: 401 reaches the user without the keys', async () => {
		const result = await runSobot(
			ctx.sandbox,
			'message',
			'send',
			{ ...recipient, messageType: 'text', text: 'hi' },
			{
				credentials: {
					sobotApi: {
						apiKey: 'wrong-access-key',
						secretKey: 'wrong-secret-key',
						baseUrl: ctx.sandbox.baseUrl('sobot'),
					},
				},
			},
		);
		expect(errorText(result)).toBe(
			'Sobot rejected the request (HTTP 401): Invalid API key or secret key',
		);
		expectNoSecrets(result, ['wrong-access-key', 'wrong-secret-key']);
	});

	test('status webhooks follow a send: flat {id, status, timestamp} objects with the wamid; 999 numbers fail', async () => {
		const receiver = await startReceiver();
		try {
			ctx.sandbox.webhooks.targets.sobot = { url: receiver.url };
			ctx.sandbox.webhooks.stepDelayMs = 1;
			await customersWrite(ctx.sandbox, TO, '919812340999');
			receiver.received.length = 0;
			const result = await runSobot(
				ctx.sandbox,
				'message',
				'send',
				{ recipient: '={{ $json.to }}', customerName: 'X', messageType: 'text', text: 'hi' },
				{ items: [{ json: { to: TO } }, { json: { to: '919812340999' } }] },
			);
			await ctx.sandbox.webhooks.idle();
			const [ok, failing] = result.items.map((item) => item.json.messageId as string);
			const statuses = (id: string) =>
				receiver.received
					.map((r) => r.body as Record<string, string>)
					.filter((body) => body.id === id);
			expect(statuses(ok).map((body) => body.status)).toEqual(['sent', 'delivered', 'read']);
			expect(statuses(failing).map((body) => body.status)).toEqual(['sent', 'failed']);
			for (const body of statuses(ok))
				expect(Object.keys(body).sort()).toEqual(['id', 'status', 'timestamp']);
			expect(statuses(ok)[0].timestamp).toMatch(/^\d{10}$/);
		} finally {
			await receiver.stop();
		}
	});
});
