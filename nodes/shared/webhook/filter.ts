/**
 * Which events start the workflow: the "Events" choice and the status filter. Events that do not match are
 * acknowledged (the vendor does not retry, and a non-2xx answer would only look like an outage to it).
 */
import type { IWebhookFunctions, INodeProperties } from 'n8n-workflow';

import type { GatewayEvent } from './event';

/** The trigger's canvas subtitle: which events start the workflow, in words (not "all"). */
export const eventsSubtitle =
	'={{ ({"all":"Statuses and messages","status":"Delivery statuses","message":"Incoming messages"})[$parameter["events"]] || $parameter["events"] }}';

export const eventsProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'options',
		noDataExpression: true,
		options: [
			// `action` is what n8n's node picker lists under Triggers when it merges this trigger with its node.
			{
				name: 'All',
				value: 'all',
				action: 'On a delivery status or an incoming message',
				description: 'Delivery statuses and incoming messages',
			},
			{
				name: 'Delivery Status',
				value: 'status',
				action: 'On a delivery status',
				description: 'Sent, delivered, read, failed or any other status of a message you sent',
			},
			{
				name: 'Incoming Message',
				value: 'message',
				action: 'On an incoming message',
				description: 'A customer wrote to you',
			},
		],
		default: 'all',
	},
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		noDataExpression: true,
		displayOptions: { show: { events: ['all', 'status'] } },
		options: [
			{ name: 'Delivered', value: 'delivered' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Read', value: 'read' },
			{ name: 'Sent', value: 'sent' },
		],
		default: [],
		description:
			'Delivery statuses that start the workflow. Leave this and Other Statuses empty for every status.',
	},
	{
		displayName: 'Other Statuses',
		name: 'otherStatuses',
		type: 'string',
		noDataExpression: true,
		displayOptions: { show: { events: ['all', 'status'] } },
		default: '',
		placeholder: 'e.g. played, deleted',
		description:
			'More statuses, comma-separated, for values the vendor sends beyond the four above (compared in lower case)',
	},
];

export interface EventFilter {
	kinds: 'all' | 'status' | 'message';
	/** Empty: every status. */
	statuses: Set<string>;
}

export function readEventFilter(ctx: IWebhookFunctions): EventFilter {
	const kinds = ctx.getNodeParameter('events', 'all') as EventFilter['kinds'];
	const chosen = (ctx.getNodeParameter('statuses', []) as string[]) ?? [];
	const other = String(ctx.getNodeParameter('otherStatuses', '') ?? '')
		.split(',')
		.map((status) => status.trim().toLowerCase())
		.filter((status) => status !== '');
	return { kinds, statuses: new Set([...chosen.map((status) => status.toLowerCase()), ...other]) };
}

export function matchesFilter(event: GatewayEvent, filter: EventFilter): boolean {
	if (filter.kinds !== 'all' && filter.kinds !== event.event) return false;
	if (event.event === 'message') return true;
	return filter.statuses.size === 0 || filter.statuses.has(event.status);
}
