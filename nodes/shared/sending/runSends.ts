/**
 * The campaign engine shared by every send operation: validate every item first, then send them paced,
 * with per-message retries, bounded concurrency, and a circuit breaker after consecutive failures.
 * Each input item yields exactly one output item (with Continue On Fail) carrying `attempts`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorItem, fieldProblem } from '../execution/items';
import { GatewayError } from '../http/transport';
import type { SendingOptions } from './options';
import { readSendingOptions } from './options';
import { SentLedger } from './ledger';
import { accountSignalOf, notSentAfterSignal } from './accountSignal';
import type { AccountSignal } from './accountSignal';
import { DO_NOT_SEND_LABEL, DoNotSend } from './doNotSend';
import { SendRecord } from './sendRecord';
import { Pacer, waitUntil } from './pacer';
import { SendGuard } from './guardrails/guard';
import { heldItem, holdHint, impliedResumeKey } from './guardrails/hold';
import { LIMITS_HINT, paceHint } from './guardrails/presets';
import { withRetries } from './retry';

/**
 * An item that is deliberately not sent (a campaign's repeated recipient): not a failure, so it never stops the
 * node, and its output line says why. Returned by `prepare` through `skipSend`.
 */
export interface SkippedSend {
	skipped: true;
	/** Why, naming the field and the item as a validation error would. */
	reason: string;
	/** Extra fields of the output line (an opted-out recipient's `status: "opted out"`). */
	fields?: IDataObject;
}

export function skipSend(
	field: string,
	itemIndex: number,
	problem: string,
	fields?: IDataObject,
): SkippedSend {
	return { skipped: true, reason: fieldProblem(field, itemIndex, problem), fields };
}

/** An attempt not made: the run had stopped on an account-level refusal before this message's turn. */
class HaltedBeforeSend extends Error {}

function isSkipped(prepared: unknown): prepared is SkippedSend {
	return (
		typeof prepared === 'object' && prepared !== null && (prepared as SkippedSend).skipped === true
	);
}

export interface SendPlan<Prepared> {
	/**
	 * Reads and validates one item's parameters without any request. Every item is prepared before the first
	 * message goes out, so a bad item without Continue On Fail stops the node before anything is sent.
	 */
	prepare: (itemIndex: number) => Promise<Prepared | SkippedSend> | Prepared | SkippedSend;
	/** One attempt at sending; throws GatewayError on failure. Returns the output item's JSON. */
	send: (prepared: Prepared, itemIndex: number, timeoutMs: number) => Promise<IDataObject>;
	/**
	 * What makes two items the same message: the recipient, and the content where it varies. A re-run (n8n's
	 * Retry On Fail, or a run under the same resume key) treats an item with the same identity as already sent.
	 * It is the key of the per-run ledger and of the durable record (`identity.ts` builds it).
	 */
	identity: (prepared: Prepared) => string;
	/**
	 * Whom the message goes to, as prepared (digits, a JID or a group id): looked up in Sending Options › Do Not
	 * Send To. Required, so that no send operation can forget the opt-out list.
	 */
	recipient: (prepared: Prepared) => string;
	/**
	 * Only for the output: the fields that say whom an item concerns (e.g. the recipient), added to its error and
	 * "already sent" lines. Never used to tell items apart; that is `identity`.
	 */
	reportFields?: (prepared: Prepared) => IDataObject;
	/** The key to record sends under when the operation has one of its own (a campaign's Campaign ID). */
	resumeKey?: string;
	/**
	 * Report every failure as an output item even when the node's Continue On Fail is off: a campaign must say
	 * what happened to each recipient, and stopping halfway would hide which messages already went out.
	 */
	alwaysReportFailures?: boolean;
}

type Outcome =
	| { item: INodeExecutionData }
	| { error: NodeApiError | NodeOperationError; extra: IDataObject };

/** The fields that say whom a line concerns; they only decorate it, so a failure here is no failure. */
function describeQuietly<Prepared>(plan: SendPlan<Prepared>, ready: Prepared): IDataObject {
	try {
		return plan.reportFields?.(ready) ?? {};
	} catch {
		return {};
	}
}

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

export async function runSends<Prepared>(
	ctx: IExecuteFunctions,
	plan: SendPlan<Prepared>,
	options: SendingOptions = readSendingOptions(ctx),
): Promise<INodeExecutionData[]> {
	const count = ctx.getInputData().length;
	const continueOnFail = plan.alwaysReportFailures === true || ctx.continueOnFail();
	const outcomes: Outcome[] = new Array(count);
	const prepared: Array<Prepared | undefined> = new Array(count);
	const { window, limits } = options.guardrails;
	const guard = new SendGuard(ctx, 'sendingOptions', window, limits, count);
	const doNotSend = DoNotSend.open(ctx, options);

	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		let ready: Prepared | SkippedSend;
		try {
			ready = await plan.prepare(itemIndex);
			if (!isSkipped(ready) && guard.active)
				guard.prepareItem(itemIndex, plan.reportFields?.(ready) ?? {});
		} catch (error) {
			const nodeError = asNodeError(ctx, error, itemIndex);
			if (!continueOnFail) throw nodeError;
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
		prepared[itemIndex] = ready;
	}

	const describe = (itemIndex: number): IDataObject =>
		describeQuietly(plan, prepared[itemIndex] as Prepared);

	// A re-run of this node in the same execution (n8n's Retry On Fail) must not resend what already went out.
	const ledger = SentLedger.open(ctx);
	const identities = new Map<number, string>();
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		if (outcomes[itemIndex] === undefined)
			identities.set(itemIndex, plan.identity(prepared[itemIndex] as Prepared));
	}
	const fingerprint = (itemIndex: number) => identities.get(itemIndex) ?? '';
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		if (outcomes[itemIndex] !== undefined) continue;
		const entry = ledger.lookup(itemIndex, fingerprint(itemIndex));
		if (entry?.state === 'sent') {
			outcomes[itemIndex] = {
				item: { json: { ...entry.json, alreadySent: true }, pairedItem: { item: itemIndex } },
			};
		} else if (entry?.state === 'uncertain' && !options.retryAmbiguous) {
			const error = new NodeOperationError(
				ctx.getNode(),
				`Not sent again: an earlier run of this node may already have delivered it (${String(entry.json.error)})`,
				{ itemIndex },
			);
			if (!continueOnFail) throw error;
			outcomes[itemIndex] = {
				error,
				extra: { ...describe(itemIndex), attempts: 0, notSent: true },
			};
		}
	}

	// Across executions and crashes: what an earlier run under the same resume key sent (sendRecord.ts).
	// A run that may hold records its sends even without a key, so what comes back through the loop is not resent.
	const resumeKey =
		plan.resumeKey || options.resumeKey || (guard.mayHold ? impliedResumeKey(ctx) : '');
	const record = resumeKey
		? await SendRecord.open(ctx, {
				key: resumeKey,
				identities,
				order: [...identities.keys()].filter((i) => outcomes[i] === undefined),
				options,
				startOver: options.resumeStartOver,
			})
		: undefined;
	for (const itemIndex of identities.keys()) {
		if (!record || outcomes[itemIndex] !== undefined) continue;
		const state = record.state(itemIndex);
		if (state === 'sent') {
			const json = {
				status: 'already sent',
				alreadySent: true,
				resumeKey,
				...describe(itemIndex),
				attempts: 0,
			};
			outcomes[itemIndex] = { item: { json, pairedItem: { item: itemIndex } } };
		} else if (state === 'uncertain' && !options.retryAmbiguous) {
			const error = new NodeOperationError(
				ctx.getNode(),
				`Not sent again: it was in flight when an earlier run under resume key "${resumeKey}" ended, so it may have been delivered`,
				{
					itemIndex,
					description:
						'Check with the customer or the gateway; turn on Sending Options › Retry When Delivery Is Uncertain to send it anyway.',
				},
			);
			if (!continueOnFail) throw error;
			outcomes[itemIndex] = {
				error,
				extra: { ...describe(itemIndex), attempts: 0, notSent: true, uncertain: true },
			};
		}
	}

	const cancelSignal = ctx.getExecutionCancelSignal?.();
	const stopped = () => cancelSignal?.aborted === true;
	// Set by a reply that means the sender cannot send at all (accountSignal.ts): nothing more goes out.
	let accountStop: AccountSignal | undefined;
	const halted = () => stopped() || accountStop !== undefined;
	const pacer = new Pacer(options, undefined, undefined, halted);
	const queue = prepared.map((p, i) => i).filter((i) => outcomes[i] === undefined);
	let nextInQueue = 0;
	let consecutiveFailures = 0;
	let stopReason: string | undefined;
	let fatal: NodeApiError | NodeOperationError | undefined;
	const held = new Map<number, string>();
	let resumeAt = Number.POSITIVE_INFINITY;
	const paceNote = paceHint(options.pace, count);
	if (paceNote) ctx.addExecutionHints?.({ message: paceNote, location: 'outputPane' });
	if (guard.limited) ctx.addExecutionHints?.({ message: LIMITS_HINT, location: 'outputPane' });

	const sendOne = async (itemIndex: number) => {
		const job = prepared[itemIndex] as Prepared;
		// The window and the sender's limits decide the first attempt's start; retries keep the run's pace.
		let admitted = false;
		if (guard.active) {
			const already = guard.heldAlready(itemIndex);
			const admission = already ?? (await guard.admit(itemIndex, pacer.reserve()));
			if ('holdUntil' in admission) {
				held.set(itemIndex, admission.reason);
				resumeAt = Math.min(resumeAt, admission.holdUntil);
				return;
			}
			await waitUntil(admission.at, { stopped: halted });
			admitted = true;
		}
		await record?.beforeSend(itemIndex);
		const result = await withRetries(
			options,
			async () => {
				// Another worker met an account-level refusal while this one waited for its slot or its retry.
				if (accountStop) throw new HaltedBeforeSend();
				return await plan.send(job, itemIndex, options.timeoutMs);
			},
			async () => {
				if (admitted) admitted = false;
				else await pacer.waitForSlot();
			},
			{ onRetryAfter: (until) => pacer.holdUntil(until), stopped: halted },
		);
		if (result.ok) {
			consecutiveFailures = 0;
			const json = { ...result.value, attempts: result.attempts };
			ledger.record(itemIndex, fingerprint(itemIndex), 'sent', json);
			outcomes[itemIndex] = { item: { json, pairedItem: { item: itemIndex } } };
			await record?.accepted(itemIndex);
			return;
		}
		if (result.error instanceof HaltedBeforeSend && accountStop) {
			await record?.notSent(itemIndex);
			const error = new NodeOperationError(ctx.getNode(), notSentAfterSignal(accountStop), {
				itemIndex,
			});
			outcomes[itemIndex] = {
				error,
				extra: {
					...describe(itemIndex),
					attempts: 0,
					notSent: true,
					accountSignal: accountStop.kind,
				},
			};
			return;
		}
		const nodeError = asNodeError(ctx, result.error, itemIndex);
		const signal = accountSignalOf(result.error);
		if (result.error instanceof GatewayError && result.error.details.retry === 'ambiguous') {
			ledger.record(itemIndex, fingerprint(itemIndex), 'uncertain', { error: nodeError.message });
		} else {
			await record?.notSent(itemIndex);
		}
		outcomes[itemIndex] = {
			error: nodeError,
			extra: {
				...describe(itemIndex),
				attempts: result.attempts,
				...(signal ? { notSent: true, accountSignal: signal.kind } : {}),
			},
		};
		if (signal && !accountStop) {
			accountStop = signal;
			stopReason = notSentAfterSignal(signal);
		}
		// Only gateway failures count towards the breaker: a bad item says nothing about the gateway.
		if (result.error instanceof GatewayError) consecutiveFailures++;
		if (!continueOnFail) fatal ??= nodeError;
		const limit = options.stopAfterConsecutiveFailures;
		if (limit > 0 && consecutiveFailures >= limit && stopReason === undefined) {
			stopReason = `Not sent: stopped after ${consecutiveFailures} consecutive failures (last: ${nodeError.message})`;
		}
	};

	// Workers take items in input order from one shared cursor, so with concurrency 1 the gateway sees the
	// items in order, and with more no item is taken twice.
	const worker = async () => {
		while (nextInQueue < queue.length && !fatal && stopReason === undefined && !stopped()) {
			await sendOne(queue[nextInQueue++]);
		}
	};
	try {
		await Promise.all(
			Array.from({ length: Math.min(options.concurrency, Math.max(queue.length, 1)) }, worker),
		);
	} finally {
		// Limit tickets claimed ahead for messages that will not go out in this run.
		await guard.release();
	}
	await record?.finish();

	if (fatal) throw fatal;
	const reason = stopped() ? 'Not sent: the execution was stopped' : (stopReason ?? 'Not sent');
	for (const itemIndex of queue.slice(nextInQueue)) {
		const error = new NodeOperationError(ctx.getNode(), reason, { itemIndex });
		if (!continueOnFail) throw error;
		outcomes[itemIndex] = {
			error,
			extra: {
				...describe(itemIndex),
				attempts: 0,
				notSent: true,
				...(accountStop ? { accountSignal: accountStop.kind } : {}),
			},
		};
	}

	// Every held item carries the same time: the Wait node reads the first item's, and the earliest is when any can go.
	for (const [itemIndex, reason] of held)
		outcomes[itemIndex] = { item: heldItem(ctx, itemIndex, resumeAt, reason) };
	if (held.size > 0) {
		const [reason] = held.values();
		ctx.addExecutionHints?.({
			message: holdHint(ctx, held.size, resumeAt, reason),
			location: 'outputPane',
		});
	}

	if (outcomes.every((outcome) => 'item' in outcome)) ledger.clear();
	const items = outcomes.map((outcome, itemIndex) =>
		'item' in outcome ? outcome.item : errorItem(outcome.error, itemIndex, outcome.extra),
	);
	// Entries of Do Not Send To that were skipped as not numbers: every line says how many, so no one misses it.
	const skippedEntries = doNotSend?.skippedEntries ?? 0;
	if (skippedEntries > 0)
		for (const item of items) item.json.skippedDoNotSendEntries = skippedEntries;
	return items;
}
