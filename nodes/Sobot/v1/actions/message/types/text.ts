import type { INodeProperties } from 'n8n-workflow';

import { readString } from '../../../../../shared/parameters/fields';
import { META, SOBOT } from '../../../../limits';
import type { MessageTypeDefinition } from './definition';
import { forTypes } from './definition';

/** Also the body text of the interactive types (buttons, list, products), which allow 1024 characters. */
export const textProperties: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		displayOptions: forTypes('text', 'quickReply', 'list', 'product'),
		description: `The message text: up to ${SOBOT.textLength} characters for a text message, ${META.interactiveBodyLength} with buttons, a list or products`,
	},
];

export const text: MessageTypeDefinition = {
	name: 'Text',
	value: 'text',
	description: `Plain text, up to ${SOBOT.textLength} characters`,
	build: (ctx, itemIndex) => ({
		type: 'text',
		message: readString(ctx, itemIndex, 'text', 'Text', {
			trim: false,
			maxLength: SOBOT.textLength,
		}),
	}),
};
