/**
 * Limits checked before any request. `SOBOT` ones are in Sobot's docs; `META` ones are WhatsApp Cloud API
 * rules that Sobot does not repeat but Meta enforces (a message over them is refused after it left n8n).
 */
export const SOBOT = {
	textLength: 4096,
	customerNameLength: 100,
	buttonsMin: 1,
	buttonsMax: 3,
	buttonTitleLength: 20,
	listRowsTotal: 10,
	headerLength: 60,
	footerLength: 60,
	templateNameLength: 128,
	templateBodyLength: 1024,
	templateHeaderLength: 60,
	templateFooterLength: 60,
	templateQuickRepliesMax: 3,
} as const;

export const META = {
	interactiveBodyLength: 1024,
	listButtonLength: 20,
	listSectionsMax: 10,
	listSectionTitleLength: 24,
	listRowTitleLength: 24,
	listRowDescriptionLength: 72,
	listRowIdLength: 200,
	productSectionsMax: 10,
	productItemsTotal: 30,
	templateButtonTextLength: 25,
	locationNameLength: 1000,
} as const;

/** MIME types WhatsApp accepts per media message type (sticker: Sobot sends it as an `image` of `image/webp`). */
export const MIME_TYPES = {
	image: ['image/jpeg', 'image/png'],
	video: ['video/mp4', 'video/3gpp'],
	document: [
		'application/pdf',
		'text/plain',
		'application/msword',
		'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		'application/vnd.ms-excel',
		'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		'application/vnd.ms-powerpoint',
		'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	],
	sticker: ['image/webp'],
} as const;

export type MediaKind = keyof typeof MIME_TYPES;

/** File extensions that tell the MIME type of a media URL when the user leaves it to be detected. */
export const MIME_BY_EXTENSION: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	mp4: 'video/mp4',
	'3gp': 'video/3gpp',
	pdf: 'application/pdf',
	txt: 'text/plain',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};
