import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { SendPlan } from '../../../shared/sending/runSends';
import { runSends } from '../../../shared/sending/runSends';
import { messageIdentity } from '../../../shared/sending/identity';
import { sendingOptionsProperty } from '../../../shared/sending/options';
import { sobotRequest } from '../../transport';
import { readRecipient, recipientProperties } from '../common/recipient';
import { sendResult } from '../common/sendResult';
import { buildMessage, messageTypeProperties } from './types';

const properties: INodeProperties[] = [
	...recipientProperties(),
	...messageTypeProperties,
	sendingOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runSends<IDataObject>(this, sendPlan(this));
}

/** `POST /message/` with the recipient and the type's fields: also what Send and Wait for Reply sends. */
export function sendPlan(ctx: IExecuteFunctions): SendPlan<IDataObject> {
	return {
		prepare: (itemIndex) => ({ ...readRecipient(ctx, itemIndex), ...buildMessage(ctx, itemIndex) }),
		reportFields: (body) => ({ to: body.customer_number, type: body.type }),
		identity: (body) => messageIdentity(String(body.customer_number), body),
		recipient: (body) => String(body.customer_number),
		send: async (body, _itemIndex, timeoutMs) => {
			const reply = await sobotRequest(ctx, { method: 'POST', path: '/message/', body, timeoutMs });
			return sendResult(reply.body, { to: body.customer_number, type: body.type });
		},
	};
}
