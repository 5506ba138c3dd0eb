import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	defaultCountryCodeProperty,
	messageTextProperty,
	readNumber,
	readString,
} from '../../../../shared/parameters/fields';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { paceNoticeProperty } from '../../../../shared/sending/guardrails/properties';
import { runSends } from '../../../../shared/sending/runSends';
import { messageIdentity } from '../../../../shared/sending/identity';
import { waChatProRequest } from '../../../transport';
import { recipientProperty } from '../common';
import { sendResult } from './result';

const properties: INodeProperties[] = [
	recipientProperty(
		'A phone number in any common form (WAChatPro gets digits with the country code)',
	),
	messageTextProperty,
	defaultCountryCodeProperty,
	sendingOptionsProperty,
	paceNoticeProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendText'] } },
	properties,
);

interface SendTextJob {
	phone: string;
	text: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runSends<SendTextJob>(this, {
		prepare: (itemIndex) => ({
			phone: readNumber(this, itemIndex, 'recipient', 'Recipient', 'digits'),
			text: readString(this, itemIndex, 'text', 'Text', { trim: false }),
		}),
		reportFields: ({ phone }) => ({ to: phone }),
		identity: ({ phone, text }) => messageIdentity(phone, text),
		recipient: ({ phone }) => phone,
		send: async (job, _itemIndex, timeoutMs) => {
			const { body } = await waChatProRequest(
				this,
				'/wa/send',
				{ phone: job.phone, body: job.text },
				timeoutMs,
			);
			return sendResult(body, { to: job.phone });
		},
	});
}
