/**
 * A JSON object request body that is produced while it is sent, for gateways that want a whole file as a
 * base64 string inside JSON (WAChatPro). Building that JSON as one string costs about four times the file
 * in memory (bytes, base64 text, JSON text, the UTF-8 buffer of it); this body holds only one chunk at a time.
 *
 * It is a Blob-like object (`size`, `type`, `stream()`, tagged "Blob"): community nodes may not import
 * `node:stream`, and n8n's HTTP stack (axios) turns a Blob into a stream itself, taking `size` as the exact
 * Content-Length and `type` as the Content-Type. undici's fetch accepts Blob-like objects the same way.
 *
 * Credentials whose secret travels in the body add it with `withJsonBodyField`, which works for this body
 * and for a plain object, so auth stays in the credential's `authenticate`.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { base64Length, encodeBase64Chunks } from './base64';

/** Bytes of a file: either base64 text that is already canonical, or a source of raw bytes encoded on the way. */
export type Base64Source =
	| { kind: 'base64'; text: string }
	| {
			kind: 'bytes';
			/** Exact number of bytes the source yields: it fixes the Content-Length before the first byte is read. */
			length: number;
			/** Called once per sending: a retry reads the file again instead of keeping it in memory. */
			open: () => Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>>;
	  };

/** A field value streamed as a base64 JSON string. */
export class Base64Value {
	constructor(readonly source: Base64Source) {}

	get length(): number {
		return this.source.kind === 'base64'
			? this.source.text.length
			: base64Length(this.source.length);
	}
}

/** Brand that survives two copies of this module (the credential and the node are loaded separately). */
const BRAND = Symbol.for('n8n-nodes-whatsapp-gateways.StreamingJsonBody');

/** Base64 text is sliced into chunks of this many characters (a multiple of 4, so slices stay valid base64). */
const TEXT_CHUNK = 64 * 1024;

type FieldValue = string | number | boolean | null | Base64Value;

export class StreamingJsonBody {
	readonly [BRAND] = true;

	private readonly fields = new Map<string, FieldValue>();

	/** Fields in order; Base64Value fields are streamed, the others are written as JSON. */
	constructor(fields: Array<[string, FieldValue | undefined]>) {
		for (const [name, value] of fields) if (value !== undefined) this.fields.set(name, value);
	}

	get [Symbol.toStringTag](): string {
		return 'Blob';
	}

	get type(): string {
		return 'application/json';
	}

	/** The exact byte length of the JSON: what Content-Length will say. */
	get size(): number {
		let size = 0;
		for (const part of this.parts())
			size += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
		return size;
	}

	/**
	 * Sets a field, e.g. the credential's key. A new field goes first, as in the vendors' examples, and so a
	 * gateway that parses while reading meets the key before the file.
	 */
	setField(name: string, value: string | number | boolean | null): void {
		if (this.fields.has(name)) {
			this.fields.set(name, value);
			return;
		}
		const rest = [...this.fields];
		this.fields.clear();
		this.fields.set(name, value);
		for (const [n, v] of rest) this.fields.set(n, v);
	}

	fieldNames(): string[] {
		return [...this.fields.keys()];
	}

	/** A web ReadableStream of the JSON bytes; each call streams the body anew (a retry re-opens the file). */
	stream(): ReadableStream<Uint8Array> {
		const iterator = this.chunks();
		return new ReadableStream<Uint8Array>({
			async pull(controller) {
				const { value, done } = await iterator.next();
				if (done) controller.close();
				else controller.enqueue(value);
			},
			async cancel() {
				// Closes the file stream when the request is aborted.
				await iterator.return(undefined);
			},
		});
	}

	/** Never the values: an error report that serialises the request must not carry the key or the file. */
	toJSON(): Record<string, unknown> {
		return { type: this.type, size: this.size, fields: this.fieldNames() };
	}

	private *parts(): Generator<string | Base64Value> {
		let first = true;
		for (const [name, value] of this.fields) {
			const head = `${first ? '{' : ','}${JSON.stringify(name)}:`;
			first = false;
			if (value instanceof Base64Value) {
				yield `${head}"`;
				yield value;
				yield '"';
			} else {
				yield head + JSON.stringify(value);
			}
		}
		yield first ? '{}' : '}';
	}

	private async *chunks(): AsyncGenerator<Uint8Array> {
		const expected = this.size;
		let sent = 0;
		let text = '';
		for (const part of this.parts()) {
			if (typeof part === 'string') {
				text += part;
				continue;
			}
			if (text) {
				const head = Buffer.from(text);
				sent += head.length;
				yield head;
				text = '';
			}
			for await (const chunk of base64Chunks(part.source)) {
				sent += chunk.length;
				yield chunk;
			}
		}
		const tail = Buffer.from(text);
		sent += tail.length;
		if (sent !== expected)
			throw new Error(`The request body came out at ${sent} bytes instead of ${expected}`);
		yield tail;
	}
}

async function* base64Chunks(source: Base64Source): AsyncGenerator<Uint8Array> {
	if (source.kind === 'base64') {
		for (let start = 0; start < source.text.length; start += TEXT_CHUNK) {
			yield Buffer.from(source.text.slice(start, start + TEXT_CHUNK), 'latin1');
		}
		return;
	}
	yield* encodeBase64Chunks(counted(await source.open(), source.length));
}

/** The source's bytes, checked against the length the Content-Length was computed from. */
async function* counted(
	source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	length: number,
): AsyncGenerator<Uint8Array> {
	let read = 0;
	for await (const chunk of source) {
		read += chunk.byteLength;
		if (read > length) break;
		yield chunk;
	}
	// Sending other bytes than announced would leave the gateway waiting, or cut the JSON short.
	if (read !== length)
		throw new Error(
			`The file changed while it was being sent: ${read > length ? 'more' : read} bytes instead of ${length}`,
		);
}

export function isStreamingJsonBody(body: unknown): body is StreamingJsonBody {
	return (
		typeof body === 'object' && body !== null && (body as Record<symbol, unknown>)[BRAND] === true
	);
}

/**
 * Request options with one more field in the JSON body, for credentials whose secret travels in the body.
 * A plain object body is copied (never changed in place, so the secret cannot end up in the caller's data);
 * a streaming body gets the field before it starts flowing. The credential's value wins over a same-named
 * field from the node.
 */
export function withJsonBodyField(
	options: IHttpRequestOptions,
	name: string,
	value: string,
): IHttpRequestOptions {
	const { body } = options;
	if (isStreamingJsonBody(body)) {
		body.setField(name, value);
		return options;
	}
	if (body === undefined || body === null || body === '')
		return { ...options, body: { [name]: value } };
	if (
		typeof body === 'object' &&
		!Array.isArray(body) &&
		Object.getPrototypeOf(body) === Object.prototype
	) {
		const rest = { ...(body as Record<string, unknown>) };
		delete rest[name];
		return { ...options, body: { [name]: value, ...rest } as IHttpRequestOptions['body'] };
	}
	throw new Error(`The request body must be a JSON object to carry the "${name}" field`);
}
