/**
 * Message → Send and Wait for Reply: a text to one customer (Send Text's `/wa/send`), then the chat is read
 * (`/wa/messages`) every few seconds until the customer writes or the limit passes. WAChatPro documents no
 * webhook, so nothing could wake a parked execution: this one keeps running while it waits, which is why the
 * limit is short and an n8n restart ends the wait (the Sobot and Profilora nodes park instead).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { sleep, updateDisplayOptions } from 'n8n-workflow';

import {
	SEND_AND_WAIT,
	answerJson,
	noReply,
	refuseMoreThanOne,
} from '../../../../shared/conversation/waitForReply';
import {
	defaultCountryCodeProperty,
	messageTextProperty,
	readNumber,
	readString,
} from '../../../../shared/parameters/fields';
import { asNodeError, errorItem, invalidField } from '../../../../shared/execution/items';
import type { NodeOutputs } from '../../../../shared/execution/router';
import { runSends } from '../../../../shared/sending/runSends';
import { messageIdentity } from '../../../../shared/sending/identity';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { toItemJson } from '../../../../shared/webhook/event';
import {
	attachReplyMediaInExecution,
	replyMediaProperties,
} from '../../../../shared/conversation/replyMedia';
import { WACHATPRO_MEDIA_HOSTS, fetchList, waChatProRequest } from '../../../transport';
import { isFromMe, messageKey, messageTime, toEvent } from '../../../transport/message';
import { recipientProperty } from '../common';
import { sendResult } from './result';

/** A running execution holds a slot of n8n (a worker's concurrency in queue mode): keep the wait short. */
const MAX_WAIT_MINUTES = 60;
/** How many of the chat's latest messages each look reads. */
const LOOK_BACK = 50;

const properties: INodeProperties[] = [
	{
		displayName:
			'WAChatPro has no webhooks, so this execution keeps running while it waits and reads the chat every few seconds. Keep the limit short; an n8n restart ends the wait without an answer.',
		name: 'pollingNotice',
		type: 'notice',
		default: '',
	},
	recipientProperty(
		'The customer: a phone number in any common form (WAChatPro gets digits with the country code)',
	),
	messageTextProperty,
	{
		displayName: 'Wait Up To (Minutes)',
		name: 'waitMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_WAIT_MINUTES, numberPrecision: 0 },
		default: 10,
		description: `How long to wait for the answer, at most ${MAX_WAIT_MINUTES} minutes; after that the input item leaves through the No Reply output`,
	},
	{
		displayName: 'Check Every (Seconds)',
		name: 'checkEverySeconds',
		type: 'number',
		typeOptions: { minValue: 5, maxValue: 300, numberPrecision: 0 },
		default: 15,
		description: 'How often to read the chat for the answer',
	},
	defaultCountryCodeProperty,
	...replyMediaProperties(WACHATPRO_MEDIA_HOSTS, 'WAChatPro'),
	sendingOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: [SEND_AND_WAIT] } },
	properties,
);

interface Job {
	phone: string;
	text: string;
}

async function incoming(ctx: IExecuteFunctions, phone: string): Promise<IDataObject[]> {
	const messages = await fetchList(
		ctx,
		'/wa/messages',
		{ phone, limit: LOOK_BACK },
		'messages',
		LOOK_BACK,
	);
	return messages.filter((message) => !isFromMe(message));
}

export async function execute(this: IExecuteFunctions): Promise<NodeOutputs> {
	const refused = refuseMoreThanOne(this);
	if (refused) return { outputs: refused };
	let phone: string;
	let waitMs: number;
	let everyMs: number;
	try {
		phone = readNumber(this, 0, 'recipient', 'Recipient', 'digits');
		const minutes = this.getNodeParameter('waitMinutes', 0) as number;
		if (!(minutes > 0 && minutes <= MAX_WAIT_MINUTES))
			throw invalidField(this, 0, 'Wait Up To (Minutes)', `must be 1 to ${MAX_WAIT_MINUTES}`);
		const seconds = this.getNodeParameter('checkEverySeconds', 0) as number;
		if (!(seconds >= 5 && seconds <= 300))
			throw invalidField(this, 0, 'Check Every (Seconds)', 'must be 5 to 300');
		waitMs = minutes * 60_000;
		everyMs = seconds * 1000;
	} catch (error) {
		const nodeError = asNodeError(this, error, 0);
		if (!this.continueOnFail()) throw nodeError;
		return { outputs: [[errorItem(nodeError, 0)], []] };
	}

	// What the chat held before the question counts as read, whatever its timestamps say.
	const seen = new Set((await incoming(this, phone)).map((message) => messageKey(phone, message)));
	const [sent] = await runSends<Job>(this, {
		prepare: (itemIndex) => ({
			phone,
			text: readString(this, itemIndex, 'text', 'Text', { trim: false }),
		}),
		reportFields: (job) => ({ to: job.phone }),
		identity: (job) => messageIdentity(job.phone, job.text),
		recipient: (job) => job.phone,
		send: async (job, _itemIndex, timeoutMs) => {
			const { body } = await waChatProRequest(
				this,
				'/wa/send',
				{ phone: job.phone, body: job.text },
				timeoutMs,
			);
			return sendResult(body, { to: job.phone });
		},
	});
	if (!sent || sent.json.error !== undefined) return { outputs: [sent ? [sent] : [], []] };

	const askedMessageId = typeof sent.json.messageId === 'string' ? sent.json.messageId : null;
	const deadline = Date.now() + waitMs;
	while (Date.now() < deadline) {
		await sleep(Math.min(everyMs, Math.max(0, deadline - Date.now())));
		const fresh = (await incoming(this, phone)).filter(
			(message) => !seen.has(messageKey(phone, message)),
		);
		if (fresh.length === 0) continue;
		// The earliest new message is the answer; an undated one counts as the latest.
		const [first] = fresh.sort(
			(a, b) => (messageTime(a) ?? Infinity) - (messageTime(b) ?? Infinity),
		);
		const event = toItemJson(toEvent(phone, null, first), new Date().toISOString(), first, true);
		const answer: INodeExecutionData = {
			json: answerJson(event, askedMessageId),
			pairedItem: { item: 0 },
		};
		await attachReplyMediaInExecution(this, answer, WACHATPRO_MEDIA_HOSTS);
		return { outputs: [[], [answer]] };
	}
	return { outputs: noReply(this) };
}
