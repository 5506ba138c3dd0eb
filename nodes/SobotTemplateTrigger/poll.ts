/** One poll of the Sobot Template Trigger: list the templates by status and report the ones whose status changed. */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { TemplateStatusName } from '../Sobot/transport/templates';
import { listTemplates } from '../Sobot/transport/templates';
import { pollGatewayContext } from '../shared/polling/context';
import type { ListedTemplate, StatusChange } from './changes';
import { compare, loadTemplatesMemory, readTemplate } from './changes';

export const STATE_KEY = 'sobotTemplateStatuses';

const ALL_STATUSES: TemplateStatusName[] = ['pending', 'approved', 'rejected'];

export interface TemplatePollSettings {
	watched: TemplateStatusName[];
	/** Lower-case names, or undefined for all templates. */
	names: Set<string> | undefined;
	includeRaw: boolean;
}

export function readTemplateSettings(ctx: IPollFunctions): TemplatePollSettings {
	const watched = (ctx.getNodeParameter('statuses', ['approved', 'rejected']) as string[]).filter(
		(status): status is TemplateStatusName => (ALL_STATUSES as string[]).includes(status),
	);
	if (!watched.length)
		throw new NodeOperationError(
			ctx.getNode(),
			'Statuses: choose at least one status to trigger on',
		);
	let names: Set<string> | undefined;
	if (ctx.getNodeParameter('templates', 'all') === 'names') {
		const typed = String(ctx.getNodeParameter('templateNames', '') ?? '')
			.split(/[,\n]/)
			.map((name) => name.trim().toLowerCase())
			.filter(Boolean);
		if (!typed.length)
			throw new NodeOperationError(
				ctx.getNode(),
				'Template Names: enter at least one name, or watch All Templates',
			);
		names = new Set(typed);
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return { watched, names, includeRaw: options.includeRaw !== false };
}

/**
 * Every template Sobot lists under each status (every page). All are remembered, also with chosen names, so
 * adding a name later does not fire for a template that was approved long ago.
 */
async function listAll(ctx: IPollFunctions): Promise<ListedTemplate[]> {
	const byKey = new Map<string, ListedTemplate>();
	for (const status of ALL_STATUSES) {
		for (const raw of await listTemplates(pollGatewayContext(ctx), status)) {
			const template = readTemplate(raw, status);
			if (template) byKey.set(template.key, template);
		}
	}
	return [...byKey.values()];
}

function chosen(settings: TemplatePollSettings, template: ListedTemplate): boolean {
	return !settings.names || settings.names.has(template.name.toLowerCase());
}

function toItem(change: StatusChange, includeRaw: boolean, checkedAt: string): INodeExecutionData {
	const { raw } = change.template;
	const json: IDataObject = {
		service: 'sobot',
		event: 'template',
		name: change.template.name,
		language: raw.lang_code ?? null,
		status: change.template.status,
		previousStatus: change.previous,
		rejectedReason: change.template.status === 'rejected' ? (raw.rejected_reason ?? null) : null,
		category: raw.category ?? null,
		templateType: raw.template_type ?? null,
		templateId: raw.template_id ?? null,
		updatedAt:
			change.template.updatedAt === undefined
				? null
				: new Date(change.template.updatedAt).toISOString(),
		checkedAt,
	};
	if (includeRaw) json.raw = raw;
	return { json };
}

/** "Fetch Test Event": the most recently updated template in a watched status, as if it had just changed. */
export async function testTemplatePoll(
	ctx: IPollFunctions,
	settings: TemplatePollSettings,
): Promise<INodeExecutionData[][]> {
	const candidates = (await listAll(ctx)).filter(
		(template) => settings.watched.includes(template.status) && chosen(settings, template),
	);
	candidates.sort((x, y) => (y.updatedAt ?? -Infinity) - (x.updatedAt ?? -Infinity));
	if (!candidates.length) {
		throw new NodeOperationError(
			ctx.getNode(),
			`No Sobot template is ${settings.watched.join(' or ')}`,
			{
				description:
					'Create a template (Sobot node, Template → Create) or choose other statuses, then fetch again.',
			},
		);
	}
	return [
		[
			toItem(
				{ template: candidates[0], previous: null },
				settings.includeRaw,
				new Date().toISOString(),
			),
		],
	];
}

/**
 * A scheduled poll. The first one remembers every template's status and fires for none. The memory is written
 * into the node's static data in one assignment at the end, so a failed poll changes nothing.
 */
export async function scheduleTemplatePoll(
	ctx: IPollFunctions,
	settings: TemplatePollSettings,
): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	const previous = loadTemplatesMemory(staticData[STATE_KEY]);
	const checkedAt = new Date().toISOString();
	const { changes: all, memory } = compare(await listAll(ctx), previous, settings.watched);
	staticData[STATE_KEY] = memory as unknown as IDataObject;
	const changes = all.filter((change) => chosen(settings, change.template));
	if (!changes.length) return null;
	return [changes.map((change) => toItem(change, settings.includeRaw, checkedAt))];
}
