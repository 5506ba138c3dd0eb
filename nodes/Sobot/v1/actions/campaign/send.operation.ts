import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runSends, skipSend } from '../../../../shared/sending/runSends';
import { messageIdentity } from '../../../../shared/sending/identity';
import { sobotRequest } from '../../../transport';
import { recipientProperties } from '../common/recipient';
import { sendResult } from '../common/sendResult';
import { TemplateLookup, readTemplate, templateChoiceProperties } from '../common/template/choice';
import type { TemplateSend } from '../common/template/message';
import { prepareTemplateSend } from '../common/template/message';
import { templateParameterProperties } from '../common/template/parameters';
import { campaignId } from './campaignId';
import { campaignSendingOptionsProperty, readCampaignSendingOptions } from './pacing';

const properties: INodeProperties[] = [
	{
		displayName:
			'Sends one approved template to every input item, paced, and outputs one item per recipient saying whether it was sent and why not',
		name: 'campaignNotice',
		type: 'notice',
		default: '',
	},
	...recipientProperties({
		numberDefault: '={{ $json.mobile }}',
		nameDefault: '={{ $json.name }}',
	}),
	...templateChoiceProperties,
	{
		displayName: 'Campaign Name',
		name: 'campaignName',
		type: 'string',
		default: '',
		placeholder: 'e.g. diwali-offer-2026',
		description:
			"With the template's name it makes the Campaign ID. Every recipient who got the template is recorded under that ID in n8n's database as the message goes out, so running the campaign again (after a crash, a restart or a stop) sends only to those who did not get it yet. Use a new name to send the template to the same people again.",
	},
	...templateParameterProperties,
	{
		displayName: 'Skip Repeated Recipients',
		name: 'skipRepeatedRecipients',
		type: 'boolean',
		default: true,
		description:
			'Whether a number that appears in several items gets the template once only (the later items are skipped)',
	},
	campaignSendingOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['campaign'], operation: ['send'] } },
	properties,
);

type Job = TemplateSend;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const lookup = new TemplateLookup(this);
	const items = this.getInputData();
	if (items.length > 0 && !this.continueOnFail()) {
		// A wrong template is the campaign's problem, not one recipient's: fail before anything is sent.
		await readTemplate(this, 0, lookup, { mustBeKnown: true });
	}

	const skipRepeated = this.getNodeParameter('skipRepeatedRecipients', 0, true) as boolean;
	const campaign = items.length > 0 ? await campaignId(this, lookup) : '';
	const firstItemFor = new Map<string, number>();

	const results = await runSends<Job>(
		this,
		{
			alwaysReportFailures: true,
			resumeKey: campaign,
			prepare: async (itemIndex) => {
				const job = await prepareTemplateSend(this, itemIndex, lookup, { mustBeKnown: true });
				const first = firstItemFor.get(job.customer_number);
				if (skipRepeated && first !== undefined) {
					return skipSend(
						'Recipient',
						itemIndex,
						`${job.customer_number} is already the recipient of item ${first}; skipped so it gets the template once`,
					);
				}
				firstItemFor.set(job.customer_number, itemIndex);
				return job;
			},
			reportFields: (job) => ({
				to: job.customer_number,
				name: job.customer_name,
				template: job.template_name,
			}),
			// One template per recipient and campaign, whatever its parameters: a resumed campaign must not send it twice.
			identity: (job) => messageIdentity(job.customer_number, job.template_name),
			recipient: (job) => job.customer_number,
			send: async (job, _itemIndex, timeoutMs) => {
				const reply = await sobotRequest(this, {
					method: 'POST',
					path: '/message/',
					body: job,
					timeoutMs,
				});
				// When Sobot accepted it: what "accepted but not delivered after N hours" is measured from.
				const sentAt = new Date().toISOString();
				return sendResult(reply.body, {
					to: job.customer_number,
					name: job.customer_name,
					template: job.template_name,
					sentAt,
				});
			},
		},
		readCampaignSendingOptions(this),
	);

	return results.map((item, itemIndex) => ({
		...item,
		json: { ...report(item.json, campaign), recipient: recipientAsGiven(this, itemIndex) },
	}));
}

/**
 * The Recipient as the item gave it, before normalisation: on every line, so a line whose number was refused
 * (and so has no `to`) still says whom it was for, e.g. in a delivery-tracking table.
 */
function recipientAsGiven(ctx: IExecuteFunctions, itemIndex: number): string | null {
	try {
		const value = ctx.getNodeParameter('recipient', itemIndex, '') as unknown;
		return value === undefined || value === null ? null : String(value);
	} catch {
		// A broken expression: the line's error already says so.
		return null;
	}
}

/**
 * One recipient's line of the campaign report: `status` says sent, already sent (by an earlier run of the same
 * campaign), failed, uncertain (in flight when an earlier run ended), skipped or not sent; `error` why.
 */
function report(json: IDataObject, campaign: string): IDataObject {
	if (json.alreadySent === true) {
		// The key is the campaign's ID, already on the line as `campaign`.
		const line: IDataObject = { ...json, status: 'already sent', campaign };
		delete line.resumeKey;
		return line;
	}
	if (json.skipped === true) {
		const line: IDataObject = { status: 'skipped', ...json, campaign };
		delete line.skipped;
		return line;
	}
	if (json.error === undefined) {
		const { status, ...rest } = json;
		return { status: 'sent', gatewayStatus: status, ...rest, campaign };
	}
	const status = json.uncertain ? 'uncertain' : json.notSent ? 'not sent' : 'failed';
	return { status, ...json, campaign };
}
