/**
 * Message → Send and Wait for Reply: a text to one customer, then the execution waits until that customer answers
 * (through the Profilora Trigger of the same workflow) or the time limit passes. The request is Send Text's.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	SEND_AND_WAIT,
	sendAndWait,
	waitProperties,
} from '../../../../shared/conversation/waitForReply';
import { replyMediaProperties } from '../../../../shared/conversation/replyMedia';
import { invalidField } from '../../../../shared/execution/items';
import { readNumber } from '../../../../shared/parameters/fields';
import type { NodeOutputs } from '../../../../shared/execution/router';
import { runSends } from '../../../../shared/sending/runSends';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { PROFILORA_MEDIA_HOSTS } from '../../../transport';
import type { SendTextJob } from './sendText.operation';
import { messageProperties, sendTextPlan } from './sendText.operation';

const properties: INodeProperties[] = [
	...messageProperties,
	...waitProperties('Profilora', 'Profilora Trigger'),
	...replyMediaProperties(PROFILORA_MEDIA_HOSTS, 'Profilora'),
	sendingOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: [SEND_AND_WAIT] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const outputs = await sendAndWait(this, {
		service: 'profilora',
		trigger: { name: 'Profilora Trigger', type: 'profiloraTrigger' },
		customer: (itemIndex) => {
			const jid = readNumber(this, itemIndex, 'recipient', 'Recipient', 'jid');
			// A group's answer could come from any member: there is no one customer to wait for.
			if (jid.endsWith('@g.us'))
				throw invalidField(
					this,
					itemIndex,
					'Recipient',
					'must be a person, not a group: a reply from a group cannot be told apart',
				);
			return jid.replace(/@.*$/, '');
		},
		send: async () => await runSends<SendTextJob>(this, sendTextPlan(this)),
	});
	return { outputs };
}
