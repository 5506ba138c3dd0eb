/**
 * Message → Send and Wait for Reply: a text, buttons or a list to one customer, then the execution waits until
 * that customer answers (through the Sobot Trigger of the same workflow) or the time limit passes.
 * The request body is Message → Send's (`POST /message/`).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { NodeOutputs } from '../../../shared/router';
import { SEND_AND_WAIT, sendAndWait, waitProperties } from '../../../shared/conversation/waitForReply';
import { runSends } from '../../../shared/sending/runSends';
import { messageIdentity } from '../../../shared/sending/identity';
import { sendingOptionsProperty } from '../../../shared/sending/options';
import { sobotRequest } from '../../transport';
import { readRecipient, recipientProperties } from '../common/recipient';
import { sendResult } from '../common/sendResult';
import { buildMessage, replyMessageTypeProperties } from './types';

const properties: INodeProperties[] = [
	...recipientProperties({ numberDefault: '={{ $json.from }}', nameDefault: '={{ $json.name }}' }),
	...replyMessageTypeProperties,
	...waitProperties('Sobot', 'Sobot Trigger'),
	sendingOptionsProperty,
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: [SEND_AND_WAIT] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const outputs = await sendAndWait(this, {
		service: 'sobot',
		triggerName: 'Sobot Trigger',
		customer: (itemIndex) => readRecipient(this, itemIndex).customer_number,
		send: async () =>
			await runSends<IDataObject>(this, {
				prepare: (itemIndex) => ({ ...readRecipient(this, itemIndex), ...buildMessage(this, itemIndex) }),
				describe: (body) => ({ to: body.customer_number, type: body.type }),
				identity: (body) => messageIdentity(String(body.customer_number), body),
				send: async (body, _itemIndex, timeoutMs) => {
					const reply = await sobotRequest(this, { method: 'POST', path: '/message/', body, timeoutMs });
					return sendResult(reply.body, { to: body.customer_number, type: body.type });
				},
			}),
	});
	return { outputs };
}
