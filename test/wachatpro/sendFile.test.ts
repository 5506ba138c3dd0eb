import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IBinaryData } from 'n8n-workflow';

import { FaultInjector } from '../../sandbox/faults';
import type { FaultConfig } from '../../sandbox/faults';
import type { TestItem } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { expectNoSecrets } from '../harness/secrets';
import { KEY, run, withCapturedLogs } from './helpers';

const ctx = useSandbox();

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Bytes that are not all alike, with a length that is not a multiple of 3 (base64 padding). */
function fileOf(length: number, seed = 1): Buffer {
	const data = Buffer.alloc(length);
	for (let i = 0; i < length; i++) data[i] = (i * 7919 + seed * 104729) % 251;
	return data;
}

const sendFile = (parameters: Record<string, unknown>, extra: Parameters<typeof run>[4] = {}) =>
	run(ctx.sandbox, 'message', 'sendFile', { recipient: '0812 3456 7890', ...parameters }, extra);

const fileRequests = () => ctx.sandbox.requestsTo('wachatpro', '/wa/sendfile');

describe.each(['default', 'filesystem'] as const)(
	'WAChatPro › Message › Send File, n8n binary mode "%s"',
	(binaryMode) => {
		test('sends the bytes of a binary item as base64, streamed with an exact Content-Length', async () => {
			const data = fileOf(1_000_001);
			const result = await sendFile(
				{ caption: 'Your invoice' },
				{
					binaryMode,
					items: [
						{
							json: {},
							binary: { data: { data, fileName: 'invoice.pdf', mimeType: 'application/pdf' } },
						},
					],
				},
			);
			expect(result.error).toBeUndefined();

			// The item really is in the mode under test: in memory as base64, or on disk with only an id.
			const input = result.run.data.resultData.runData['Test Source'][0].data?.main[0]?.[0].binary
				?.data as IBinaryData;
			if (binaryMode === 'filesystem')
				expect(input).toMatchObject({
					id: expect.stringMatching(/^filesystem/),
					data: expect.not.stringMatching(/^.{100}/),
				});
			else expect(input.id).toBeUndefined();

			const [request] = fileRequests();
			expect(request.method).toBe('POST');
			expect(request.headers['content-type']).toMatch(/^application\/json/);
			expect(request.headers['transfer-encoding']).toBeUndefined();
			expect(Number(request.headers['content-length'])).toBe(request.bodyBytes);
			expect(request.body).toEqual({
				key: KEY,
				phone: '6281234567890',
				filename: 'invoice.pdf',
				caption: 'Your invoice',
				body: { base64Length: Math.ceil(data.length / 3) * 4, sha256: sha256(data) },
			});
			const [file] = ctx.sandbox.wachatpro.files;
			expect(file).toMatchObject({
				phone: '6281234567890',
				filename: 'invoice.pdf',
				caption: 'Your invoice',
				size: data.length,
				sha256: sha256(data),
			});
			expect(ctx.sandbox.accepted).toEqual([
				expect.objectContaining({ to: '6281234567890', type: 'file', content: sha256(data) }),
			]);
			expect(result.items).toEqual([
				{
					json: {
						to: '6281234567890',
						fileName: 'invoice.pdf',
						fileSize: data.length,
						status: true,
						message: 'File sent',
						data: {
							id: file.id,
							phone: '6281234567890',
							filename: 'invoice.pdf',
							size: data.length,
						},
						attempts: 1,
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		test('per item: binary field from an expression, file name override or fallback, no caption when empty', async () => {
			const files = [fileOf(10, 1), fileOf(2, 2), fileOf(3, 3)];
			const items: TestItem[] = [
				{
					json: { prop: 'data', name: '' },
					binary: { data: { data: files[0], fileName: 'a.txt', mimeType: 'text/plain' } },
				},
				{
					json: { prop: 'scan', name: 'renamed.pdf' },
					binary: { scan: { data: files[1], fileName: 'b.pdf', mimeType: 'application/pdf' } },
				},
				{
					json: { prop: 'photo', name: '' },
					binary: { photo: { data: files[2], mimeType: 'image/png' } },
				},
			];
			const result = await sendFile(
				{ binaryPropertyName: '={{ $json.prop }}', fileName: '={{ $json.name }}', caption: '' },
				{ binaryMode, items },
			);
			expect(result.error).toBeUndefined();
			expect(fileRequests().map((r) => r.body)).toEqual([
				{
					key: KEY,
					phone: '6281234567890',
					filename: 'a.txt',
					body: { base64Length: 16, sha256: sha256(files[0]) },
				},
				{
					key: KEY,
					phone: '6281234567890',
					filename: 'renamed.pdf',
					body: { base64Length: 4, sha256: sha256(files[1]) },
				},
				{
					key: KEY,
					phone: '6281234567890',
					filename: 'file.png',
					body: { base64Length: 4, sha256: sha256(files[2]) },
				},
			]);
			expect(ctx.sandbox.wachatpro.files.map((f) => [f.filename, f.size, f.sha256])).toEqual([
				['a.txt', 10, sha256(files[0])],
				['renamed.pdf', 2, sha256(files[1])],
				['file.png', 3, sha256(files[2])],
			]);
			expect(result.items.map((i) => [i.json.fileName, i.pairedItem])).toEqual([
				['a.txt', { item: 0 }],
				['renamed.pdf', { item: 1 }],
				['file.png', { item: 2 }],
			]);
		});

		test('refuses a missing binary property, an empty file and a file over the limit, before any request', async () => {
			const items: TestItem[] = [
				{ json: {}, binary: { data: { data: fileOf(300), fileName: 'ok.bin' } } },
				{ json: {} },
				{
					json: {},
					binary: {
						other: { data: fileOf(5), fileName: 'x.bin' },
						more: { data: fileOf(5), fileName: 'y.bin' },
					},
				},
				{
					json: {},
					binary: {
						data: { data: Buffer.alloc(0), fileName: 'empty.txt', mimeType: 'text/plain' },
					},
				},
				{ json: {}, binary: { data: { data: fileOf(2 * 1024 * 1024), fileName: 'big.bin' } } },
			];
			const parameters = { maxFileSizeMb: 1 };
			const stopped = await sendFile(parameters, { binaryMode, items });
			expect(stopped.error?.message).toBe(
				'Input Binary Field (item 1): the item has no binary property "data" (it has no binary data at all)',
			);
			expect(fileRequests()).toHaveLength(0);

			const continued = await sendFile(parameters, { binaryMode, items, continueOnFail: true });
			expect(continued.error).toBeUndefined();
			expect(continued.items.map((i) => i.pairedItem)).toEqual(
				[0, 1, 2, 3, 4].map((item) => ({ item })),
			);
			expect(continued.items.map((i) => i.json.error)).toEqual([
				undefined,
				'Input Binary Field (item 1): the item has no binary property "data" (it has no binary data at all)',
				'Input Binary Field (item 2): the item has no binary property "data" (it has "other", "more")',
				'Input Binary Field (item 3): the file is empty (0 bytes)',
				'Input Binary Field (item 4): the file is 2 MB, over the limit of 1 MB set in Max File Size (MB)',
			]);
			expect(continued.items[0].json).toMatchObject({
				fileName: 'ok.bin',
				status: true,
				attempts: 1,
			});
			expect(continued.items.slice(1).map((i) => i.json.attempts)).toEqual([0, 0, 0, 0]);
			expect(ctx.sandbox.wachatpro.files.map((f) => f.filename)).toEqual(['ok.bin']);
		});
	},
);

describe('WAChatPro › Message › Send File, base64 input', () => {
	test('sends pasted base64 (data URL, line breaks, URL-safe alphabet) as canonical base64', async () => {
		const data = fileOf(1001);
		const pasted = `data:application/pdf;base64,${data.toString('base64url').replace(/(.{76})/g, '$1\n')}`;
		const result = await sendFile({
			inputMode: 'base64',
			base64Data: pasted,
			fileName: 'scan.pdf',
			caption: 'Scan',
		});
		expect(result.error).toBeUndefined();
		expect(fileRequests()[0].body).toEqual({
			key: KEY,
			phone: '6281234567890',
			filename: 'scan.pdf',
			caption: 'Scan',
			body: { base64Length: data.toString('base64').length, sha256: sha256(data) },
		});
		expect(result.items[0].json).toMatchObject({
			to: '6281234567890',
			fileName: 'scan.pdf',
			fileSize: 1001,
			status: true,
		});
	});

	test('refuses invalid base64, a missing file name, an empty file and one over the limit, naming field and item', async () => {
		const items = [
			{ json: { b64: Buffer.from('hello').toString('base64'), name: 'ok.txt' } },
			{ json: { b64: 'aGVsbG8*', name: 'bad.txt' } },
			{ json: { b64: 'aGVsbG8=', name: '' } },
			{ json: { b64: '', name: 'empty.txt' } },
			{ json: { b64: fileOf(3000).toString('base64'), name: 'big.bin' } },
		];
		const parameters = {
			inputMode: 'base64',
			base64Data: '={{ $json.b64 }}',
			fileName: '={{ $json.name }}',
			maxFileSizeMb: 0.002,
		};
		const stopped = await sendFile(parameters, { items });
		expect(stopped.error?.message).toBe(
			'Base64 Data (item 1): is not valid base64: character "*" at position 8',
		);
		expect(fileRequests()).toHaveLength(0);

		const continued = await sendFile(parameters, { items, continueOnFail: true });
		expect(continued.items.map((i) => i.json.error)).toEqual([
			undefined,
			'Base64 Data (item 1): is not valid base64: character "*" at position 8',
			'File Name (item 2): is required with base64 data (WAChatPro needs a file name)',
			'Base64 Data (item 3): is required but empty',
			'Base64 Data (item 4): the file is 2.9 KB, over the limit of 2 KB set in Max File Size (MB)',
		]);
		expect(continued.items.map((i) => i.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(ctx.sandbox.wachatpro.files.map((f) => f.filename)).toEqual(['ok.txt']);
	});
});

describe('WAChatPro › Message › Send File, failures', () => {
	/** A seed for which the first /wa/sendfile gets a 503 and the second goes through. */
	function faultOnFirstOnly(): FaultConfig {
		for (let seed = 1; seed < 500; seed++) {
			const config: FaultConfig = {
				rate: 0.5,
				kinds: { '503': 1 },
				seed,
				pathPattern: '^/wa/sendfile$',
			};
			const probe = new FaultInjector();
			probe.configure(config);
			if (probe.decide('/wa/sendfile') && !probe.decide('/wa/sendfile')) return config;
		}
		throw new Error('no seed found');
	}

	test.each(['default', 'filesystem'] as const)(
		'a retried send streams the whole file again (%s)',
		async (binaryMode) => {
			ctx.sandbox.faults.configure(faultOnFirstOnly());
			const data = fileOf(250_000);
			const result = await sendFile(
				{ sendingOptions: { retryBaseDelayMs: 1 } },
				{ binaryMode, items: [{ json: {}, binary: { data: { data, fileName: 'r.bin' } } }] },
			);
			expect(result.error).toBeUndefined();
			const requests = fileRequests();
			expect(requests.map((r) => [r.status, r.fault])).toEqual([
				[503, '503'],
				[200, undefined],
			]);
			for (const request of requests)
				expect(request.bodyBytes).toBe(Number(request.headers['content-length']));
			expect(requests[1].body).toMatchObject({ body: { sha256: sha256(data) } });
			expect(result.items[0].json).toMatchObject({ status: true, attempts: 2 });
			expect(ctx.sandbox.wachatpro.files).toHaveLength(1);
		},
	);

	test('a refused recipient echoes the request: neither the key nor the file reaches the output', async () => {
		const data = fileOf(5000);
		const { result, logs } = await withCapturedLogs(
			async () =>
				await sendFile(
					{ recipient: '0812 1111 0000' },
					{
						items: [{ json: {}, binary: { data: { data, fileName: 'x.bin' } } }],
						continueOnFail: true,
					},
				),
		);
		expect(logs).not.toContain(KEY);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			error:
				'WAChatPro rejected the request (HTTP 422): Number 6281211110000 is not registered on WhatsApp',
			to: '6281211110000',
			fileName: 'x.bin',
		});
		expectNoSecrets(result, [KEY]);
	});

	test('a redirect is not followed, so the key is never re-posted elsewhere', async () => {
		const redirector = createServer((req, res) => {
			req.resume();
			req.on('end', () =>
				res.writeHead(307, { location: `${ctx.sandbox.baseUrl('wachatpro')}/wa/sendfile` }).end(),
			);
		});
		await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
		const { port } = redirector.address() as AddressInfo;
		try {
			const result = await run(
				ctx.sandbox,
				'message',
				'sendFile',
				{ recipient: '0812 3456 7890' },
				{
					credentials: { waChatProApi: { secretKey: KEY, baseUrl: `http://127.0.0.1:${port}` } },
					items: [{ json: {}, binary: { data: { data: fileOf(100), fileName: 'x.bin' } } }],
				},
			);
			expect(result.error?.message).toBe(
				`WAChatPro answered /wa/sendfile with a redirect (HTTP 307) to ${ctx.sandbox.baseUrl('wachatpro')}/wa/sendfile: put the address it redirects to into the credential's Base URL`,
			);
			expect(ctx.sandbox.requestsTo('wachatpro')).toHaveLength(0);
		} finally {
			await new Promise<void>((resolve) => redirector.close(() => resolve()));
		}
	});
});
