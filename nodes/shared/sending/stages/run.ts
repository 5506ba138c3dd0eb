/**
 * What the stages of one sending run share (runSends.ts): the item count, each item's prepared parameters and
 * outcome as the stages fill them in, and the guardrails opened once for the run.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DoNotSend } from '../doNotSend';
import { SendGuard } from '../guardrails/guard';
import type { SendingOptions } from '../options';
import type { SendPlan } from '../plan';

/** How an item ended: its output item, or an error that becomes one (Continue On Fail) or stops the node. */
export type Outcome =
	| { item: INodeExecutionData }
	| { error: NodeApiError | NodeOperationError; extra: IDataObject };

export interface SendRun<Prepared> {
	ctx: IExecuteFunctions;
	plan: SendPlan<Prepared>;
	options: SendingOptions;
	count: number;
	continueOnFail: boolean;
	/** Filled by the stages; an item without one is still to be sent. */
	outcomes: Outcome[];
	prepared: Array<Prepared | undefined>;
	guard: SendGuard;
	doNotSend: DoNotSend | undefined;
	/** The fields that say whom item `i` concerns, for its error and "already sent" lines. */
	describe: (itemIndex: number) => IDataObject;
}

/** The fields that say whom a line concerns; they only decorate it, so a failure here is no failure. */
export function describeQuietly<Prepared>(plan: SendPlan<Prepared>, ready: Prepared): IDataObject {
	try {
		return plan.reportFields?.(ready) ?? {};
	} catch {
		return {};
	}
}

export function openRun<Prepared>(
	ctx: IExecuteFunctions,
	plan: SendPlan<Prepared>,
	options: SendingOptions,
): SendRun<Prepared> {
	const count = ctx.getInputData().length;
	const { window, limits } = options.guardrails;
	const prepared: Array<Prepared | undefined> = new Array(count);
	return {
		ctx,
		plan,
		options,
		count,
		continueOnFail: plan.alwaysReportFailures === true || ctx.continueOnFail(),
		outcomes: new Array(count),
		prepared,
		guard: new SendGuard(ctx, 'sendingOptions', window, limits, count),
		doNotSend: DoNotSend.open(ctx, options),
		describe: (itemIndex) => describeQuietly(plan, prepared[itemIndex] as Prepared),
	};
}

/** The outcome of an item the run did not send (no attempt made), with the account signal that stopped it, if any. */
export function notSentOutcome<Prepared>(
	run: SendRun<Prepared>,
	itemIndex: number,
	reason: string,
	accountSignal: string | undefined,
): Outcome {
	return {
		error: new NodeOperationError(run.ctx.getNode(), reason, { itemIndex }),
		extra: {
			...run.describe(itemIndex),
			attempts: 0,
			notSent: true,
			...(accountSignal ? { accountSignal } : {}),
		},
	};
}
