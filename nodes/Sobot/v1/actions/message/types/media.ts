/** Image, video, document and sticker: a public URL the gateway fetches, with a MIME type WhatsApp accepts. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString, readUrl } from '../../../../../shared/parameters/fields';
import { invalidField } from '../../../../../shared/execution/items';
import type { MediaKind } from '../../../../limits';
import { MIME_BY_EXTENSION, MIME_TYPES } from '../../../../limits';
import type { MessageTypeDefinition } from './definition';
import { forTypes } from './definition';

const AUTO = 'auto';

const KIND_WORDS: Record<MediaKind, string> = {
	image: 'images',
	video: 'videos',
	document: 'documents',
	sticker: 'stickers',
};

function mimeTypeProperty(kind: Exclude<MediaKind, 'sticker'>, label: string): INodeProperties {
	return {
		displayName: 'MIME Type',
		name: `${kind}MimeType`,
		type: 'options',
		options: [
			{
				name: 'Detect From URL',
				value: AUTO,
				description: 'From the file extension at the end of the URL',
			},
			...MIME_TYPES[kind].map((mime) => ({ name: mime, value: mime })),
		],
		default: AUTO,
		displayOptions: forTypes(kind),
		description: `The ${label}'s MIME type; WhatsApp accepts ${MIME_TYPES[kind].join(', ')}`,
	};
}

export const mediaProperties: INodeProperties[] = [
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/photo.jpg',
		displayOptions: forTypes('image', 'video', 'document', 'sticker'),
		description:
			'Public http(s) URL of the file; Sobot fetches it. WhatsApp limits: images 5 MB, documents 100 MB, stickers 100 KB (animated 500 KB).',
	},
	mimeTypeProperty('image', 'image'),
	mimeTypeProperty('video', 'video'),
	mimeTypeProperty('document', 'document'),
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'invoice.pdf',
		displayOptions: forTypes('document'),
		description: 'The name the customer sees; taken from the URL when left empty',
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		displayOptions: forTypes('image', 'video', 'document'),
	},
];

function urlFileName(url: string): string {
	const last = new URL(url).pathname.split('/').pop() ?? '';
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

function readMimeType(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: MediaKind,
	url: string,
): string {
	const allowed: readonly string[] = MIME_TYPES[kind];
	if (kind === 'sticker') return allowed[0];
	const chosen =
		readString(ctx, itemIndex, `${kind}MimeType`, 'MIME Type', { required: false }) || AUTO;
	let mime = chosen.toLowerCase();
	if (mime === AUTO) {
		const extension = /\.([a-z0-9]+)$/i.exec(urlFileName(url))?.[1]?.toLowerCase();
		mime = (extension && MIME_BY_EXTENSION[extension]) || '';
		if (!mime) {
			throw invalidField(
				ctx,
				itemIndex,
				'MIME Type',
				`cannot tell the type from the URL "${url}": choose one of ${allowed.join(', ')}`,
			);
		}
	}
	if (!allowed.includes(mime)) {
		throw invalidField(
			ctx,
			itemIndex,
			'MIME Type',
			`"${mime}" is not accepted for ${KIND_WORDS[kind]}: use ${allowed.join(', ')}`,
		);
	}
	return mime;
}

function buildMedia(ctx: IExecuteFunctions, itemIndex: number, kind: MediaKind): IDataObject {
	const url = readUrl(ctx, itemIndex, 'mediaUrl', 'Media URL');
	const body: IDataObject = {
		// Sobot has no sticker type: a sticker is an image whose MIME type is image/webp.
		type: kind === 'sticker' ? 'image' : kind,
		url,
		mime_type: readMimeType(ctx, itemIndex, kind, url),
	};
	if (kind === 'document') {
		const fileName =
			readString(ctx, itemIndex, 'fileName', 'File Name', { required: false }) || urlFileName(url);
		if (!fileName)
			throw invalidField(
				ctx,
				itemIndex,
				'File Name',
				'is empty and the URL ends without a file name',
			);
		body.filename = fileName;
	}
	if (kind !== 'sticker') {
		const caption = readString(ctx, itemIndex, 'caption', 'Caption', {
			required: false,
			trim: false,
		});
		if (caption.trim()) body.caption = caption;
	}
	return body;
}

function definition(kind: MediaKind, name: string, description: string): MessageTypeDefinition {
	return {
		name,
		value: kind,
		description,
		build: (ctx, itemIndex) => buildMedia(ctx, itemIndex, kind),
	};
}

export const image = definition('image', 'Image', 'A JPEG or PNG image from a URL, with a caption');
export const video = definition(
	'video',
	'Video',
	'An MP4 or 3GPP video from a URL, with a caption',
);
export const document = definition('document', 'Document', 'A PDF, Office or text file from a URL');
export const sticker = definition(
	'sticker',
	'Sticker',
	'A WebP sticker from a URL (sent as an image/webp image)',
);
