import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { SendPlan } from '../../../../shared/sending/runSends';
import { runSends } from '../../../../shared/sending/runSends';
import { messageIdentity } from '../../../../shared/sending/identity';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { sobotRequest } from '../../../transport';
import { readRecipient, recipientProperties } from '../common/recipient';
import { sendResult } from '../common/sendResult';
import { TemplateLookup } from '../common/template/choice';
import type { TemplateSend } from '../common/template/message';
import { closedWindowProperties, isClosedWindow, readFallback } from './closedWindow';
import { buildMessage, messageTypeProperties } from './types';

const properties: INodeProperties[] = [
	...recipientProperties(),
	...messageTypeProperties,
	...closedWindowProperties,
	sendingOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['send'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runSends(this, sendPlan(this));
}

export interface FreeFormSend {
	message: IDataObject;
	/** The template to send instead when the customer's 24-hour window is closed (closedWindow.ts). */
	fallback?: TemplateSend;
}

/** `POST /message/` with the recipient and the type's fields: also what Send and Wait for Reply sends. */
export function sendPlan(ctx: IExecuteFunctions): SendPlan<FreeFormSend> {
	const lookup = new TemplateLookup(ctx);
	// Items whose window Sobot said is closed: a retry of the template (after a 429, say) does not ask again.
	const windowClosed = new Set<number>();
	return {
		prepare: async (itemIndex) => ({
			message: { ...readRecipient(ctx, itemIndex), ...buildMessage(ctx, itemIndex) },
			fallback: await readFallback(ctx, itemIndex, lookup),
		}),
		reportFields: ({ message }) => ({ to: message.customer_number, type: message.type }),
		// The message alone: adding a fallback later does not make what was already sent look new.
		identity: ({ message }) => messageIdentity(String(message.customer_number), message),
		recipient: ({ message }) => String(message.customer_number),
		send: async ({ message, fallback }, itemIndex, timeoutMs) => {
			const report = { to: message.customer_number, type: message.type };
			if (!windowClosed.has(itemIndex)) {
				const outcome = await sobotRequest(ctx, {
					method: 'POST',
					path: '/message/',
					body: message,
					timeoutMs,
				}).then(
					(reply) => ({ reply }),
					(error: unknown) => ({ error }),
				);
				if ('reply' in outcome)
					return sendResult(outcome.reply.body, { ...report, sent: message.type });
				// As it came: runSends reads a GatewayError's retry safety and account signal.
				if (!fallback || !isClosedWindow(outcome.error)) throw outcome.error;
				windowClosed.add(itemIndex);
			}
			const reply = await sobotRequest(ctx, {
				method: 'POST',
				path: '/message/',
				body: fallback as TemplateSend,
				timeoutMs,
			});
			return sendResult(reply.body, {
				...report,
				sent: 'template',
				template: fallback?.template_name,
				language: fallback?.template_lang,
				windowClosed: true,
			});
		},
	};
}
