/**
 * Which templates changed status since the last poll. Sobot has no review webhook; the listing
 * (`GET /api/template/?status=`) is read on every poll and compared with the statuses remembered from the last.
 * Every status is remembered, pending ones too, so a template absent from memory is one created since then.
 * Bounded: at most MAX_TEMPLATES templates (Meta's most per WhatsApp Business Account); past that the least
 * recently updated are forgotten and `horizon` (their newest `updated_at`) keeps them from firing again.
 */
import type { IDataObject } from 'n8n-workflow';

import type { TemplateStatusName } from '../Sobot/transport/templates';
import { statusName } from '../Sobot/transport/templates';
import { toIsoTimestamp } from '../shared/webhook/event';

export const MAX_TEMPLATES = 6000;

export interface TemplateMemory {
	/** Status name. */
	s: TemplateStatusName;
	/** `updated_at` in ms, when Sobot gave one. */
	u?: number;
}

export interface TemplatesMemory {
	v: 1;
	horizon: number;
	templates: Record<string, TemplateMemory>;
}

export function loadTemplatesMemory(stored: unknown): TemplatesMemory | undefined {
	if (stored === null || typeof stored !== 'object') return undefined;
	const memory = stored as Partial<TemplatesMemory>;
	if (memory.v !== 1 || typeof memory.templates !== 'object' || memory.templates === null)
		return undefined;
	return { v: 1, horizon: Number(memory.horizon) || 0, templates: { ...memory.templates } };
}

export interface ListedTemplate {
	key: string;
	name: string;
	status: TemplateStatusName;
	updatedAt: number | undefined;
	raw: IDataObject;
}

/** One template of a listing; the listing's own status filter stands in when the template lacks `status`. */
export function readTemplate(
	raw: IDataObject,
	listedAs: TemplateStatusName,
): ListedTemplate | undefined {
	const name = typeof raw.entity_name === 'string' ? raw.entity_name.trim() : '';
	if (!name) return undefined;
	const status =
		raw.status === undefined || raw.status === null ? listedAs : statusName(raw.status);
	if (!status) return undefined;
	const iso = toIsoTimestamp(raw.updated_at);
	const language = typeof raw.lang_code === 'string' ? raw.lang_code : '';
	return {
		key: `${name}\n${language}`,
		name,
		status,
		updatedAt: iso === null ? undefined : Date.parse(iso),
		raw,
	};
}

export interface StatusChange {
	template: ListedTemplate;
	previous: TemplateStatusName | null;
}

/**
 * The changes into one of `watched` statuses, and the memory to keep. `previous` is undefined on the first
 * activation: then everything is remembered and nothing fires.
 */
export function compare(
	listed: ListedTemplate[],
	previous: TemplatesMemory | undefined,
	watched: TemplateStatusName[],
): { changes: StatusChange[]; memory: TemplatesMemory } {
	const changes: StatusChange[] = [];
	const templates: Record<string, TemplateMemory> = {};
	for (const template of listed) {
		templates[template.key] = {
			s: template.status,
			...(template.updatedAt !== undefined ? { u: template.updatedAt } : {}),
		};
		if (!previous || !watched.includes(template.status)) continue;
		const before = previous.templates[template.key];
		if (before) {
			if (before.s !== template.status) changes.push({ template, previous: before.s });
		} else if (template.updatedAt === undefined || template.updatedAt > previous.horizon) {
			changes.push({ template, previous: null });
		}
	}
	let horizon = previous?.horizon ?? 0;
	let kept = Object.entries(templates);
	if (kept.length > MAX_TEMPLATES) {
		kept.sort((x, y) => (y[1].u ?? -Infinity) - (x[1].u ?? -Infinity));
		for (const [, forgotten] of kept.slice(MAX_TEMPLATES))
			if (forgotten.u !== undefined) horizon = Math.max(horizon, forgotten.u);
		kept = kept.slice(0, MAX_TEMPLATES);
	}
	changes.sort((x, y) => (x.template.updatedAt ?? Infinity) - (y.template.updatedAt ?? Infinity));
	return { changes, memory: { v: 1, horizon, templates: Object.fromEntries(kept) } };
}
