/** Files the sandbox serves at /sobot/media/<id> for incoming media messages, so a trigger can download them. */
import { createHash } from 'node:crypto';

export interface StoredMedia {
	id: string;
	mime_type: string;
	bytes: Buffer;
	sha256: string;
}

// A 1x1 PNG: the smallest real image, so a downloader can check it decodes.
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);

/** Sample bytes that start like a real file of the type (magic numbers), for a MIME type. */
export function sampleBytes(mime: string, seed: string): Buffer {
	const filler = Buffer.from(`sandbox media ${seed}\n`);
	if (mime === 'image/png') return PNG;
	if (mime === 'image/jpeg')
		return Buffer.concat([
			Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
			filler,
			Buffer.from([0xff, 0xd9]),
		]);
	if (mime === 'image/webp')
		return Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'), filler]);
	if (mime.startsWith('video/'))
		return Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypmp42', 'latin1'), filler]);
	if (mime === 'application/pdf') return Buffer.from(`%PDF-1.4\n% ${seed}\n%%EOF\n`);
	return filler;
}

export function storedMedia(id: string, mime: string, bytes: Buffer): StoredMedia {
	return { id, mime_type: mime, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
