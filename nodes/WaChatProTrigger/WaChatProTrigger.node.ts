import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { defaultCountryCodeProperty } from '../shared/parameters/fields';
import { consentKeywordProperties } from '../shared/webhook/consent';
import { MAX_HOLD_SECONDS, MAX_QUIET_SECONDS } from '../shared/webhook/options';
import { MAX_CHATS_LIMIT, readSettings, schedulePoll, testPoll } from './poll';

export class WaChatProTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WAChatPro Trigger',
		name: 'waChatProTrigger',
		icon: { light: 'file:waChatProTrigger.svg', dark: 'file:waChatProTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["chats"] === "numbers" ? "Chosen numbers" : "All chats"}}',
		// n8n's node picker merges this trigger with the node of the same name without "Trigger" into one entry and
		// shows this description for both (editor: generateMergedNodesAndActions), so it describes the whole app.
		description:
			'Send WhatsApp messages and files through WAChatPro, read chats, messages and contacts, and start workflows on new incoming messages (checked on a schedule)',
		defaults: { name: 'WAChatPro Trigger' },
		// n8n adds "Poll Times" to every node with `polling: true`.
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'waChatProApi', required: true }],
		properties: [
			{
				displayName:
					'WAChatPro has no webhooks: this trigger asks WAChatPro for new messages at each Poll Time. The first activation only remembers what is already there; later polls start one execution with one item per new incoming message.',
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Watch',
				name: 'chats',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'All Chats',
						value: 'all',
						description: 'Every chat WAChatPro lists, most recent first, up to Max Chats',
					},
					{
						name: 'Chosen Numbers',
						value: 'numbers',
						description: 'Only the chats with the phone numbers you enter',
					},
				],
				default: 'all',
			},
			{
				displayName: 'Phone Numbers',
				name: 'numbers',
				type: 'string',
				required: true,
				displayOptions: { show: { chats: ['numbers'] } },
				default: '',
				placeholder: '+62 812-3456-7890, 0812 1111 0002',
				description: 'The customers to watch, separated by commas or new lines, in any common form',
			},
			{ ...defaultCountryCodeProperty, displayOptions: { show: { chats: ['numbers'] } } },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Group Bursts: Max Hold (Seconds)',
						name: 'burstMaxHoldSeconds',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_HOLD_SECONDS },
						default: 60,
						description: `A burst is emitted at the latest this long after its first message, even if the customer keeps writing. Only used with a Quiet Period; at most ${MAX_HOLD_SECONDS}.`,
					},
					{
						displayName: 'Group Bursts: Quiet Period (Seconds)',
						name: 'burstQuietSeconds',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_QUIET_SECONDS },
						default: 0,
						description: `Messages of one chat written within this many seconds of each other (by WAChatPro's times) come as one item, with all of them under "messages" and their texts joined in "text"; a burst still being written when a poll reads it waits for the next poll. 0 (the default) emits one item per message. At most ${MAX_QUIET_SECONDS}.`,
					},
					{
						displayName: 'Include Raw Message',
						name: 'includeRaw',
						type: 'boolean',
						default: true,
						description: 'Whether to add the message as WAChatPro sent it under `raw`',
					},
					{
						displayName: 'Max Chats',
						name: 'maxChats',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_CHATS_LIMIT },
						default: 100,
						description:
							'With All Chats: how many of the most recent chats each poll checks (WAChatPro lists chats in one page, without paging). A chat beyond it is checked once it is among the most recent again.',
					},
					{
						displayName: 'Messages per Chat',
						name: 'messagesPerChat',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 500 },
						default: 20,
						description:
							'How many of the newest messages of a chat each poll reads. More new messages than this in one chat between two polls: the older ones are missed.',
					},
					...consentKeywordProperties,
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		if (this.getMode() === 'manual') return await testPoll(this, settings);
		return await schedulePoll(this, settings);
	}
}
