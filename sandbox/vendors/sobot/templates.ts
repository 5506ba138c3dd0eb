/** Sobot's templates: the create checks (POST /api/template/), the listed shape, and the seeded ones. */
import type { Body, Refusal } from './rules';
import { isHttpUrl, isText, optionalText, refuse, variableCount } from './rules';

export const STATUS = { pending: 0, approved: 1, rejected: 2 } as const;

export interface SobotTemplate {
	id: number;
	entity_name: string;
	template: string;
	category: string;
	template_type: 'TEXT' | 'MEDIA';
	lang_code: string;
	template_id: string | null;
	header: string | null;
	header_type: string | null;
	footer: string | null;
	buttons: string[] | null;
	sub_type: string | null;
	phone_numbers: Array<{ phone_number: string; text: string }> | null;
	url: string | null;
	url_name: string | null;
	example: string | null;
	example_website: string | null;
	example_body_param: unknown;
	example_header_param: unknown;
	created_at: string;
	updated_at: string;
	status: number;
	rejected_reason: string | null;
	added_by: string;
}

const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];
const HEADER_TYPES = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'];

export function checkTemplate(body: Body, existing: SobotTemplate[]): Refusal | undefined {
	if (!CATEGORIES.includes(String(body.category)))
		return refuse(`category must be one of ${CATEGORIES.join(', ')}`);
	if (!isText(body.entity_name, 128) || /\s/.test(body.entity_name)) {
		return refuse('entity_name is required, without spaces, at most 128 characters');
	}
	if (existing.some((template) => template.entity_name === body.entity_name)) {
		// Sobot answers some refusals with HTTP 200 and the real code in the body.
		return refuse('Template with this name already exists', { status: 200 });
	}
	if (body.template_type !== 'TEXT' && body.template_type !== 'MEDIA')
		return refuse('template_type must be TEXT or MEDIA');
	if (!isText(body.body, 1024)) return refuse('body is required, at most 1024 characters');
	if (body.header_type !== undefined && !HEADER_TYPES.includes(String(body.header_type))) {
		return refuse(`header_type must be one of ${HEADER_TYPES.join(', ')}`);
	}
	const media = body.header_type !== undefined && body.header_type !== 'TEXT';
	if (body.template_type === 'MEDIA' && !media)
		return refuse('a MEDIA template needs an IMAGE, VIDEO or DOCUMENT header_type');
	if (media && body.template_type !== 'MEDIA')
		return refuse('a media header needs template_type MEDIA');
	if (media && !isHttpUrl(body.example))
		return refuse('example must be the public URL of a sample header file');
	if (body.header_type === 'TEXT' && !isText(body.header, 60))
		return refuse('header is required for a TEXT header, at most 60 characters');
	if (!optionalText(body.footer, 60)) return refuse('footer must be at most 60 characters');
	const variables = variableCount(String(body.body));
	const examples = (body.example_body_param as { body_text?: unknown[][] } | undefined)
		?.body_text?.[0];
	if (variables > 0 && (!Array.isArray(examples) || examples.length !== variables)) {
		return refuse(
			`example_body_param must give ${variables} example value(s) for the body variables`,
		);
	}
	if (body.buttons !== undefined) {
		const buttons = body.buttons;
		if (
			!Array.isArray(buttons) ||
			buttons.length < 1 ||
			buttons.length > 3 ||
			buttons.some((b) => !isText(b, 25))
		) {
			return refuse('buttons must be 1 to 3 quick replies of at most 25 characters');
		}
	}
	if (body.sub_type !== undefined) {
		if (body.sub_type !== 'CTA') return refuse('sub_type must be CTA');
		const phones = body.phone_numbers as Body[] | undefined;
		if (
			phones !== undefined &&
			(!Array.isArray(phones) ||
				phones.some((p) => !isText(p?.phone_number) || !isText(p?.text, 25)))
		) {
			return refuse('phone_numbers must be [{phone_number, text}]');
		}
		if (body.url !== undefined) {
			if (!isHttpUrl(String(body.url).replace(/\{\{\s*1\s*\}\}$/, 'x')))
				return refuse('url must be an http(s) URL');
			if (!isText(body.url_name, 25)) return refuse('url_name is required with url');
			if (/\{\{\s*1\s*\}\}$/.test(String(body.url)) && !isHttpUrl(body.example_website)) {
				return refuse('example_website is required when url ends in {{1}}');
			}
		}
		if (phones === undefined && body.url === undefined)
			return refuse('a CTA template needs phone_numbers or url');
	}
	return undefined;
}

export function newTemplate(
	id: number,
	body: Body,
	status: number = STATUS.pending,
): SobotTemplate {
	const now = new Date().toISOString();
	const or = <T>(value: unknown): T | null => (value === undefined ? null : (value as T));
	return {
		id,
		entity_name: String(body.entity_name),
		template: String(body.body),
		category: String(body.category),
		template_type: body.template_type === 'MEDIA' ? 'MEDIA' : 'TEXT',
		lang_code: typeof body.lang_code === 'string' && body.lang_code ? body.lang_code : 'en_US',
		template_id: status === STATUS.approved ? String(1_000_000_000_000 + id) : null,
		header: or(body.header),
		header_type: or(body.header_type),
		footer: or(body.footer),
		buttons: or(body.buttons),
		sub_type: or(body.sub_type),
		phone_numbers: or(body.phone_numbers),
		url: or(body.url),
		url_name: or(body.url_name),
		example: or(body.example),
		example_website: or(body.example_website),
		example_body_param: or(body.example_body_param),
		example_header_param: or(body.example_header_param),
		created_at: now,
		updated_at: now,
		status,
		rejected_reason: null,
		added_by: 'api',
	};
}

/** Seeded on every reset so the template dropdown has approved templates to show. */
export const SEED_TEMPLATES: Array<{ status: number; rejected_reason?: string; body: Body }> = [
	{
		status: STATUS.approved,
		body: {
			entity_name: 'order_update',
			category: 'UTILITY',
			template_type: 'TEXT',
			lang_code: 'en_US',
			body: 'Hi {{1}}, your order {{2}} has shipped and arrives on {{3}}.',
		},
	},
	{
		status: STATUS.approved,
		body: {
			entity_name: 'welcome_offer',
			category: 'MARKETING',
			template_type: 'MEDIA',
			lang_code: 'en',
			header_type: 'IMAGE',
			example: 'https://example.com/welcome.jpg',
			body: 'Hello {{1}}! Enjoy {{2}} off your next order.',
			buttons: ['Shop now', 'Not interested'],
		},
	},
	{
		status: STATUS.approved,
		body: {
			entity_name: 'appointment_reminder',
			category: 'UTILITY',
			template_type: 'TEXT',
			lang_code: 'en_US',
			body: 'Your appointment is tomorrow. Reply to reschedule.',
			footer: 'Sandbox Clinic',
		},
	},
	{
		status: STATUS.approved,
		body: {
			entity_name: 'track_order',
			category: 'UTILITY',
			template_type: 'TEXT',
			lang_code: 'en_US',
			body: 'Track order {{1}} with the button below.',
			sub_type: 'CTA',
			url: 'https://shop.example/track/{{1}}',
			url_name: 'Track',
			example_website: 'https://shop.example/track/123',
		},
	},
	{
		status: STATUS.pending,
		body: {
			entity_name: 'diwali_sale',
			category: 'MARKETING',
			template_type: 'TEXT',
			lang_code: 'en',
			body: 'Diwali sale: {{1}} off!',
		},
	},
	{
		status: STATUS.rejected,
		rejected_reason: 'Promotional content that violates WhatsApp commerce policy',
		body: {
			entity_name: 'free_money',
			category: 'MARKETING',
			template_type: 'TEXT',
			lang_code: 'en',
			body: 'Claim your free money now!',
		},
	},
];
