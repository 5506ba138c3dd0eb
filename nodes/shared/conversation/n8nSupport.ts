/**
 * Which n8n can resume Send and Wait for Reply with the customer's answer.
 *
 * When a waiting node is resumed through its webhook, n8n marks it disabled for the resumed run and passes on what
 * `webhook()` returned. n8n 2.39 and newer pass on every output (n8n-core `WorkflowExecute.handleDisabledNode`,
 * `forwardAllOutputs`); older n8n, the whole 1.x line included, passes on the first output only, so the answer on the
 * Reply output would be dropped and the execution would end as if it had succeeded. The node therefore refuses to
 * send and wait there, before anything is sent.
 *
 * Nodes are not told n8n's version. The sign used here arrived in the same release (n8n-workflow 2.39.0): the secure
 * egress filter's `validateRedirectSync`.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

export const SEND_AND_WAIT_MIN_N8N = '2.39';

interface EgressFilterSign {
	validateRedirectSync?: unknown;
}

export function canResumeWithReply(ctx: IExecuteFunctions): boolean {
	const helpers = ctx.helpers as Partial<IExecuteFunctions['helpers']>;
	if (typeof helpers.getSecureEgressFilter !== 'function') return false;
	const filter = helpers.getSecureEgressFilter() as unknown as EgressFilterSign | undefined;
	return typeof filter?.validateRedirectSync === 'function';
}

export function sendAndWaitUnsupportedMessage(): { message: string; description: string } {
	return {
		message: `Send and Wait for Reply needs n8n ${SEND_AND_WAIT_MIN_N8N} or newer`,
		description: `This n8n passes only a resumed node's first output on, so the customer's answer (the Reply output) would be lost. Update n8n to ${SEND_AND_WAIT_MIN_N8N} or newer, or send with Send Message and handle the answer in a workflow started by the trigger. Nothing was sent.`,
	};
}
