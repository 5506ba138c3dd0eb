/**
 * Message → Send and Wait for Reply: a text, buttons or a list to one customer, then the execution waits until
 * that customer answers (through the Sobot Trigger of the same workflow) or the time limit passes.
 * The request body is Message → Send's (`POST /message/`).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { NodeOutputs } from '../../../../shared/execution/router';
import {
	SEND_AND_WAIT,
	sendAndWait,
	waitProperties,
} from '../../../../shared/conversation/waitForReply';
import { replyMediaProperties } from '../../../../shared/conversation/replyMedia';
import { runSends } from '../../../../shared/sending/runSends';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { SOBOT_MEDIA_HOSTS } from '../../../transport';
import { readRecipient, recipientProperties } from '../common/recipient';
import { sendPlan } from './send.operation';
import { replyMessageTypeProperties } from './types';

const properties: INodeProperties[] = [
	...recipientProperties({
		numberDefault: '={{ $json.from }}',
		nameDefault: "={{ $json.name || 'Customer' }}",
	}),
	...replyMessageTypeProperties,
	...waitProperties('Sobot', 'Sobot Trigger'),
	...replyMediaProperties(SOBOT_MEDIA_HOSTS, 'Sobot'),
	sendingOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: [SEND_AND_WAIT] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const outputs = await sendAndWait(this, {
		service: 'sobot',
		trigger: { name: 'Sobot Trigger', type: 'sobotTrigger' },
		customer: (itemIndex) => readRecipient(this, itemIndex).customer_number,
		send: async () => await runSends(this, sendPlan(this)),
	});
	return { outputs };
}
