import type { INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../../../../shared/execution/items';
import { SOBOT } from '../../../../limits';
import type { MessageTypeDefinition } from './definition';
import { forTypes } from './definition';
import { readEntries, text } from '../../common/entries';
import { readInteractive } from './interactive';

export const quickReplyProperties: INodeProperties[] = [
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Button',
		default: {},
		displayOptions: forTypes('quickReply'),
		description: `${SOBOT.buttonsMin} to ${SOBOT.buttonsMax} buttons with different titles of at most ${SOBOT.buttonTitleLength} characters`,
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [{ displayName: 'Title', name: 'title', type: 'string', default: '' }],
			},
		],
	},
];

export const quickReply: MessageTypeDefinition = {
	name: 'Quick-Reply Buttons',
	value: 'quickReply',
	description: `Text with up to ${SOBOT.buttonsMax} reply buttons`,
	build: (ctx, itemIndex) => {
		const body = readInteractive(ctx, itemIndex, 'quick_reply');
		const titles = readEntries(ctx, itemIndex, 'buttons.button').map((entry) => text(entry.title));
		if (titles.length < SOBOT.buttonsMin || titles.length > SOBOT.buttonsMax) {
			throw invalidField(
				ctx,
				itemIndex,
				'Buttons',
				`has ${titles.length} buttons; use ${SOBOT.buttonsMin} to ${SOBOT.buttonsMax}`,
			);
		}
		const seen = new Map<string, number>();
		titles.forEach((title, index) => {
			const label = `Buttons › Title`;
			if (!title) throw invalidField(ctx, itemIndex, label, `button ${index + 1} has no title`);
			if (title.length > SOBOT.buttonTitleLength) {
				throw invalidField(
					ctx,
					itemIndex,
					label,
					`button ${index + 1} ("${title}") is ${title.length} characters long; the most allowed is ${SOBOT.buttonTitleLength}`,
				);
			}
			const twin = seen.get(title.toLowerCase());
			if (twin !== undefined) {
				throw invalidField(
					ctx,
					itemIndex,
					label,
					`buttons ${twin + 1} and ${index + 1} are both "${title}"; titles must differ`,
				);
			}
			seen.set(title.toLowerCase(), index);
		});
		body.buttons = titles;
		return body;
	},
};
