/**
 * "Send and Wait for Reply", the part every gateway shares: send one message, note which customer this execution
 * waits for (waits.ts), park the execution with n8n's `putExecutionToWait`, and continue when the trigger hands the
 * customer's answer to this node's resume webhook (`webhook()` below), or when the time limit passes.
 *
 * n8n resumes a node in two ways, and they decide the outputs' order:
 * - through its resume webhook: what `webhook()` returns replaces the node's output, on any output (here "Reply");
 * - at the time limit: n8n passes the node's input items through on the first output, unchanged ("No Reply").
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeTypeDescription,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, errorItem, invalidField } from '../execution/items';
import { SEND_OUTPUTS_EXPRESSION } from '../sending/guardrails/hold';
import type { Conversation, TriggerRef } from './registration';
import { findConversation, registerWithTrigger } from './registration';
import {
	canResumeWithReply,
	SEND_AND_WAIT_MIN_N8N,
	sendAndWaitUnsupportedMessage,
} from './n8nSupport';
import { waitKey } from './waits';
import { isObject } from '../http/replies';
import { attachReplyMediaInWebhook, wantsReplyMedia } from './replyMedia';

/** The operation value. Not `sendAndWait`: n8n gives that value its own approval-form handling. */
export const SEND_AND_WAIT = 'sendAndWaitForReply';

export const OUTPUT_NO_REPLY = 0;
export const OUTPUT_REPLY = 1;

/** Two outputs for this operation; a send that can hold has Sent and Held (guardrails/hold.ts); others one. */
export const outputsForOperation: INodeTypeDescription['outputs'] = `={{ $parameter["operation"] === "${SEND_AND_WAIT}" ? [{ "type": "main", "displayName": "No Reply" }, { "type": "main", "displayName": "Reply" }] : ${SEND_OUTPUTS_EXPRESSION} }}`;

/** The resume webhook n8n serves at `$execution.resumeUrl` while the execution waits; never a production URL. */
export const replyWebhooks = (): IWebhookDescription[] => [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '',
		restartWebhook: true,
		isFullPath: true,
	},
];

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
/** WhatsApp keeps a conversation window for 24 hours; a longer wait is allowed, up to a month. */
const MAX_WAIT_MS = 30 * UNIT_MS.days;

export function waitProperties(serviceName: string, triggerName: string): INodeProperties[] {
	return [
		{
			displayName: `The customer's answer reaches this node through the ${triggerName}: put it in this same workflow, set its events to include incoming messages, publish the workflow, and point ${serviceName}'s webhook at the trigger's production URL. Place this node after the trigger: it asks the customer who wrote, and while this execution waits, the trigger hands that customer's next message here instead of starting a new execution. Test runs from the editor cannot be resumed by a reply. Needs n8n ${SEND_AND_WAIT_MIN_N8N} or newer.`,
			name: 'waitNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Wait Up To',
			name: 'waitAmount',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 24,
			description:
				'How long to wait for the answer; after that the input item leaves through the No Reply output',
		},
		{
			displayName: 'Unit',
			name: 'waitUnit',
			type: 'options',
			options: [
				{ name: 'Minutes', value: 'minutes' },
				{ name: 'Hours', value: 'hours' },
				{ name: 'Days', value: 'days' },
			],
			default: 'hours',
		},
	];
}

function readWaitMs(ctx: IExecuteFunctions): number {
	const amount = ctx.getNodeParameter('waitAmount', 0) as number;
	const unit = ctx.getNodeParameter('waitUnit', 0) as string;
	const ms = amount * (UNIT_MS[unit] ?? NaN);
	if (!Number.isFinite(ms) || ms <= 0)
		throw invalidField(ctx, 0, 'Wait Up To', 'must be a positive number of minutes, hours or days');
	if (ms > MAX_WAIT_MS) throw invalidField(ctx, 0, 'Wait Up To', 'can be at most 30 days');
	return ms;
}

export interface SendAndWaitSpec {
	service: string;
	/** The trigger that receives the answer: its display name ("Sobot Trigger") and type name ("sobotTrigger"). */
	trigger: TriggerRef;
	/** The customer's number as digits, as the trigger will see it in `from`; read from item 0. */
	customer: (itemIndex: number) => string;
	/** Sends the message of item 0 through the shared sending layer and returns its one output item. */
	send: () => Promise<INodeExecutionData[]>;
}

/**
 * The node waits for one customer per execution; more items are refused (each an error item under Continue On
 * Fail). Returns the outputs to end with, or undefined when there is exactly one item.
 */
export function refuseMoreThanOne(ctx: IExecuteFunctions): INodeExecutionData[][] | undefined {
	const items = ctx.getInputData();
	if (items.length === 1) return undefined;
	const problem = new NodeOperationError(
		ctx.getNode(),
		`Send and Wait for Reply waits for one customer per execution, but got ${items.length} items`,
		{
			description:
				"Give it one item: the customer's message as the trigger emitted it (nodes in between are fine).",
		},
	);
	if (!ctx.continueOnFail()) throw problem;
	return [items.map((_, index) => errorItem(problem, index)), []];
}

export async function sendAndWait(
	ctx: IExecuteFunctions,
	spec: SendAndWaitSpec,
): Promise<INodeExecutionData[][]> {
	const refused = refuseMoreThanOne(ctx);
	if (refused) return refused;

	let customer: string;
	let waitMs: number;
	let conversation: Conversation;
	try {
		if (!canResumeWithReply(ctx)) {
			const { message, description } = sendAndWaitUnsupportedMessage();
			throw new NodeOperationError(ctx.getNode(), message, { description, itemIndex: 0 });
		}
		customer = spec.customer(0);
		waitMs = readWaitMs(ctx);
		conversation = findConversation(ctx, spec.trigger, waitKey(spec.service, customer));
	} catch (error) {
		const nodeError = asNodeError(ctx, error, 0);
		if (!ctx.continueOnFail()) throw nodeError;
		return [[errorItem(nodeError, 0)], []];
	}

	const [sent] = await spec.send();
	// A failed send (with Continue On Fail) has nothing to wait for.
	if (!sent || sent.json.error !== undefined) return [sent ? [sent] : [], []];

	const until = Date.now() + waitMs;
	const proxy = ctx.getWorkflowDataProxy(0);
	const registered = await registerWithTrigger(ctx, conversation, {
		url: String(proxy.$execution.resumeUrl),
		until,
		executionId: ctx.getExecutionId(),
		askedMessageId: typeof sent.json.messageId === 'string' ? sent.json.messageId : null,
	});
	await ctx.putExecutionToWait(new Date(until));
	// Shown while the execution waits; n8n replaces it with the reply or, at the limit, with the input item.
	return [
		[],
		[
			{
				json: { ...sent.json, waitingUntil: new Date(until).toISOString(), registered },
				pairedItem: { item: 0 },
			},
		],
	];
}

/**
 * The node's `webhook()`: the trigger posts `{reply, askedMessageId}` to the resume URL. Anything else leaves the
 * execution waiting. `mediaHosts` is the default allow-list for the answer's file (replyMedia.ts).
 */
export async function resumeWithReply(
	ctx: IWebhookFunctions,
	mediaHosts: string,
): Promise<IWebhookResponseData> {
	const body = ctx.getBodyData() as IDataObject;
	const reply = body.reply;
	if (!isObject(reply)) {
		ctx
			.getResponseObject()
			.status(400)
			.json({ resumed: false, problem: 'expected {"reply": {...}} from the trigger' });
		return { noWebhookResponse: true };
	}
	const json = answerJson(
		reply as IDataObject,
		typeof body.askedMessageId === 'string' ? body.askedMessageId : null,
	);
	const item: INodeExecutionData = { json, pairedItem: { item: 0 } };
	if (!wantsReplyMedia(ctx, json))
		return { webhookResponse: { resumed: true }, workflowData: [[], [item]] };
	// The trigger is answered before the download: it waits only so long for the handover (handOver.ts), and a
	// slow media host must not make it start a second execution with the same message.
	ctx.getResponseObject().status(200).json({ resumed: true });
	await attachReplyMediaInWebhook(ctx, item, mediaHosts);
	return { noWebhookResponse: true, workflowData: [[], [item]] };
}

/** The Reply item: what the customer answered first, then the trigger's normalised event as it came. */
export function answerJson(event: IDataObject, askedMessageId: string | null): IDataObject {
	const choice = (event.choice ?? null) as IDataObject | null;
	return {
		answer: (choice?.title as string | null | undefined) ?? event.text ?? null,
		answerId: (choice?.id as string | null | undefined) ?? null,
		askedMessageId,
		...event,
	};
}

/** Both outputs of an execution that ends without waiting: the input item on No Reply, or the answer on Reply. */
export function noReply(ctx: IExecuteFunctions): INodeExecutionData[][] {
	return [ctx.getInputData().map((item, index) => ({ ...item, pairedItem: { item: index } })), []];
}
