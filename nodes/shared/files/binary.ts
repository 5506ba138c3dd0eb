/**
 * Reading a file from an item's binary property without assuming it is in memory. n8n keeps binary data
 * either inline as base64 ("default" mode) or in a store with only an id in the item ("filesystem" and
 * others); both are read through n8n's helpers, and neither is turned into one big buffer here.
 */
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { decodedLength, isCanonicalBase64 } from './base64';
import { invalidField } from '../execution/items';
import type { Base64Source } from './jsonBody';

export interface BinaryFile {
	fileName?: string;
	mimeType?: string;
	fileExtension?: string;
	/** Exact size in bytes. */
	bytes: number;
	/** The bytes, ready to be streamed as base64. */
	source: Base64Source;
}

/** Read size of the stored file's chunks: a multiple of 3, so most chunks encode to base64 without a carry. */
const STREAM_CHUNK_BYTES = 3 * 16 * 1024;

/**
 * The file in binary property `propertyName` of item `itemIndex`. A missing property is reported against
 * the field `label` (the parameter that names the property), listing what the item has instead.
 */
export async function readBinaryFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	label: string,
): Promise<BinaryFile> {
	const name = propertyName.trim();
	if (name === '') throw invalidField(ctx, itemIndex, label, 'is required but empty');
	const binaries = ctx.getInputData()[itemIndex]?.binary ?? {};
	const binary = binaries[name] as IBinaryData | undefined;
	if (!binary) {
		const available = Object.keys(binaries);
		const has =
			available.length > 0
				? `it has ${available.map((k) => `"${k}"`).join(', ')}`
				: 'it has no binary data at all';
		throw invalidField(ctx, itemIndex, label, `the item has no binary property "${name}" (${has})`);
	}
	const described = {
		fileName: binary.fileName,
		mimeType: binary.mimeType,
		fileExtension: binary.fileExtension,
	};

	if (binary.id) {
		const id = binary.id;
		const metadata = await ctx.helpers.getBinaryMetadata(id);
		let bytes = Number(metadata.fileSize ?? binary.bytes);
		// Stores that keep no size: count the bytes once (streamed, so nothing stays in memory).
		if (!Number.isFinite(bytes))
			bytes = await countBytes(await ctx.helpers.getBinaryStream(id, STREAM_CHUNK_BYTES));
		return {
			...described,
			fileName: binary.fileName ?? metadata.fileName,
			mimeType: binary.mimeType ?? metadata.mimeType,
			bytes,
			source: {
				kind: 'bytes',
				length: bytes,
				open: async () => await ctx.helpers.getBinaryStream(id, STREAM_CHUNK_BYTES),
			},
		};
	}

	const data = typeof binary.data === 'string' ? binary.data : '';
	if (isCanonicalBase64(data)) {
		// In memory, n8n already holds the file as base64: send that text as it is, without decoding it.
		return { ...described, bytes: decodedLength(data), source: { kind: 'base64', text: data } };
	}
	// Hand-made binary data (e.g. from a Code node) may not be canonical: let n8n decode it as it would.
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
	return {
		...described,
		bytes: buffer.length,
		source: { kind: 'bytes', length: buffer.length, open: async () => [buffer] },
	};
}

async function countBytes(stream: AsyncIterable<Uint8Array>): Promise<number> {
	let bytes = 0;
	for await (const chunk of stream) bytes += chunk.byteLength;
	return bytes;
}

/** "12.3 MB" for messages. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	const units = ['KB', 'MB', 'GB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}
