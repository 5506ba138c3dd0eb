/** WAChatPro in real n8n, against the sandbox: a file made inside the workflow, lists, text and file URLs. */
import { createHash } from 'crypto';

import type { E2eContext } from '../context';
import { execute, onlyRequest } from '../context';
import { expect, expectFields } from '../harness';
import { nodeOutput } from '../n8n';

/** The text the example's Set node holds, which Convert to File turns into invoice-1001.txt. */
const INVOICE = 'Invoice 1001\nCustomer: Andi\nTotal: 150000 IDR\nThank you!';

export async function waChatProChecks(ctx: E2eContext): Promise<void> {
	const { suite, sandbox } = ctx;
	const key = () => sandbox.credentials.wachatpro.key;

	await suite.check(
		'WAChatPro: Send File from a binary made in the workflow (example: Set → Convert to File → Send File)',
		async () => {
			const { run, requests } = await execute(ctx, 'exWaChatProFile1');
			const made = nodeOutput(run, 'Make File')[0];
			expect(made?.binary?.data, `Convert to File made no binary: ${JSON.stringify(made)}`);
			const items = nodeOutput(run, 'Send File');
			expect(items.length === 1, `expected 1 output item, got ${items.length}`);
			const bytes = Buffer.from(INVOICE, 'utf8');
			const sha256 = createHash('sha256').update(bytes).digest('hex');
			const request = onlyRequest(requests, 'wachatpro', '/wa/sendfile');
			expectFields('request', request, { method: 'POST', status: 200 });
			// The sandbox keeps the base64 file's length and decoded sha256 instead of the text itself.
			expectFields('request body', request.body, {
				key: key(),
				phone: '6281211110001',
				filename: 'invoice-1001.txt',
				caption: 'Your invoice 1001',
				body: { base64Length: bytes.toString('base64').length, sha256 },
			});
			expectFields('file the sandbox decoded', sandbox.wachatpro.files.at(-1), {
				phone: '6281211110001',
				filename: 'invoice-1001.txt',
				caption: 'Your invoice 1001',
				size: bytes.length,
				sha256,
			});
			expectFields('output item', items[0].json, {
				to: '6281211110001',
				fileName: 'invoice-1001.txt',
				fileSize: bytes.length,
				status: true,
				message: 'File sent',
			});
			expectFields('output item data', items[0].json.data, {
				phone: '6281211110001',
				filename: 'invoice-1001.txt',
				size: bytes.length,
			});
			suite.note(
				`${bytes.length} bytes, sha256 ${sha256.slice(0, 16)}…, message ${String((items[0].json.data as Record<string, unknown>).id)}`,
			);
		},
	);

	await suite.check(
		'WAChatPro: list contacts (example workflow) — one item per contact',
		async () => {
			const { run, requests } = await execute(ctx, 'exWaChatProList1');
			const items = nodeOutput(run, 'Get Contacts');
			const request = onlyRequest(requests, 'wachatpro', '/wa/contacts');
			expectFields('request body', request.body, { key: key() });
			const phones = items.map((i) => i.json.phone);
			const expected = sandbox.wachatpro.contacts.map((c) => c.phone);
			expect(
				JSON.stringify(phones) === JSON.stringify(expected),
				`contacts: expected ${JSON.stringify(expected)}, got ${JSON.stringify(phones)}`,
			);
			expectFields('first contact', items[0].json, {
				id: '6281211110001@s.whatsapp.net',
				phone: '6281211110001',
				name: 'Andi',
				labels: [],
			});
			expect(
				items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}'),
				`every contact item is paired with input item 0: ${JSON.stringify(items.map((i) => i.pairedItem))}`,
			);
			suite.note(`${items.length} contacts`);
		},
	);

	await suite.check(
		'WAChatPro: Send Text, Get Messages, Send File From URL and Get Chats, field by field',
		async () => {
			const { run, requests } = await execute(ctx, 'e2eWaChatProOps1');
			const text = 'Halo Budi 👋\nline two';
			expectFields('Send Text request', onlyRequest(requests, 'wachatpro', '/wa/send').body, {
				key: key(),
				phone: '6281211110002',
				body: text,
			});
			const sent = nodeOutput(run, 'Send Text')[0].json;
			expectFields('Send Text output', sent, {
				to: '6281211110002',
				status: true,
				message: 'Message sent',
			});

			expectFields(
				'Get Messages request',
				onlyRequest(requests, 'wachatpro', '/wa/messages').body,
				{ key: key(), phone: '6281211110002', limit: 2 },
			);
			const messages = nodeOutput(run, 'Get Messages');
			expect(
				messages.length === 2,
				`Get Messages: expected 2 items (limit), got ${messages.length}`,
			);
			expectFields('newest message', messages[0].json, {
				id: (sent.data as Record<string, unknown>).id,
				phone: '6281211110002',
				fromMe: true,
				type: 'text',
				body: text,
				status: 'sent',
			});

			expectFields(
				'Send File From URL request',
				onlyRequest(requests, 'wachatpro', '/wa/sendfileurl').body,
				{
					key: key(),
					phone: '6281211110003',
					url: 'https://example.com/brochure.pdf',
					caption: 'Brochure',
				},
			);
			expectFields('Send File From URL output', nodeOutput(run, 'Send File From URL')[0].json, {
				to: '6281211110003',
				url: 'https://example.com/brochure.pdf',
				status: true,
			});

			expectFields('Get Chats request', onlyRequest(requests, 'wachatpro', '/wa/chats').body, {
				key: key(),
				limit: 2,
			});
			const chats = nodeOutput(run, 'Get Chats');
			expect(chats.length === 2, `Get Chats: expected 2 items (limit), got ${chats.length}`);
			expect(
				chats.every((c) => typeof c.json.phone === 'string' && typeof c.json.id === 'string'),
				`chat items: ${JSON.stringify(chats)}`,
			);
		},
	);
}
