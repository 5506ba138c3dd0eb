/**
 * A campaign's ID: its template and the Campaign Name the user gives (`order_update/diwali-2026`), or the
 * template alone. Sends are recorded under it (shared/sending/sendRecord.ts), so the same campaign run again
 * never sends its template twice to one recipient, while a new name starts a new campaign.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { readResumeKey } from '../../../../shared/sending/options';
import type { TemplateLookup } from '../common/template/choice';
import { readTemplateName } from '../common/template/choice';

export async function campaignId(ctx: IExecuteFunctions, lookup: TemplateLookup): Promise<string> {
	const name = readResumeKey(ctx, ctx.getNodeParameter('campaignName', 0, ''), 'Campaign Name');
	let template: string;
	try {
		template = await readTemplateName(ctx, 0, lookup);
	} catch {
		// The first item's template is missing: that item reports it; the campaign is still recorded.
		template = '(no template)';
	}
	return name ? `${template}/${name}` : template;
}
