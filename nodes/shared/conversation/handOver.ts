/**
 * The trigger's side of "Send and Wait for Reply": an incoming message from a customer some execution of this
 * workflow waits for is posted to that execution's resume URL instead of starting a new execution. A message that
 * cannot be handed over (no live wait, the execution already resumed or gone, n8n unreachable) stays an ordinary
 * event, so nothing the customer writes is lost.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { GatewayEvent } from '../webhook/event';
import { forgetWait, readWaits, waitKey } from './waits';

/** n8n answers a resume URL whose execution finished, runs already or does not exist with 409 or 404. */
const GONE = new Set([404, 409, 410]);

export interface HandOverResult {
	/** The events that still start an execution. */
	remaining: GatewayEvent[];
	handedOver: number;
}

/** The customer's number as the waiting node keyed it: digits, without a JID's `@...` part. */
export function customerDigits(from: string | null): string | null {
	if (from === null) return null;
	const digits = from.replace(/@.*$/, '').replace(/\D/g, '');
	return digits === '' ? null : digits;
}

/** The resume URL must point at this n8n: the trigger never posts a customer's message anywhere else. */
function isOwnUrl(ctx: IWebhookFunctions, url: string): boolean {
	try {
		return new URL(url).origin === new URL(ctx.getNodeWebhookUrl('default') ?? '').origin;
	} catch {
		return false;
	}
}

export async function handOverReplies(
	ctx: IWebhookFunctions,
	events: GatewayEvent[],
	itemJson: (event: GatewayEvent) => IDataObject,
): Promise<HandOverResult> {
	// The editor's test events never resume a production execution.
	if (ctx.getMode() === 'manual') return { remaining: events, handedOver: 0 };
	const staticData = ctx.getWorkflowStaticData('global');
	const waits = readWaits(staticData);
	if (waits.size === 0) return { remaining: events, handedOver: 0 };

	const remaining: GatewayEvent[] = [];
	let handedOver = 0;
	for (const event of events) {
		const digits = event.event === 'message' ? customerDigits(event.from) : null;
		const key = digits === null ? undefined : waitKey(event.service, digits);
		const wait = key === undefined ? undefined : waits.get(key);
		if (key === undefined || wait === undefined) {
			remaining.push(event);
			continue;
		}
		if (!isOwnUrl(ctx, wait.url)) {
			forgetWait(staticData, key, wait.executionId);
			waits.delete(key);
			remaining.push(event);
			continue;
		}
		let status = 0;
		try {
			const response = (await ctx.helpers.httpRequest({
				method: 'POST',
				url: wait.url,
				body: { reply: itemJson(event), askedMessageId: wait.askedMessageId },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 15_000,
			})) as { statusCode?: number };
			status = Number(response.statusCode ?? 0);
		} catch {
			// n8n did not answer: the wait may still be live, so keep it; this message starts an execution.
		}
		if (status >= 200 && status < 300) {
			handedOver++;
		} else {
			remaining.push(event);
			if (!GONE.has(status)) continue;
		}
		// One answer per wait: the customer's next message is an ordinary event again.
		forgetWait(staticData, key, wait.executionId);
		waits.delete(key);
	}
	return { remaining, handedOver };
}
