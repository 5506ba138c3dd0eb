/** The "Message Type" selector of Message → Send and every type's fields, in one list. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../../../../shared/execution/items';
import type { MessageTypeDefinition } from './definition';
import { locationProperties, location } from './location';
import { document, image, mediaProperties, sticker, video } from './media';
import { interactiveProperties } from './interactive';
import { list, listProperties } from './list';
import { product, productProperties } from './product';
import { quickReply, quickReplyProperties } from './quickReply';
import { text, textProperties } from './text';

const TYPES: MessageTypeDefinition[] = [
	text,
	image,
	video,
	document,
	sticker,
	location,
	quickReply,
	list,
	product,
];

export const messageTypeProperties: INodeProperties[] = [
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: TYPES.map(({ name, value, description }) => ({ name, value, description })),
		default: 'text',
		description:
			'Free-form messages reach a customer only within 24 hours of their last message; otherwise use Send Template, or Closed 24-Hour Window below',
	},
	...textProperties,
	...mediaProperties,
	...locationProperties,
	...interactiveProperties,
	...quickReplyProperties,
	...listProperties,
	...productProperties,
];

/** The types a customer can answer with a tap or a text: what Send and Wait for Reply offers. */
const REPLY_TYPES: MessageTypeDefinition[] = [text, quickReply, list];

export const replyMessageTypeProperties: INodeProperties[] = [
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		noDataExpression: true,
		options: REPLY_TYPES.map(({ name, value, description }) => ({ name, value, description })),
		default: 'quickReply',
		description:
			'A question the customer answers by typing, tapping a button or picking from a list; free-form messages reach a customer only within 24 hours of their last message',
	},
	...textProperties,
	...interactiveProperties,
	...quickReplyProperties,
	...listProperties,
];

/** The type-specific part of the `/message/` body for one item, validated against Sobot's and WhatsApp's limits. */
export function buildMessage(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const value = ctx.getNodeParameter('messageType', itemIndex) as string;
	const type = TYPES.find((candidate) => candidate.value === value);
	if (!type)
		throw invalidField(ctx, itemIndex, 'Message Type', `"${value}" is not a known message type`);
	return type.build(ctx, itemIndex);
}
