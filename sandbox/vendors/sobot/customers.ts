/** Sobot's customer fields and their checks (POST /api/customer, PUT /api/customer/<mobile>). */
import type { Body, Refusal } from './rules';
import { digitsOf, isText, optionalText, refuse } from './rules';

export interface SobotCustomer {
	id: number;
	mobile: string;
	name: string;
	first_name: string;
	last_name: string;
	email?: string;
	gender?: string;
	date_of_birth?: string;
	facebook_profile?: string;
	linkedin_profile?: string;
	twitter_profile?: string;
	extra_fields: Record<string, unknown>;
	labels: string[];
	created_at: string;
	updated_at: string;
}

const OPTIONAL_TEXT = ['email', 'facebook_profile', 'linkedin_profile', 'twitter_profile'];

/** Checks the fields both endpoints share; `adding` also requires mobile and name. */
export function checkCustomer(body: Body, adding: boolean): Refusal | undefined {
	if (adding) {
		if (body.mobile === undefined || body.mobile === '') return refuse('mobile is required');
		// Sandbox rule: a number ending in 0000 is not a real mobile number.
		if (!digitsOf(body.mobile) || String(body.mobile).endsWith('0000'))
			return refuse('Invalid mobile number');
		if (!isText(body.name)) return refuse('name is required');
	}
	if (body.name !== undefined && !isText(body.name, 100))
		return refuse('name must be 1 to 100 characters');
	for (const field of OPTIONAL_TEXT) {
		if (!optionalText(body[field], 500)) return refuse(`${field} must be text`);
	}
	if (body.email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(body.email)))
		return refuse('Enter a valid email address.');
	// The vendor spells it "Famale"; "Female" is refused as it would be by Sobot's own choices.
	if (body.gender !== undefined && body.gender !== 'Male' && body.gender !== 'Famale') {
		return refuse(`"${String(body.gender)}" is not a valid choice for gender (Male, Famale)`);
	}
	if (body.date_of_birth !== undefined && !/^\d{2}-\d{2}-\d{4}$/.test(String(body.date_of_birth))) {
		return refuse('date_of_birth must be DD-MM-YYYY');
	}
	if (body.extra_fields !== undefined) {
		const extra = body.extra_fields;
		if (!extra || typeof extra !== 'object' || Array.isArray(extra))
			return refuse('extra_fields must be an object');
		const spaced = Object.keys(extra).find((key) => /\s/.test(key));
		if (spaced !== undefined) return refuse(`extra_fields key "${spaced}" must not contain spaces`);
	}
	if (
		body.labels !== undefined &&
		(!Array.isArray(body.labels) || body.labels.some((label) => typeof label !== 'string'))
	) {
		return refuse('labels must be a list of strings');
	}
	return undefined;
}

export function applyCustomer(customer: SobotCustomer, body: Body): void {
	if (typeof body.name === 'string') {
		customer.name = body.name;
		const [first, ...rest] = body.name.trim().split(/\s+/);
		customer.first_name = first ?? '';
		customer.last_name = rest.join(' ');
	}
	for (const field of [...OPTIONAL_TEXT, 'gender', 'date_of_birth'] as const) {
		if (body[field] !== undefined) (customer as unknown as Body)[field] = body[field];
	}
	if (body.extra_fields !== undefined)
		customer.extra_fields = { ...customer.extra_fields, ...(body.extra_fields as Body) };
	// Documented: labels given on update replace the existing ones.
	if (body.labels !== undefined) customer.labels = [...(body.labels as string[])];
	customer.updated_at = new Date().toISOString();
}

/** The fields the list endpoint shows, as documented. */
export function listedCustomer(customer: SobotCustomer) {
	const { id, name, first_name, last_name, mobile } = customer;
	return { id, name, first_name, last_name, mobile };
}
