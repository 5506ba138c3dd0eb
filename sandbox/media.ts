/**
 * Files a customer sends: each gateway serves them from loopback at `/<vendor>/media/<id>`, without keys, so the
 * triggers and Send and Wait for Reply can download them (under an allow-list that names 127.0.0.1).
 */
import { createHash } from 'node:crypto';

import type { Reply } from './http';
import { json } from './http';

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
	// A voice note: WhatsApp records Opus in an Ogg container.
	if (mime.startsWith('audio/ogg'))
		return Buffer.concat([Buffer.from('OggS\x00\x02', 'latin1'), filler]);
	return filler;
}

export function storedMedia(id: string, mime: string, bytes: Buffer): StoredMedia {
	return { id, mime_type: mime, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The request path of a stored file, `/media/<id>` under the gateway's base URL. */
/** The media type a gateway would give a customer's file of this kind when the caller names none. */
export function defaultMimeType(type: string, voiceNote = false): string {
	return (
		{
			image: 'image/jpeg',
			video: 'video/mp4',
			audio: voiceNote ? 'audio/ogg; codecs=opus' : 'audio/mpeg',
			document: 'application/pdf',
		}[type] ?? 'application/octet-stream'
	);
}

export const MEDIA_PATH = /^\/media\/([\w-]+)$/;

/** A gateway's files by id: `put` stores one (sample bytes unless given) and returns it; `serve` answers a GET. */
export class MediaShelf {
	files = new Map<string, StoredMedia>();

	put(id: string, mime: string, bytes?: Buffer): StoredMedia {
		const file = storedMedia(id, mime, bytes ?? sampleBytes(mime, id));
		this.files.set(id, file);
		return file;
	}

	serve(id: string): Reply {
		const file = this.files.get(id);
		if (!file) return json(404, { message: 'Media not found', code: 404 });
		return { status: 200, body: file.bytes, headers: { 'content-type': file.mime_type } };
	}

	list() {
		return [...this.files.values()].map(({ id, mime_type, sha256, bytes }) => ({
			id,
			mime_type,
			sha256,
			size: bytes.length,
		}));
	}
}
