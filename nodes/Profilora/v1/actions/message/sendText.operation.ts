import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	defaultCountryCodeProperty,
	messageTextProperty,
	readNumber,
	readString,
} from '../../../../shared/parameters/fields';
import type { SendPlan } from '../../../../shared/sending/runSends';
import { runSends } from '../../../../shared/sending/runSends';
import { messageIdentity } from '../../../../shared/sending/identity';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { paceNoticeProperty } from '../../../../shared/sending/guardrails/properties';
import { profiloraRequest } from '../../../transport';

/** Who sends what to whom: also the fields of Send and Wait for Reply. */
export const messageProperties: INodeProperties[] = [
	{
		displayName: 'Sender',
		name: 'sender',
		type: 'string',
		required: true,
		default: '',
		placeholder: '6285xxxxxxxx@s.whatsapp.net',
		description:
			'The connected WhatsApp number ("agent") that sends the message: a JID or a phone number in any common form',
	},
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+62 812-3456-7890',
		description: 'Phone number in any common form, a JID, or a group ID ending in @g.us',
	},
	messageTextProperty,
	defaultCountryCodeProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendText'] } },
	[...messageProperties, sendingOptionsProperty, paceNoticeProperty],
);

export interface SendTextJob {
	sender: string;
	to: string;
	message: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runSends<SendTextJob>(this, sendTextPlan(this));
}

/** `POST /whatsapp/send-message` with `{sender, to, message}`. */
export function sendTextPlan(ctx: IExecuteFunctions): SendPlan<SendTextJob> {
	return {
		prepare: (itemIndex) => ({
			sender: readNumber(ctx, itemIndex, 'sender', 'Sender', 'jid'),
			to: readNumber(ctx, itemIndex, 'recipient', 'Recipient', 'jid'),
			message: readString(ctx, itemIndex, 'text', 'Text', { trim: false }),
		}),
		reportFields: ({ sender, to }) => ({ sender, to }),
		identity: ({ sender, to, message }) => messageIdentity(to, sender, message),
		recipient: ({ to }) => to,
		send: async (job, _itemIndex, timeoutMs) => {
			const { body } = await profiloraRequest(ctx, {
				method: 'POST',
				path: '/whatsapp/send-message',
				body: { sender: job.sender, to: job.to, message: job.message },
				timeoutMs,
			});
			const reply = (body ?? {}) as IDataObject;
			return {
				eventId: reply.eventId,
				// The vendor's docs spell it "messae" in one place: read both.
				message: reply.message ?? reply.messae,
				status: 'accepted',
				sender: job.sender,
				to: job.to,
			};
		},
	};
}
