/**
 * The waiting node tells the trigger whom it waits for, by a signed request to the trigger's production URL
 * (inbox.ts says why a request). The trigger stores the entry in `webhook()`, where n8n saves it at once; the node
 * then asks again until the trigger confirms it has the entry, because two registrations arriving at the same
 * instant read and write the same static data and one can still undo the other.
 */
import type { IDataObject, IExecuteFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { acknowledge, refuse } from '../webhook/request';
import type { Inbox } from './inbox';
import { inboxOf, inboxesFor, isSignedBy, sign } from './inbox';
import type { Wait } from './waits';
import { readWaits, registerWait } from './waits';

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

/**
 * The trigger's side, before its own authentication (the node cannot know the trigger's credential; the secret
 * both read from static data stands in for it). Returns undefined for every request that is not a registration.
 */
export function answerRegistration(ctx: IWebhookFunctions): IWebhookResponseData | undefined {
	const body = ctx.getBodyData() as IDataObject | undefined;
	if (!body || typeof body[MARK] !== 'string') return undefined;
	const global = ctx.getWorkflowStaticData('global');
	const inbox = inboxOf(global, ctx.getNode().name);
	if (!inbox) return refuse(ctx, 409, 'This trigger is not published: publish the workflow to receive answers');
	const payload = body[MARK] as string;
	if (!isSignedBy(inbox.secret, payload, body.signature)) return refuse(ctx, 401, 'Registration not signed by this workflow');
	let registration: Registration;
	try {
		registration = JSON.parse(payload) as Registration;
	} catch {
		return refuse(ctx, 400, 'Registration is not JSON');
	}
	if (typeof registration.at !== 'number' || Math.abs(Date.now() - registration.at) > MAX_AGE_MS) {
		return refuse(ctx, 400, 'Registration is too old');
	}
	if (registration.action === 'register') {
		registerWait(global, registration.key, registration.wait);
		return acknowledge('wait registered', { registered: true });
	}
	const known = readWaits(global).get(registration.key)?.executionId === registration.wait.executionId;
	return acknowledge('wait checked', { known });
}

/** The trigger this node registers with: one of its service in this workflow, an upstream one first. */
export function findInbox(ctx: IExecuteFunctions, service: string, triggerName: string): Inbox {
	const candidates = inboxesFor(ctx.getWorkflowStaticData('global'), service);
	const parents = new Set(ctx.getParentNodes(ctx.getNode().name).map((node) => node.name));
	const inbox = candidates.find((candidate) => parents.has(candidate.trigger)) ?? candidates[0];
	if (!inbox) {
		throw new NodeOperationError(ctx.getNode(), `No published ${triggerName} in this workflow to receive the answer`, {
			description: `Add the ${triggerName} to this workflow (events: incoming messages), publish the workflow, and point the gateway's webhook at the trigger's production URL.`,
		});
	}
	return inbox;
}

/** The node's side: registers, then confirms; returns false if the trigger never confirmed (answers then start new executions). */
export async function registerWithTrigger(ctx: IExecuteFunctions, inbox: Inbox, key: string, wait: Wait): Promise<boolean> {
	const post = async (action: Registration['action']): Promise<IDataObject | undefined> => {
		const payload = JSON.stringify({ action, key, wait, at: Date.now() } satisfies Registration);
		try {
			return (await ctx.helpers.httpRequest({
				method: 'POST',
				url: inbox.url,
				body: { [MARK]: payload, signature: sign(inbox.secret, payload) },
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
