/** The checks of POST /message/ for every type, as Sobot documents them (plus WhatsApp's own where Sobot is silent). */
import type { Body, Refusal } from './rules';
import { isHttpUrl, isText, optionalText, refuse, variableCount } from './rules';
import type { SobotTemplate } from './templates';
import { STATUS } from './templates';

const MIME: Record<string, string[]> = {
	// image/webp is how a sticker travels.
	image: ['image/jpeg', 'image/png', 'image/webp'],
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
};

export const FREE_FORM_TYPES = [
	'text',
	'image',
	'video',
	'document',
	'location',
	'quick_reply',
	'list',
	'product',
];

function interactiveParts(body: Body): Refusal | undefined {
	if (!isText(body.message, 1024)) return refuse('message is required, at most 1024 characters');
	if (!optionalText(body.header, 60)) return refuse('header must be at most 60 characters');
	if (!optionalText(body.caption, 60)) return refuse('caption must be at most 60 characters');
	return undefined;
}

function checkFreeForm(body: Body): Refusal | undefined {
	switch (body.type) {
		case 'text':
			return isText(body.message, 4096)
				? undefined
				: refuse('message is required, at most 4096 characters');
		case 'image':
		case 'video':
		case 'document': {
			if (!isHttpUrl(body.url)) return refuse('url must be a public http(s) URL');
			if (!MIME[body.type].includes(String(body.mime_type)))
				return refuse(`mime_type "${String(body.mime_type)}" is not supported for ${body.type}`);
			if (body.type === 'document' && !isText(body.filename))
				return refuse('filename is required for a document');
			return undefined;
		}
		case 'location': {
			const latitude = Number(body.latitude);
			const longitude = Number(body.longitude);
			if (typeof body.latitude !== 'number' || Math.abs(latitude) > 90)
				return refuse('latitude must be a number from -90 to 90');
			if (typeof body.longitude !== 'number' || Math.abs(longitude) > 180)
				return refuse('longitude must be a number from -180 to 180');
			return undefined;
		}
		case 'quick_reply': {
			const buttons = body.buttons;
			if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3)
				return refuse('buttons must hold 1 to 3 titles');
			if (buttons.some((title) => !isText(title, 20)))
				return refuse('each button title must be 1 to 20 characters');
			if (new Set(buttons).size !== buttons.length) return refuse('button titles must be unique');
			return interactiveParts(body);
		}
		case 'list': {
			const list = body.list_obj as Body | undefined;
			if (!list || !isText(list.button, 20))
				return refuse('list_obj.button is required, at most 20 characters');
			const sections = list.sections;
			if (!Array.isArray(sections) || sections.length === 0)
				return refuse('list_obj.sections must be a non-empty list');
			const rows = sections.flatMap(
				(section) => ((section as Body)?.rows as Body[] | undefined) ?? [],
			);
			if (rows.length < 1 || rows.length > 10)
				return refuse('a list must have 1 to 10 rows in all');
			if (rows.some((row) => !isText(row?.id) || !isText(row?.title, 24)))
				return refuse('every row needs an id and a title of at most 24 characters');
			return interactiveParts(body);
		}
		case 'product': {
			const sections = (body.product_list as Body | undefined)?.sections;
			if (!Array.isArray(sections) || sections.length === 0)
				return refuse('product_list.sections must be a non-empty list');
			const items = sections.flatMap(
				(section) => ((section as Body)?.product_items as Body[] | undefined) ?? [],
			);
			if (items.length === 0 || items.some((item) => !isText(item?.product_retailer_id))) {
				return refuse('every section needs product_items with a product_retailer_id');
			}
			return interactiveParts(body);
		}
		default:
			return refuse(`type "${String(body.type)}" is not supported`);
	}
}

function checkTemplateSend(body: Body, template: SobotTemplate | undefined): Refusal | undefined {
	if (!isText(body.template_name)) return refuse('template_name is required');
	if (!template || template.status !== STATUS.approved)
		return refuse(`Template ${String(body.template_name)} not found or not approved`);
	if (body.template_lang !== template.lang_code) {
		return refuse(
			`Template ${template.entity_name} does not exist in the language ${String(body.template_lang)}`,
		);
	}
	const params = body.params ?? [];
	if (!Array.isArray(params)) return refuse('params must be a list');
	const bodyParams = params
		.filter((component) => (component as Body)?.type === 'body')
		.flatMap((component) => ((component as Body).parameters as unknown[]) ?? []);
	const expected = variableCount(template.template);
	if (bodyParams.length !== expected) {
		return refuse(
			`Number of parameters (${bodyParams.length}) does not match the expected number of params (${expected})`,
		);
	}
	return undefined;
}

/** What would make Sobot refuse this send; the window rule is checked by the caller, which knows who wrote. */
export function checkMessage(body: Body, template: SobotTemplate | undefined): Refusal | undefined {
	if (!isText(body.customer_name, 100)) return refuse('customer_name is required');
	if (body.type === 'template') return checkTemplateSend(body, template);
	return checkFreeForm(body);
}

/** What identifies a message's content in the sandbox's record of accepted messages. */
export function contentOf(body: Body): string {
	if (body.type === 'template')
		return `${String(body.template_name)}:${JSON.stringify(body.params ?? [])}`;
	if (typeof body.url === 'string') return body.url;
	if (body.type === 'location') return `${String(body.latitude)},${String(body.longitude)}`;
	return String(body.message ?? '');
}
