/**
 * Stage 1 of a sending run: read and validate every item before the first request, so a bad item without Continue
 * On Fail stops the node with nothing sent. Opted-out recipients (Sending Options › Do Not Send To) and the
 * operation's own skips get their output line here and are never sent.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from '../../execution/items';
import { DO_NOT_SEND_LABEL } from '../doNotSend';
import type { SkippedSend } from '../plan';
import { isSkipped, skipSend } from '../plan';
import type { SendRun } from './run';
import { describeQuietly } from './run';

function countryCodeOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return String(ctx.getNodeParameter('defaultCountryCode', itemIndex, '62') || '62');
}

function skippedItem(skip: SkippedSend, itemIndex: number): INodeExecutionData {
	// `error` keeps the reason where every other line that was not sent has it.
	return {
		json: { error: skip.reason, skipped: true, ...skip.fields, attempts: 0 },
		pairedItem: { item: itemIndex },
	};
}

export async function prepareItems<Prepared>(run: SendRun<Prepared>): Promise<void> {
	const { ctx, plan, guard, doNotSend, outcomes } = run;
	for (let itemIndex = 0; itemIndex < run.count; itemIndex++) {
		let ready: Prepared | SkippedSend;
		try {
			ready = await plan.prepare(itemIndex);
			if (!isSkipped(ready) && guard.active)
				guard.prepareItem(itemIndex, plan.reportFields?.(ready) ?? {});
		} catch (error) {
			const nodeError = asNodeError(ctx, error, itemIndex);
			if (!run.continueOnFail) throw nodeError;
			outcomes[itemIndex] = { error: nodeError, extra: { attempts: 0 } };
			continue;
		}
		if (isSkipped(ready)) {
			outcomes[itemIndex] = { item: skippedItem(ready, itemIndex) };
			continue;
		}
		// Outside the try: a list entry that is not a number stops the run, whatever Continue On Fail says.
		const recipient = plan.recipient(ready);
		if (doNotSend?.isListed(itemIndex, recipient, countryCodeOf(ctx, itemIndex))) {
			const skip = skipSend(DO_NOT_SEND_LABEL, itemIndex, `${recipient} is on the list: not sent`, {
				status: 'opted out',
				optedOut: true,
				...describeQuietly(plan, ready),
			});
			outcomes[itemIndex] = { item: skippedItem(skip, itemIndex) };
			continue;
		}
		run.prepared[itemIndex] = ready;
	}
}
