/**
 * Bursts, the execution side: the trigger's `execute()` turns the messages of each customer into one item, after the
 * duplicate check dropped repeats (so a message the store already knew never counts in a group) and after media were
 * downloaded (each message's file stays attached). Statuses and other events pass one item each.
 *
 * The item (docs/triggers.md, "Bursts"): every field of the customer's last message, then `text` = the texts of all
 * messages joined by newlines, `messages` = each message's own item in the order written, `messageCount`;
 * `optOut`/`optIn` follow the customer's latest ask in the burst. With the option on, a lone message has this shape
 * too, so a workflow reads one shape.
 */
import type { IBinaryData, IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { customerOf } from './burst';

function pairedOf(item: INodeExecutionData): IPairedItemData[] {
	const paired = item.pairedItem;
	if (paired === undefined) return [];
	if (typeof paired === 'number') return [{ item: paired }];
	return Array.isArray(paired) ? paired : [paired];
}

/** The binaries of all messages on one item: a name taken by an earlier message gets `_2`, `_3`… */
function mergeBinaries(messages: INodeExecutionData[], nested: IDataObject[]) {
	const binary: Record<string, IBinaryData> = {};
	messages.forEach((message, index) => {
		for (const [name, data] of Object.entries(message.binary ?? {})) {
			let target = name;
			for (let n = 2; target in binary; n++) target = `${name}_${n}`;
			binary[target] = data;
			const media = nested[index].media as IDataObject | null | undefined;
			if (media && media.binaryProperty === name) media.binaryProperty = target;
		}
	});
	return Object.keys(binary).length > 0 ? binary : undefined;
}

/**
 * The order the customer wrote in: by the vendor's timestamps when every message has one (a stable sort, so messages
 * of the same second keep the order they arrived in), else the order they arrived in.
 */
function inWrittenOrder(messages: INodeExecutionData[]): INodeExecutionData[] {
	const times = messages.map((message) => Date.parse(String(message.json.timestamp ?? '')));
	if (times.some((time) => Number.isNaN(time))) return messages;
	return messages
		.map((message, index) => ({ message, time: times[index] }))
		.sort((a, b) => a.time - b.time)
		.map(({ message }) => message);
}

/** One customer's messages as one item. */
export function burstItem(arrived: INodeExecutionData[]): INodeExecutionData {
	const messages = inWrittenOrder(arrived);
	const nested = messages.map((message) => {
		const json: IDataObject = {
			...message.json,
			media: message.json.media ? { ...(message.json.media as IDataObject) } : message.json.media,
		};
		delete json.conversation;
		return json;
	});
	const last = messages[messages.length - 1];
	const texts = nested.map((json) => json.text).filter((t) => typeof t === 'string' && t !== '');
	// The latest ask wins: "stop" then "start again" is a start.
	const ask = [...nested].reverse().find((json) => json.optOut === true || json.optIn === true);
	const binary = mergeBinaries(messages, nested);
	const item: INodeExecutionData = {
		json: {
			...last.json,
			media: nested[nested.length - 1].media,
			text: texts.length > 0 ? texts.join('\n') : null,
			optOut: ask?.optOut === true,
			optIn: ask?.optIn === true,
			messageCount: messages.length,
			messages: nested,
		},
	};
	const paired = messages.flatMap(pairedOf);
	// A polling trigger's items have no input to pair with.
	if (paired.length > 0) item.pairedItem = paired;
	if (binary) item.binary = binary;
	return item;
}

/** One item per customer's messages, at the place of the customer's first message; other events unchanged. */
export function groupBurstItems(items: INodeExecutionData[]): INodeExecutionData[] {
	const groups = new Map<string, INodeExecutionData[]>();
	const order: Array<INodeExecutionData | string> = [];
	for (const item of items) {
		if (item.json.event !== 'message') {
			order.push(item);
			continue;
		}
		const customer = customerOf(item.json);
		const group = groups.get(customer);
		if (group) group.push(item);
		else {
			groups.set(customer, [item]);
			order.push(customer);
		}
	}
	return order.map((entry) =>
		typeof entry === 'string' ? burstItem(groups.get(entry) as INodeExecutionData[]) : entry,
	);
}
