import { useSandbox } from '../harness/sandbox';
import { expectNoSecrets } from '../harness/secrets';
import { KEY, run } from './helpers';

const ctx = useSandbox();

const sendFileFromUrl = (
	parameters: Record<string, unknown>,
	extra: Parameters<typeof run>[4] = {},
) => run(ctx.sandbox, 'message', 'sendFileFromUrl', parameters, extra);

describe('WAChatPro › Message › Send File From URL', () => {
	test('POSTs key, phone, url and caption to /wa/sendfileurl', async () => {
		const result = await sendFileFromUrl({
			recipient: '0812 3456 7890',
			url: 'https://files.example.com/invoice 42.pdf',
			caption: 'Invoice 42',
		});
		expect(result.error).toBeUndefined();
		const [request] = ctx.sandbox.requestsTo('wachatpro', '/wa/sendfileurl');
		expect(request.method).toBe('POST');
		expect(request.body).toEqual({
			key: KEY,
			phone: '6281234567890',
			url: 'https://files.example.com/invoice%2042.pdf',
			caption: 'Invoice 42',
		});
		const [recorded] = ctx.sandbox.wachatpro.urls;
		expect(recorded).toMatchObject({
			phone: '6281234567890',
			url: 'https://files.example.com/invoice%2042.pdf',
			caption: 'Invoice 42',
		});
		expect(ctx.sandbox.accepted).toEqual([
			expect.objectContaining({ type: 'url', to: '6281234567890', content: recorded.url }),
		]);
		expect(result.items).toEqual([
			{
				json: {
					to: '6281234567890',
					url: 'https://files.example.com/invoice%2042.pdf',
					status: true,
					message: 'File sent',
					data: { id: recorded.id, phone: '6281234567890', url: recorded.url },
					attempts: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('leaves out an empty caption', async () => {
		await sendFileFromUrl({
			recipient: '6281234567890',
			url: 'http://example.com/a.jpg',
			caption: '  ',
		});
		expect(ctx.sandbox.requestsTo('wachatpro', '/wa/sendfileurl')[0].body).toEqual({
			key: KEY,
			phone: '6281234567890',
			url: 'http://example.com/a.jpg',
		});
	});

	test('refuses URLs that are not http(s), naming field and item; Continue On Fail gives one item per input', async () => {
		const items = [
			{ json: { url: 'https://example.com/ok.pdf' } },
			{ json: { url: 'ftp://example.com/a.pdf' } },
			{ json: { url: 'file:///etc/passwd' } },
			{ json: { url: 'not a url' } },
			{ json: { url: '' } },
		];
		const parameters = { recipient: '0812 3456 7890', url: '={{ $json.url }}' };
		const stopped = await sendFileFromUrl(parameters, { items });
		expect(stopped.error?.message).toBe(
			'File URL (item 1): "ftp://example.com/a.pdf" must start with http:// or https://',
		);
		expect(ctx.sandbox.requestsTo('wachatpro')).toHaveLength(0);

		const continued = await sendFileFromUrl(parameters, { items, continueOnFail: true });
		expect(continued.items.map((i) => i.json.error)).toEqual([
			undefined,
			'File URL (item 1): "ftp://example.com/a.pdf" must start with http:// or https://',
			'File URL (item 2): "file:///etc/passwd" must start with http:// or https://',
			'File URL (item 3): "not a url" is not a valid URL',
			'File URL (item 4): is required but empty',
		]);
		expect(continued.items.map((i) => i.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(ctx.sandbox.wachatpro.urls).toHaveLength(1);
	});

	test('a refused recipient: the echoed key stays out of the output', async () => {
		const result = await sendFileFromUrl(
			{ recipient: '0812 1111 0000', url: 'https://example.com/a.pdf' },
			{ continueOnFail: true },
		);
		expect(result.items[0].json).toMatchObject({
			statusCode: 422,
			to: '6281211110000',
			url: 'https://example.com/a.pdf',
		});
		expectNoSecrets(result, [KEY]);
	});
});
