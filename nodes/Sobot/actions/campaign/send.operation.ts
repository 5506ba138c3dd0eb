import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidField } from '../../../shared/items';
import { runSends } from '../../../shared/sending/runSends';
import { sobotRequest } from '../../transport';
import { recipientProperties } from '../common/recipient';
import { sendResult } from '../common/sendResult';
import { TemplateLookup, readTemplate, templateChoiceProperties } from '../common/templateChoice';
import type { TemplateSend } from '../common/templateMessage';
import { prepareTemplateSend } from '../common/templateMessage';
import { templateParameterProperties } from '../common/templateParameters';
import { campaignSendingOptionsProperty, readCampaignSendingOptions } from './pacing';

const properties: INodeProperties[] = [
	{
		displayName:
			'Sends one approved template to every input item, paced, and outputs one item per recipient saying whether it was sent and why not',
		name: 'campaignNotice',
		type: 'notice',
		default: '',
	},
	...recipientProperties({ numberDefault: '={{ $json.mobile }}', nameDefault: '={{ $json.name }}' }),
	...templateChoiceProperties,
	...templateParameterProperties,
	{
		displayName: 'Skip Repeated Recipients',
		name: 'skipRepeatedRecipients',
		type: 'boolean',
		default: true,
		description: 'Whether a number that appears in several items gets the template once only (the later items are skipped)',
	},
	campaignSendingOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['campaign'], operation: ['send'] } }, properties);

type Job = TemplateSend;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const lookup = new TemplateLookup(this);
	const items = this.getInputData();
	if (items.length > 0 && !this.continueOnFail()) {
		// A wrong template is the campaign's problem, not one recipient's: fail before anything is sent.
		await readTemplate(this, 0, lookup, { mustBeKnown: true });
	}

	const skipRepeated = this.getNodeParameter('skipRepeatedRecipients', 0, true) as boolean;
	const firstItemFor = new Map<string, number>();
	const repeated = new Set<number>();

	const results = await runSends<Job>(
		this,
		{
			alwaysReportFailures: true,
			prepare: async (itemIndex) => {
				const job = await prepareTemplateSend(this, itemIndex, lookup, { mustBeKnown: true });
				const first = firstItemFor.get(job.customer_number);
				if (skipRepeated && first !== undefined) {
					repeated.add(itemIndex);
					throw invalidField(this, itemIndex, 'Recipient', `${job.customer_number} is already the recipient of item ${first}; skipped so it gets the template once`);
				}
				firstItemFor.set(job.customer_number, itemIndex);
				return job;
			},
			describe: (job) => ({ to: job.customer_number, name: job.customer_name, template: job.template_name }),
			send: async (job, _itemIndex, timeoutMs) => {
				const reply = await sobotRequest(this, { method: 'POST', path: '/message/', body: job, timeoutMs });
				return sendResult(reply.body, { to: job.customer_number, name: job.customer_name, template: job.template_name });
			},
		},
		readCampaignSendingOptions(this),
	);

	return results.map((item, itemIndex) => ({ ...item, json: report(item.json, repeated.has(itemIndex)) }));
}

/** One recipient's line of the campaign report: `status` says sent, failed, skipped or not sent, `error` why. */
function report(json: IDataObject, isRepeat: boolean): IDataObject {
	if (json.error === undefined) {
		const { status, ...rest } = json;
		return { status: 'sent', gatewayStatus: status, ...rest };
	}
	const status = isRepeat ? 'skipped' : json.notSent ? 'not sent' : 'failed';
	return { status, ...json };
}
