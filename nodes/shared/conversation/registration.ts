/**
 * The waiting node tells the trigger whom it waits for, by a signed request to the trigger's production URL
 * (inbox.ts says why a request). The trigger stores the entry in `webhook()`, where n8n saves it at once; the node
 * then asks again until the trigger confirms it has the entry, because two registrations arriving at the same
 * instant read and write the same static data and one can still undo the other.
 *
 * What the node needs comes with the customer's message, not from static data: in queue mode a worker runs the
 * execution without the workflow's static data. The trigger puts `conversation: {url, customer, key}` on each
 * incoming message, where `key` is the trigger's secret applied to that one customer: it lets a workflow register a
 * wait for the customer who wrote, and for nobody else.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { invalidField } from '../execution/items';
import type { GatewayEvent } from '../webhook/event';
import { acknowledge, refuse } from '../webhook/request';
import { customerDigits } from './handOver';
import { inboxOf, isSignedBy, sign } from './inbox';
import type { Wait } from './waits';
import { readWaits, registerWait, waitKey } from './waits';

/** The body key that marks a registration; no vendor sends it. */
const MARK = 'n8nWaitForReply';
/** A signed request older than this is refused, so a recorded one cannot be replayed much later. */
const MAX_AGE_MS = 10 * 60_000;
const CONFIRM_ATTEMPTS = 6;

interface Registration {
	action: 'register' | 'check';
	key: string;
	wait: Wait;
	at: number;
}

/** What a trigger's message item carries so that a Send and Wait for Reply after it can register. */
export interface Conversation {
	/** The trigger's production URL. */
	url: string;
	/** `sobot:919812345678`: the customer this conversation is with. */
	customer: string;
	key: string;
}

/** The trigger a waiting node answers through: "Sobot Trigger", `sobotTrigger`. */
export interface TriggerRef {
	name: string;
	type: string;
}

/** The `conversation` field of a message item, when the trigger is published; null otherwise. */
export function conversationOf(ctx: IWebhookFunctions, event: GatewayEvent): Conversation | null {
	const digits = event.event === 'message' ? customerDigits(event.from) : null;
	const inbox =
		digits === null ? undefined : inboxOf(ctx.getWorkflowStaticData('global'), ctx.getNode().name);
	if (digits === null || !inbox) return null;
	const customer = waitKey(event.service, digits);
	return { url: inbox.url, customer, key: sign(inbox.secret, customer) };
}

/**
 * The trigger's side, before its own authentication (the node cannot know the trigger's credential; the
 * customer's key stands in for it). Returns undefined for every request that is not a registration.
 */
export function answerRegistration(ctx: IWebhookFunctions): IWebhookResponseData | undefined {
	const body = ctx.getBodyData() as IDataObject | undefined;
	if (!body || typeof body[MARK] !== 'string') return undefined;
	const global = ctx.getWorkflowStaticData('global');
	const inbox = inboxOf(global, ctx.getNode().name);
	if (!inbox)
		return refuse(
			ctx,
			409,
			'This trigger is not published: publish the workflow to receive answers',
		);
	const payload = body[MARK] as string;
	let registration: Registration;
	try {
		registration = JSON.parse(payload) as Registration;
	} catch {
		return refuse(ctx, 400, 'Registration is not JSON');
	}
	if (
		typeof registration?.key !== 'string' ||
		!isSignedBy(sign(inbox.secret, registration.key), payload, body.signature)
	) {
		return refuse(ctx, 401, 'Registration not signed for this customer by this workflow');
	}
	if (typeof registration.at !== 'number' || Math.abs(Date.now() - registration.at) > MAX_AGE_MS) {
		return refuse(ctx, 400, 'Registration is too old');
	}
	if (registration.action === 'register') {
		registerWait(global, registration.key, registration.wait);
		return acknowledge('wait registered', { registered: true });
	}
	const known =
		readWaits(global).get(registration.key)?.executionId === registration.wait.executionId;
	return acknowledge('wait checked', { known });
}

function isConversation(value: unknown): value is Conversation {
	const c = value as Partial<Conversation> | null;
	return (
		c !== null &&
		typeof c === 'object' &&
		typeof c.url === 'string' &&
		typeof c.customer === 'string' &&
		typeof c.key === 'string'
	);
}

/**
 * The conversation of item 0: on the item itself when it comes straight from the trigger, else on the trigger's
 * item it was made from (n8n's paired items). It must be with the customer the node will ask.
 */
export function findConversation(
	ctx: IExecuteFunctions,
	trigger: TriggerRef,
	customer: string,
): Conversation {
	let conversation: unknown = ctx.getInputData()[0]?.json.conversation;
	if (!isConversation(conversation)) {
		const proxy = ctx.getWorkflowDataProxy(0);
		for (const parent of ctx.getParentNodes(ctx.getNode().name)) {
			if (!parent.type.endsWith(`.${trigger.type}`)) continue;
			try {
				conversation = (proxy.$(parent.name).item as { json?: IDataObject } | undefined)?.json
					?.conversation;
			} catch {
				// No paired item back to that trigger: try the next one.
			}
			if (isConversation(conversation)) break;
		}
	}
	if (!isConversation(conversation)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Send and Wait for Reply answers a customer who wrote to the ${trigger.name} of this workflow`,
			{
				description: `Put it after a published ${trigger.name} (events: incoming messages): the trigger's item says where the answer will arrive. Test runs from the editor cannot wait for replies.`,
			},
		);
	}
	if (conversation.customer !== customer) {
		throw invalidField(
			ctx,
			0,
			'Recipient',
			`is ${customer.replace(/^[^:]*:/, '')}, but the customer who wrote is ${conversation.customer.replace(/^[^:]*:/, '')}: the node can wait only for the customer of this conversation`,
		);
	}
	return conversation;
}

/** The node's side: registers, then confirms; returns false if the trigger never confirmed (answers then start new executions). */
export async function registerWithTrigger(
	ctx: IExecuteFunctions,
	conversation: Conversation,
	wait: Wait,
): Promise<boolean> {
	const post = async (action: Registration['action']): Promise<IDataObject | undefined> => {
		const payload = JSON.stringify({
			action,
			key: conversation.customer,
			wait,
			at: Date.now(),
		} satisfies Registration);
		try {
			return (await ctx.helpers.httpRequest({
				method: 'POST',
				url: conversation.url,
				body: { [MARK]: payload, signature: sign(conversation.key, payload) },
				json: true,
				timeout: 15_000,
			})) as IDataObject;
		} catch {
			return undefined;
		}
	};
	for (let attempt = 0; attempt < CONFIRM_ATTEMPTS; attempt++) {
		await post('register');
		await sleep(200 * 2 ** attempt);
		if ((await post('check'))?.known === true) return true;
	}
	return false;
}
