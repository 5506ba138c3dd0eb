/** What the interactive types (quick-reply buttons, list, product list) share: body text, header and footer. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString } from '../../../../../shared/parameters/fields';
import { META, SOBOT } from '../../../../limits';
import { forTypes } from './definition';

const INTERACTIVE = ['quickReply', 'list', 'product'];

export const interactiveProperties: INodeProperties[] = [
	{
		displayName: 'Header',
		name: 'header',
		type: 'string',
		default: '',
		displayOptions: forTypes(...INTERACTIVE),
		description: `Optional text above the message, up to ${SOBOT.headerLength} characters`,
	},
	{
		displayName: 'Footer',
		name: 'footer',
		type: 'string',
		default: '',
		displayOptions: forTypes(...INTERACTIVE),
		description: `Optional small text below the message, up to ${SOBOT.footerLength} characters (Sobot calls it "caption")`,
	},
];

export function readInteractive(
	ctx: IExecuteFunctions,
	itemIndex: number,
	type: string,
): IDataObject {
	const body: IDataObject = {
		type,
		message: readString(ctx, itemIndex, 'text', 'Text', {
			trim: false,
			maxLength: META.interactiveBodyLength,
		}),
	};
	const header = readString(ctx, itemIndex, 'header', 'Header', {
		required: false,
		maxLength: SOBOT.headerLength,
	});
	const footer = readString(ctx, itemIndex, 'footer', 'Footer', {
		required: false,
		maxLength: SOBOT.footerLength,
	});
	if (header) body.header = header;
	if (footer) body.caption = footer;
	return body;
}
