/**
 * One trigger request from start to finish, the same for every vendor:
 * method (405) → authentication (401) → size (413) → JSON (400) → vendor shape (400) → event filter →
 * duplicates already recorded → answers handed to waiting executions → a customer's burst held until they pause
 * (optional: burst.ts) → one n8n item per event → delivery statuses joined into a batch (version 3, or when asked:
 * batch.ts). Whatever is refused or dropped
 * is answered without starting an execution. The execution then starts at the trigger's `execute()`
 * (`handleTriggerExecution`), which records the events and drops repeats that got past this first look.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { handOverReplies } from '../conversation/handOver';
import { answerRegistration, conversationOf } from '../conversation/registration';
import { checkAuthentication } from '../webhook/auth';
import { dropKnownDuplicates, noteEventsStartedHere, recordEvents } from '../webhook/dedupe';
import type { GatewayEvent, PayloadParser } from '../webhook/event';
import { PayloadError, toItemJson } from '../webhook/event';
import { matchesFilter, readEventFilter } from '../webhook/filter';
import { canBatch, joinBatch } from '../webhook/batch';
import { attachMedia, readMediaPolicy } from '../webhook/media';
import { burstsAreOn, customerOf, joinBurst } from '../webhook/burst';
import { settleWhenAnswered } from '../webhook/leaderAnswer';
import { groupBurstItems } from '../webhook/burstItems';
import type { TriggerOptions } from '../webhook/options';
import { readBurstSettings, readDedupeSettings, readTriggerOptions } from '../webhook/options';
import {
	ACCEPTED_METHOD,
	acknowledge,
	bodySize,
	isAcceptedMethod,
	parseJsonBody,
	readUnparsedBody,
	refuse,
	started,
} from '../webhook/request';

export interface TriggerSpec {
	parser: PayloadParser;
	/** Default of the body cap, MB. */
	maxBodyMb: number;
	/** Present when the vendor's media can be downloaded: the default allow-list. */
	mediaHosts?: string;
}

export async function handleTriggerRequest(
	ctx: IWebhookFunctions,
	spec: TriggerSpec,
): Promise<IWebhookResponseData> {
	if (!isAcceptedMethod(ctx)) {
		return refuse(ctx, 405, `Use ${ACCEPTED_METHOD}`, { Allow: ACCEPTED_METHOD });
	}
	// Send and Wait for Reply registering whom it waits for: signed with this workflow's secret instead.
	const registration = answerRegistration(ctx);
	if (registration) return registration;
	const auth = await checkAuthentication(ctx);
	if (!auth.ok) return refuse(ctx, 401, 'Authorization failed', auth.headers);

	const options = readTriggerOptions(ctx, spec.maxBodyMb);
	await readUnparsedBody(ctx);
	const size = bodySize(ctx);
	if (size > options.maxBodyBytes) {
		return refuse(
			ctx,
			413,
			`The body is ${size} bytes; this trigger accepts at most ${options.maxBodyBytes}`,
		);
	}
	const parsed = parseJsonBody(ctx);
	if (!parsed.ok) return refuse(ctx, 400, parsed.problem);

	let events: GatewayEvent[];
	try {
		events = spec.parser.parse(parsed.body);
	} catch (error) {
		if (!(error instanceof PayloadError))
			throw new NodeOperationError(ctx.getNode(), error as Error);
		return refuse(ctx, 400, `Not a ${spec.parser.service} webhook: ${error.message}`);
	}

	const filter = readEventFilter(ctx);
	const matching = events.filter((event) => matchesFilter(event, filter));
	if (matching.length === 0)
		return acknowledge(events.length === 0 ? 'no events' : 'filtered', { events: events.length });

	const { fresh, duplicates } = dropKnownDuplicates(ctx, matching, options.dedupe);
	if (fresh.length === 0) return acknowledge('duplicate', { duplicates });

	const receivedAt = new Date().toISOString();
	// A customer's answer to a "Send and Wait for Reply" of this workflow resumes that execution instead.
	const { remaining, handedOver } = await handOverReplies(ctx, fresh, (event) =>
		toItemJson(event, receivedAt, parsed.body, true),
	);
	if (remaining.length === 0)
		return acknowledge('reply handed to the waiting execution', { replies: handedOver });

	const items: INodeExecutionData[] = remaining.map((event) => ({
		json: {
			...toItemJson(event, receivedAt, parsed.body, options.includeRaw, options.consent),
			conversation: conversationOf(ctx, event) as IDataObject | null,
		},
	}));
	if (burstsAreOn(options.bursts) && ctx.getMode() !== 'manual')
		return await startWithBurst(ctx, items, options);
	return await startExecution(ctx, items, options);
}

async function startExecution(
	ctx: IWebhookFunctions,
	items: INodeExecutionData[],
	options: TriggerOptions,
): Promise<IWebhookResponseData> {
	noteEventsStartedHere(
		ctx,
		items.map((item) => item.json),
		options.dedupe,
	);
	if (canBatch(ctx, options.batch, items)) return await joinBatch(ctx, items, options.batch);
	return { workflowData: [items], webhookResponse: started(items.length) };
}

/**
 * The request's messages join their customer's burst (burst.ts); its other events (statuses) are not grouped. A
 * request with messages of several customers (no vendor is known to send one) is not held: its execution groups
 * them per customer all the same (burstItems.ts).
 */
async function startWithBurst(
	ctx: IWebhookFunctions,
	items: INodeExecutionData[],
	options: TriggerOptions,
): Promise<IWebhookResponseData> {
	const messages = items.filter((item) => item.json.event === 'message');
	const others = items.filter((item) => item.json.event !== 'message');
	const customers = new Set(messages.map((item) => customerOf(item.json)));
	if (customers.size !== 1) return await startExecution(ctx, items, options);

	const scope = `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().id}`;
	const turn = await joinBurst(scope, messages, options.bursts);
	if (turn.role === 'leader') {
		settleWhenAnswered(ctx, turn.settle);
		return await startExecution(ctx, [...turn.items, ...others], options);
	}
	if (!turn.started) {
		return refuse(
			ctx,
			503,
			"The execution of this customer's burst of messages could not be started; this message is not in it",
		);
	}
	if (others.length > 0) return await startExecution(ctx, others, options);
	return acknowledge(turn.role === 'duplicate' ? 'duplicate' : 'grouped', {
		messages: messages.length,
	});
}

/**
 * Media is fetched in the execution, not in `webhook()`: a file n8n stores there belongs to a real execution id
 * (stored in `webhook()` it keeps the id "temp", which n8n 2.41 never corrects in its database binary mode, so the
 * editor's download answered 404), the webhook is answered without waiting for the download, and a repeat the
 * store drops downloads nothing.
 */
async function attachTriggerMedia(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	hosts: string,
) {
	const property = String(ctx.getNodeParameter('binaryPropertyName', 0, 'data') || 'data');
	await attachMedia(ctx, items, readMediaPolicy(ctx, hosts), property);
}

/**
 * The trigger's `execute()`: n8n runs it inside the execution with the webhook's items as input, which is where
 * n8n's processed-data store is available. It leaves the workflow's static data alone: n8n saves static data after
 * every execution that changed it, and in a workflow that waits for replies an execution's older copy would be
 * saved over the waits the trigger registered meanwhile (conversation/inbox.ts).
 */
export async function handleTriggerExecution(
	ctx: IExecuteFunctions,
	spec: Pick<TriggerSpec, 'mediaHosts'> = {},
): Promise<INodeExecutionData[][]> {
	const items = await recordEvents(ctx, ctx.getInputData(), readDedupeSettings(ctx));
	if (
		spec.mediaHosts !== undefined &&
		(ctx.getNodeParameter('downloadMedia', 0, false) as boolean)
	) {
		await attachTriggerMedia(ctx, items, spec.mediaHosts);
	}
	return [burstsAreOn(readBurstSettings(ctx)) ? groupBurstItems(items) : items];
}
