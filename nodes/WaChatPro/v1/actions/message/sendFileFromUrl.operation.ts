import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	defaultCountryCodeProperty,
	readNumber,
	readString,
	readUrl,
} from '../../../../shared/parameters/fields';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { paceNoticeProperty } from '../../../../shared/sending/guardrails/properties';
import { runSends } from '../../../../shared/sending/runSends';
import { messageIdentity } from '../../../../shared/sending/identity';
import { waChatProRequest } from '../../../transport';
import { captionProperty, recipientProperty } from '../common';
import { sendResult } from './result';

const properties: INodeProperties[] = [
	recipientProperty(
		'A phone number in any common form (WAChatPro gets digits with the country code)',
	),
	{
		displayName: 'File URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/invoice.pdf',
		description: 'A public http or https address; WAChatPro downloads the file from it',
	},
	captionProperty,
	defaultCountryCodeProperty,
	sendingOptionsProperty,
	paceNoticeProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendFileFromUrl'] } },
	properties,
);

interface SendFileUrlJob {
	phone: string;
	url: string;
	caption: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runSends<SendFileUrlJob>(this, {
		prepare: (itemIndex) => ({
			phone: readNumber(this, itemIndex, 'recipient', 'Recipient', 'digits'),
			url: readUrl(this, itemIndex, 'url', 'File URL'),
			caption: readString(this, itemIndex, 'caption', 'Caption', { required: false, trim: false }),
		}),
		reportFields: ({ phone, url }) => ({ to: phone, url }),
		identity: ({ phone, url, caption }) => messageIdentity(phone, url, caption),
		recipient: ({ phone }) => phone,
		send: async (job, _itemIndex, timeoutMs) => {
			const body: IDataObject = { phone: job.phone, url: job.url };
			if (job.caption.trim() !== '') body.caption = job.caption;
			const { body: reply } = await waChatProRequest(this, '/wa/sendfileurl', body, timeoutMs);
			return sendResult(reply, { to: job.phone, url: job.url });
		},
	});
}
