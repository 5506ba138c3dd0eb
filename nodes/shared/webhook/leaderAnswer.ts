/**
 * Held requests (bursts and status batches) answer only after the request that carries their events (the leader)
 * was answered by n8n: n8n 2.41 sends that answer only once it created the execution (webhook-helpers.js:
 * `responseCallback` after `WorkflowRunner.run` for responseMode onReceived, an error answer when the run could not
 * start). This is how a held request learns it.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

interface ResponseEvents {
	statusCode: number;
	writableFinished?: boolean;
	destroyed?: boolean;
	once(event: 'finish' | 'close', listener: () => void): void;
}

/**
 * Tells the followers once the leader's answer went out: a success answer means n8n created the execution; an error
 * answer (the run could not start) or a connection closed before the answer means the followers must not say 200.
 */
export function settleWhenAnswered(ctx: IWebhookFunctions, settle: (ok: boolean) => void): void {
	const res = ctx.getResponseObject() as unknown as ResponseEvents;
	const success = () => res.statusCode >= 200 && res.statusCode < 300;
	// The gateway gave up on the leader's request while it was held: no answer will tell, so the followers say no.
	if (res.destroyed === true) return settle(false);
	res.once('finish', () => settle(success()));
	res.once('close', () => settle(res.writableFinished === true && success()));
}
