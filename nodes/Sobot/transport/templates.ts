/** Reading Sobot's template listing, the only "sync" surface Sobot has (no dedicated sync endpoint). */
import type { IDataObject } from 'n8n-workflow';

import type { FollowOptions } from '../../shared/http/pagination';
import type { GatewayContext } from '../../shared/http/transport';
import { sobotList } from './index';

/** Sobot's numeric `status` of a template, and the filter value of `GET /api/template/?status=`. */
export const TEMPLATE_STATUS = { pending: 0, approved: 1, rejected: 2 } as const;

export type TemplateStatusName = keyof typeof TEMPLATE_STATUS;

export function statusName(status: unknown): TemplateStatusName | undefined {
	const number = Number(status);
	return (Object.keys(TEMPLATE_STATUS) as TemplateStatusName[]).find(
		(name) => TEMPLATE_STATUS[name] === number,
	);
}

export async function listTemplates(
	ctx: GatewayContext,
	status: TemplateStatusName | 'all',
	options: FollowOptions = {},
): Promise<IDataObject[]> {
	const path =
		status === 'all' ? '/api/template/' : `/api/template/?status=${TEMPLATE_STATUS[status]}`;
	return await sobotList(ctx, path, options);
}

/** The template with this exact name (`entity_name`), whatever its status; undefined when Sobot lists none. */
export async function findTemplate(
	ctx: GatewayContext,
	name: string,
): Promise<IDataObject | undefined> {
	const found = await listTemplates(ctx, 'all', {
		until: (template) => template.entity_name === name,
	});
	return found.find((template) => template.entity_name === name);
}

/** The template with Sobot's ID `id` (its `id`, or Meta's `template_id`), whatever its status; undefined when none. */
export async function findTemplateById(
	ctx: GatewayContext,
	id: string,
): Promise<IDataObject | undefined> {
	const matches = (template: IDataObject) =>
		String(template.id) === id || String(template.template_id ?? '') === id;
	const found = await listTemplates(ctx, 'all', { until: matches });
	return found.find(matches);
}
