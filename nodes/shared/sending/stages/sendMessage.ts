/**
 * One message, sent once with its retries, and what that leaves behind: the ledger entry, the durable record's
 * state and the item's outcome. The paced loop (sendLoop.ts) and the one-message path (sendSingle.ts) both send
 * through here, so the rules that keep a message from going twice are written once.
 */
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../execution/items';
import { GatewayError } from '../../http/transport';
import type { AccountSignal } from '../accountSignal';
import { accountSignalOf, notSentAfterSignal } from '../accountSignal';
import { withRetries } from '../retry';
import type { Memory } from './alreadySent';
import type { SendRun } from './run';
import { notSentOutcome } from './run';

/** An attempt not made: the run had stopped on an account-level refusal before this message's turn. */
class HaltedBeforeSend extends Error {}

export interface MessageTurn {
	/** Before a retry: the pace's wait (the loop), nothing (one message). */
	beforeRetry?: () => Promise<void>;
	/** Retry-After from the gateway: nothing goes out before `until`. */
	onRetryAfter?: (until: number) => void;
	/** The execution was stopped, or the run ended: no further attempt. */
	halted: () => boolean;
	/** An account-level refusal met by another message of the run while this one waited. */
	accountStop?: () => AccountSignal | undefined;
}

export type MessageResult =
	| { kind: 'sent' }
	/** Not attempted: another message of the run had met an account-level refusal (reported not sent). */
	| { kind: 'halted' }
	| {
			kind: 'failed';
			error: NodeApiError | NodeOperationError;
			/** The gateway refused: counts towards the circuit breaker (a bad item does not). */
			gatewayFailure: boolean;
			/** The reply means the sender cannot send at all: nothing more may go out. */
			signal: AccountSignal | undefined;
	  };

export async function sendMessage<Prepared>(
	run: SendRun<Prepared>,
	{ ledger, record, fingerprint }: Memory,
	itemIndex: number,
	turn: MessageTurn,
): Promise<MessageResult> {
	const { ctx, plan, options, outcomes, describe } = run;
	const job = run.prepared[itemIndex] as Prepared;
	await record?.beforeSend(itemIndex);
	const result = await withRetries(
		options,
		async () => {
			if (turn.accountStop?.()) throw new HaltedBeforeSend();
			return await plan.send(job, itemIndex, options.timeoutMs);
		},
		turn.beforeRetry,
		{ onRetryAfter: turn.onRetryAfter, stopped: turn.halted },
	);
	if (result.ok) {
		const json = { ...result.value, attempts: result.attempts };
		ledger.record(itemIndex, fingerprint(itemIndex), 'sent', json);
		outcomes[itemIndex] = { item: { json, pairedItem: { item: itemIndex } } };
		await record?.accepted(itemIndex);
		return { kind: 'sent' };
	}
	const stoppedBy = turn.accountStop?.();
	if (result.error instanceof HaltedBeforeSend && stoppedBy) {
		await record?.notSent(itemIndex);
		outcomes[itemIndex] = notSentOutcome(
			run,
			itemIndex,
			notSentAfterSignal(stoppedBy),
			stoppedBy.kind,
		);
		return { kind: 'halted' };
	}
	const error = asNodeError(ctx, result.error, itemIndex);
	const signal = accountSignalOf(result.error);
	if (result.error instanceof GatewayError && result.error.details.retry === 'ambiguous') {
		ledger.record(itemIndex, fingerprint(itemIndex), 'uncertain', { error: error.message });
	} else {
		await record?.notSent(itemIndex);
	}
	outcomes[itemIndex] = {
		error,
		extra: {
			...describe(itemIndex),
			attempts: result.attempts,
			...(signal ? { notSent: true, accountSignal: signal.kind } : {}),
		},
	};
	return { kind: 'failed', error, gatewayFailure: result.error instanceof GatewayError, signal };
}
