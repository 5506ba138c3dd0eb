import axios from 'axios';
import { createHash } from 'node:crypto';

import { SOBOT_BUSINESS_NUMBER } from '../../sandbox/vendors/sobot';
import { startReceiver } from '../harness/receiver';
import { useSandbox } from '../harness/sandbox';
import { ACCESS_KEY, SECRET_KEY } from './helpers';

const ctx = useSandbox();
const headers = { 'x-api-key': ACCESS_KEY, 'x-api-secret': SECRET_KEY };
const api = (path: string) => `${ctx.sandbox.baseUrl('sobot')}${path}`;

describe('Sobot sandbox: what triggers and other tools rely on', () => {
	test('incoming() posts the documented array payload and opens the 24-hour window', async () => {
		const receiver = await startReceiver();
		try {
			ctx.sandbox.webhooks.targets.sobot = { url: receiver.url };
			const delivery = await ctx.sandbox.sobot.incoming({
				from: '919812345678',
				name: 'Priya',
				text: 'Hi there',
			});
			expect(delivery?.status).toBe(200);
			expect(receiver.received[0].body).toEqual([
				{
					field: 'messages',
					value: {
						messaging_product: 'whatsapp',
						metadata: {
							display_phone_number: SOBOT_BUSINESS_NUMBER,
							phone_number_id: expect.any(String),
						},
						contacts: [{ profile: { name: 'Priya' }, wa_id: '919812345678' }],
						messages: [
							{
								from: '919812345678',
								id: expect.stringMatching(/^wamid\./),
								timestamp: expect.stringMatching(/^\d{10}$/),
								type: 'text',
								text: { body: 'Hi there' },
							},
						],
					},
				},
			]);
			expect(ctx.sandbox.sobot.lastInbound.has('919812345678')).toBe(true);
			expect(ctx.sandbox.sobot.customers.get('919812345678')?.name).toBe('Priya');
		} finally {
			await receiver.stop();
		}
	});

	test.each([
		['image', 'image/jpeg', undefined],
		['video', 'video/mp4', undefined],
		['document', 'application/pdf', undefined],
		['video under the "image" key, like the vendor\'s example', 'video/mp4', 'image'],
	] as const)(
		'incoming %s: a media URL on the sandbox serves the bytes, without keys',
		async (name, mime, mediaKey) => {
			const receiver = await startReceiver();
			try {
				ctx.sandbox.webhooks.targets.sobot = { url: receiver.url };
				const type = name.split(' ')[0] as 'image' | 'video' | 'document';
				await ctx.sandbox.sobot.incoming({
					from: '919812345678',
					media: { type, caption: 'look' },
					mediaKey,
				});
				const [message] = (
					receiver.received[0].body as Array<{
						value: { messages: Array<Record<string, unknown>> };
					}>
				)[0].value.messages;
				expect(message.type).toBe(type);
				const media = message[mediaKey ?? type] as Record<string, string>;
				expect(media).toMatchObject({
					mime_type: mime,
					id: expect.any(String),
					caption: 'look',
					url: api(`/media/${media.id}`),
				});
				const file = await axios.get(media.url, { responseType: 'arraybuffer' });
				expect(file.status).toBe(200);
				expect(file.headers['content-type']).toBe(mime);
				expect(createHash('sha256').update(Buffer.from(file.data)).digest('hex')).toBe(
					media.sha256,
				);
				if (type === 'document') expect(media.filename).toMatch(/\.pdf$/);
			} finally {
				await receiver.stop();
			}
		},
	);

	test('incoming media with given bytes serves exactly those bytes', async () => {
		const receiver = await startReceiver();
		try {
			ctx.sandbox.webhooks.targets.sobot = { url: receiver.url };
			const data = Buffer.from('hello file');
			await ctx.sandbox.sobot.incoming({
				from: '919812345678',
				media: {
					type: 'document',
					mime_type: 'text/plain',
					data: data.toString('base64'),
					filename: 'a.txt',
				},
			});
			const media = (
				receiver.received[0].body as Array<{
					value: { messages: Array<{ document: { url: string } }> };
				}>
			)[0].value.messages[0].document;
			const file = await axios.get(media.url, { responseType: 'arraybuffer' });
			expect(Buffer.from(file.data).toString()).toBe('hello file');
		} finally {
			await receiver.stop();
		}
	});

	test('the admin API reaches incoming and status for Sobot', async () => {
		const receiver = await startReceiver();
		try {
			await axios.post(`${ctx.sandbox.url}/__admin/webhooks`, { sobot: receiver.url });
			await axios.post(`${ctx.sandbox.url}/__admin/incoming`, {
				vendor: 'sobot',
				from: '919812345678',
				text: 'yo',
			});
			await axios.post(`${ctx.sandbox.url}/__admin/status`, {
				vendor: 'sobot',
				id: 'wamid.X',
				status: 'read',
			});
			expect(receiver.received.map((r) => r.body)).toEqual([
				[expect.objectContaining({ field: 'messages' })],
				{ id: 'wamid.X', status: 'read', timestamp: expect.stringMatching(/^\d{10}$/) },
			]);
		} finally {
			await receiver.stop();
		}
	});

	test('lists: 20 a page with count, size, absolute next and previous links, and code', async () => {
		for (let i = 0; i < 25; i++)
			await axios.post(
				api('/api/customer'),
				{ mobile: `9198000001${String(i).padStart(2, '0')}`, name: `C ${i}` },
				{ headers },
			);
		const first = (await axios.get(api('/api/customer'), { headers })).data;
		expect(first).toMatchObject({
			count: 25,
			size: 20,
			next: api('/api/customer?page=2'),
			previous: null,
			code: 200,
		});
		expect(first.data).toHaveLength(20);
		const second = (await axios.get(first.next, { headers })).data;
		expect(second).toMatchObject({ next: null, previous: api('/api/customer?page=1') });
		expect(second.data).toHaveLength(5);
		const beyond = await axios.get(api('/api/customer?page=9'), {
			headers,
			validateStatus: () => true,
		});
		expect([beyond.status, beyond.data]).toEqual([404, { message: 'Invalid page.', code: 404 }]);
	});

	test('keys are required; the review route approves or rejects a template', async () => {
		const denied = await axios.get(api('/api/template/'), { validateStatus: () => true });
		expect([denied.status, denied.data]).toEqual([
			401,
			{ message: 'Invalid API key or secret key', code: 401 },
		]);

		await axios.post(
			api('/api/template/'),
			{ category: 'UTILITY', entity_name: 'fresh', template_type: 'TEXT', body: 'Hi' },
			{ headers },
		);
		expect(ctx.sandbox.sobot.templates.find((t) => t.entity_name === 'fresh')?.status).toBe(0);
		await axios.post(api('/__sandbox/templates/fresh/review'), {
			status: 'rejected',
			reason: 'no',
		});
		expect(ctx.sandbox.sobot.templates.find((t) => t.entity_name === 'fresh')).toMatchObject({
			status: 2,
			rejected_reason: 'no',
		});
		await axios.post(api('/__sandbox/templates/fresh/review'), { status: 'approved' });
		const approved = (await axios.get(api('/api/template/?status=1'), { headers })).data
			.data as Array<{ entity_name: string }>;
		expect(approved.map((t) => t.entity_name)).toContain('fresh');
	});

	test('a template send checks the approved template, its language and its body parameter count', async () => {
		const post = (body: object) =>
			axios.post(
				api('/message/'),
				{ customer_number: '919812345678', customer_name: 'P', type: 'template', ...body },
				{ headers, validateStatus: () => true },
			);
		expect((await post({ template_name: 'order_update', template_lang: 'en_US' })).data).toEqual({
			message: 'Number of parameters (0) does not match the expected number of params (3)',
			code: 400,
		});
		expect(
			(await post({ template_name: 'order_update', template_lang: 'fr' })).data.message,
		).toMatch(/language fr/);
		expect(
			(await post({ template_name: 'diwali_sale', template_lang: 'en' })).data.message,
		).toMatch(/not found or not approved/);
		const ok = await post({ template_name: 'appointment_reminder', template_lang: 'en_US' });
		expect(ok.data).toEqual({
			data: { id: expect.stringMatching(/^wamid\./), status: 'submitted' },
			message: 'Message sent successfully.',
			code: 200,
		});
		expect(ctx.sandbox.accepted).toEqual([
			expect.objectContaining({ vendor: 'sobot', to: '919812345678', type: 'template' }),
		]);
	});

	test('status webhooks by the number: failed (…999), never delivered (…888), never read (…777), else read', async () => {
		const receiver = await startReceiver();
		try {
			ctx.sandbox.webhooks.targets.sobot = { url: receiver.url };
			ctx.sandbox.webhooks.stepDelayMs = 1;
			const ids: Record<string, string> = {};
			for (const number of ['919812345999', '919812345888', '919812345777', '919812345678']) {
				const reply = await axios.post(
					api('/message/'),
					{
						customer_number: number,
						customer_name: 'P',
						type: 'template',
						template_name: 'appointment_reminder',
						template_lang: 'en_US',
					},
					{ headers },
				);
				ids[number] = reply.data.data.id as string;
			}
			await ctx.sandbox.webhooks.idle();
			const statusesOf = (number: string) =>
				receiver.received
					.map((r) => r.body as { id: string; status: string })
					.filter((b) => b.id === ids[number])
					.map((b) => b.status);
			expect(statusesOf('919812345999')).toEqual(['sent', 'failed']);
			expect(statusesOf('919812345888')).toEqual(['sent']);
			expect(statusesOf('919812345777')).toEqual(['sent', 'delivered']);
			expect(statusesOf('919812345678')).toEqual(['sent', 'delivered', 'read']);
		} finally {
			await receiver.stop();
		}
	});

	test('the 24-hour rule can be switched off for tools that want free-form messages anywhere', async () => {
		ctx.sandbox.sobot.enforceWindow = false;
		const reply = await axios.post(
			api('/message/'),
			{ customer_number: '919812345678', customer_name: 'P', type: 'text', message: 'hi' },
			{ headers },
		);
		expect(reply.data.code).toBe(200);
	});
});
