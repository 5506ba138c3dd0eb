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

/** The first template, of any status, that `matches`; pages are read only until it is found (no "get one" endpoint). */
async function findListed(
	ctx: GatewayContext,
	matches: (template: IDataObject) => boolean,
): Promise<IDataObject | undefined> {
	const found = await listTemplates(ctx, 'all', { until: matches });
	return found.find(matches);
}

/** The template with this exact name (`entity_name`); undefined when Sobot lists none. */
export async function findTemplate(
	ctx: GatewayContext,
	name: string,
): Promise<IDataObject | undefined> {
	return await findListed(ctx, (template) => template.entity_name === name);
}

/** The template with Sobot's ID `id` (its `id`, or Meta's `template_id`); undefined when Sobot lists none. */
export async function findTemplateById(
	ctx: GatewayContext,
	id: string,
): Promise<IDataObject | undefined> {
	return await findListed(
		ctx,
		(template) => String(template.id) === id || String(template.template_id ?? '') === id,
	);
}
