import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { runSends } from '../../../../shared/sending/runSends';
import { messageIdentity } from '../../../../shared/sending/identity';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { sobotRequest } from '../../../transport';
import { recipientProperties } from '../common/recipient';
import { sendResult } from '../common/sendResult';
import { TemplateLookup, templateChoiceProperties } from '../common/template/choice';
import type { TemplateSend } from '../common/template/message';
import { prepareTemplateSend } from '../common/template/message';
import { templateParameterProperties } from '../common/template/parameters';

const properties: INodeProperties[] = [
	...recipientProperties(),
	...templateChoiceProperties,
	...templateParameterProperties,
	sendingOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendTemplate'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const lookup = new TemplateLookup(this);
	return await runSends<TemplateSend>(this, {
		prepare: async (itemIndex) => await prepareTemplateSend(this, itemIndex, lookup),
		reportFields: (body) => ({ to: body.customer_number, template: body.template_name }),
		identity: (body) => messageIdentity(body.customer_number, body),
		recipient: (body) => body.customer_number,
		send: async (body, _itemIndex, timeoutMs) => {
			const reply = await sobotRequest(this, {
				method: 'POST',
				path: '/message/',
				body,
				timeoutMs,
			});
			return sendResult(reply.body, {
				to: body.customer_number,
				template: body.template_name,
				language: body.template_lang,
			});
		},
	});
}
