/** The pieces under Send File: base64 helpers, the streaming JSON body, and the credential's body field. */
import { randomBytes } from 'node:crypto';

import { Base64Error, encodeBase64Chunks, normaliseBase64 } from '../../nodes/shared/files/base64';
import {
	Base64Value,
	StreamingJsonBody,
	withJsonBodyField,
} from '../../nodes/shared/files/jsonBody';

async function readAll(body: StreamingJsonBody): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of body.stream() as unknown as AsyncIterable<Uint8Array>)
		chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

function* pieces(data: Buffer, sizes: number[]): Generator<Uint8Array> {
	let offset = 0;
	for (let i = 0; offset < data.length; i++) {
		const size = sizes[i % sizes.length];
		yield data.subarray(offset, offset + size);
		offset += size;
	}
}

describe('encodeBase64Chunks', () => {
	test.each([
		[0, [7]],
		[1, [1]],
		[2, [1]],
		[1000, [1, 2, 3, 4, 5]],
		[65_537, [1000, 7, 4096]],
		[300_000, [49_152]],
	])('%i bytes in chunks of %j encode like Buffer.toString("base64")', async (length, sizes) => {
		const data = randomBytes(length);
		const out: Buffer[] = [];
		for await (const chunk of encodeBase64Chunks(pieces(data, sizes))) out.push(chunk);
		expect(Buffer.concat(out).toString('latin1')).toBe(data.toString('base64'));
	});
});

describe('normaliseBase64', () => {
	test('accepts a data URL, line breaks, the URL-safe alphabet and missing padding', () => {
		const data = Buffer.from([0xfb, 0xff, 0xfe, 0x41, 0x42]);
		const canonical = data.toString('base64');
		expect(normaliseBase64(canonical)).toBe(canonical);
		expect(normaliseBase64(`data:application/pdf;base64,${canonical}`)).toBe(canonical);
		expect(normaliseBase64(`${canonical.slice(0, 4)}\n ${canonical.slice(4)}`)).toBe(canonical);
		expect(normaliseBase64(data.toString('base64url'))).toBe(canonical);
	});

	test.each([
		['abc$def', 'is not valid base64: character "$" at position 4'],
		['ab=cd', 'is not valid base64: "=" padding may only end the text'],
		['abcde', 'is not valid base64: its length is impossible (one character too many or too few)'],
	])('refuses %j', (text, message) => {
		expect(() => normaliseBase64(text)).toThrow(new Base64Error(message));
	});
});

describe('StreamingJsonBody', () => {
	test('streams valid JSON whose length is the announced size, with the key set first', async () => {
		const file = randomBytes(100_003);
		const body = new StreamingJsonBody([
			['phone', '6281234567890'],
			['filename', 'naïve "quote".pdf'],
			['caption', undefined],
			[
				'body',
				new Base64Value({
					kind: 'bytes',
					length: file.length,
					open: async () => pieces(file, [4096, 5]),
				}),
			],
		]);
		body.setField('key', 'secret-key');
		const bytes = await readAll(body);
		expect(bytes.length).toBe(body.size);
		expect(Object.keys(JSON.parse(bytes.toString('utf8')))).toEqual([
			'key',
			'phone',
			'filename',
			'body',
		]);
		expect(JSON.parse(bytes.toString('utf8'))).toEqual({
			key: 'secret-key',
			phone: '6281234567890',
			filename: 'naïve "quote".pdf',
			body: file.toString('base64'),
		});
		expect(Object.prototype.toString.call(body)).toBe('[object Blob]');
		expect(body.type).toBe('application/json');
	});

	test('streams base64 text that is already there, and can be streamed again (retries)', async () => {
		const text = randomBytes(300_000).toString('base64');
		const body = new StreamingJsonBody([['body', new Base64Value({ kind: 'base64', text })]]);
		const first = await readAll(body);
		const second = await readAll(body);
		expect(first.equals(second)).toBe(true);
		expect(JSON.parse(first.toString())).toEqual({ body: text });
		expect(first.length).toBe(body.size);
	});

	test.each([
		[12, 'The file changed while it was being sent: 10 bytes instead of 12'],
		[8, 'The file changed while it was being sent: more bytes instead of 8'],
	])(
		'fails instead of sending other bytes than announced (announced %i, file has 10)',
		async (length, message) => {
			const file = randomBytes(10);
			const body = new StreamingJsonBody([
				['body', new Base64Value({ kind: 'bytes', length, open: async () => [file] })],
			]);
			await expect(readAll(body)).rejects.toThrow(message);
		},
	);

	test('serialises to a summary, never to its values', () => {
		const body = new StreamingJsonBody([['phone', '62812']]);
		body.setField('key', 'secret-key');
		expect(JSON.stringify(body)).not.toContain('secret-key');
		expect(JSON.parse(JSON.stringify(body))).toEqual({
			type: 'application/json',
			size: body.size,
			fields: ['key', 'phone'],
		});
	});
});

describe('withJsonBodyField', () => {
	test('copies a plain object body, the credential value first and winning', () => {
		const original = { phone: '62812', key: 'from-node' };
		const options = withJsonBodyField({ url: '/x', body: original }, 'key', 'secret-key');
		expect(options.body).toEqual({ key: 'secret-key', phone: '62812' });
		expect(Object.keys(options.body as object)).toEqual(['key', 'phone']);
		expect(original).toEqual({ phone: '62812', key: 'from-node' });
	});

	test('creates a body when there is none, and sets the field on a streaming body', () => {
		expect(withJsonBodyField({ url: '/x' }, 'key', 'k').body).toEqual({ key: 'k' });
		const streaming = new StreamingJsonBody([['phone', '62812']]);
		const options = withJsonBodyField({ url: '/x', body: streaming }, 'key', 'k');
		expect(options.body).toBe(streaming);
		expect(streaming.fieldNames()).toEqual(['key', 'phone']);
	});

	test('refuses a body that cannot carry a field', () => {
		expect(() => withJsonBodyField({ url: '/x', body: '{"a":1}' }, 'key', 'k')).toThrow(
			'must be a JSON object',
		);
	});
});
