/**
 * The sending run shared by every send operation, in four stages (stages/):
 * 1. prepareItems: read and validate every item before the first request; opt-outs and skips get their line;
 * 2. skipAlreadySent: what the per-run ledger or the durable record under a resume key knows as sent is not resent;
 * 3. sendPaced: the paced loop with guardrails (window, limits), retries, the circuit breaker and account stops;
 *    one message that nothing paces takes sendSingle instead (stages/sendSingle.ts), through the same sendMessage;
 * 4. reportItems: one output item per input item (Continue On Fail), held items for the Wait node.
 * An operation fills in a SendPlan (plan.ts): how to read one item, send it once, and tell two items apart.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { SendingOptions } from './options';
import { readSendingOptions } from './options';
import type { SendPlan } from './plan';
import { skipAlreadySent } from './stages/alreadySent';
import { prepareItems } from './stages/prepare';
import { reportItems } from './stages/report';
import { openRun } from './stages/run';
import { sendPaced } from './stages/sendLoop';
import { isSingleUnpaced, sendSingle } from './stages/sendSingle';

export type { SendPlan, SkippedSend } from './plan';
export { skipSend } from './plan';

export async function runSends<Prepared>(
	ctx: IExecuteFunctions,
	plan: SendPlan<Prepared>,
	options: SendingOptions = readSendingOptions(ctx),
): Promise<INodeExecutionData[]> {
	const run = openRun(ctx, plan, options);
	await prepareItems(run);
	const memory = await skipAlreadySent(run);
	const end = isSingleUnpaced(run) ? await sendSingle(run, memory) : await sendPaced(run, memory);
	return reportItems(run, memory, end);
}
