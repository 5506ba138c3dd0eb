/** The optional header (text, or image/video/document, which makes the template a MEDIA one) and the footer. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString, readUrl } from '../../../../../shared/parameters/fields';
import { invalidField } from '../../../../../shared/execution/items';
import { SOBOT } from '../../../../limits';
import { variableNumbers } from '../../common/template/variables';

export const headerProperties: INodeProperties[] = [
	{
		displayName: 'Header Type',
		name: 'headerType',
		type: 'options',
		options: [
			{ name: 'Document', value: 'document' },
			{ name: 'Image', value: 'image' },
			{ name: 'None', value: 'none' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
		default: 'none',
		description: 'A media header makes the template a MEDIA template',
	},
	{
		displayName: 'Header Text',
		name: 'headerText',
		type: 'string',
		default: '',
		displayOptions: { show: { headerType: ['text'] } },
		description: `Up to ${SOBOT.templateHeaderLength} characters, with at most one variable {{1}}`,
	},
	{
		displayName: 'Header Example',
		name: 'headerExample',
		type: 'string',
		default: '',
		displayOptions: { show: { headerType: ['text'] } },
		description: 'A sample value for {{1}} when the header text has it',
	},
	{
		displayName: 'Sample Media URL',
		name: 'sampleMediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/sample.jpg',
		displayOptions: { show: { headerType: ['image', 'video', 'document'] } },
		description: "Public URL of a sample header file for Meta's review",
	},
	{
		displayName: 'Footer',
		name: 'footer',
		type: 'string',
		default: '',
		description: `Optional, up to ${SOBOT.templateFooterLength} characters, no variables`,
	},
];

const HEADER_TYPES = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'];

export function readHeader(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const headerType = String(ctx.getNodeParameter('headerType', itemIndex, 'none')).toUpperCase();
	if (!HEADER_TYPES.includes(headerType)) {
		throw invalidField(
			ctx,
			itemIndex,
			'Header Type',
			`"${headerType}" is not one of ${HEADER_TYPES.join(', ')}`,
		);
	}
	const result: IDataObject = {
		template_type: headerType === 'NONE' || headerType === 'TEXT' ? 'TEXT' : 'MEDIA',
	};
	if (headerType === 'TEXT') {
		const header = readString(ctx, itemIndex, 'headerText', 'Header Text', {
			maxLength: SOBOT.templateHeaderLength,
		});
		const numbers = variableNumbers(header);
		if (numbers.length > 1 || (numbers.length === 1 && numbers[0] !== 1)) {
			throw invalidField(
				ctx,
				itemIndex,
				'Header Text',
				'may hold one variable only, and it must be {{1}}',
			);
		}
		result.header_type = 'TEXT';
		result.header = header;
		if (numbers.length === 1) {
			const example = readString(ctx, itemIndex, 'headerExample', 'Header Example');
			result.example_header_param = { header_text: [example] };
		}
	} else if (headerType !== 'NONE') {
		result.header_type = headerType;
		result.example = readUrl(ctx, itemIndex, 'sampleMediaUrl', 'Sample Media URL');
	}
	const footer = readString(ctx, itemIndex, 'footer', 'Footer', {
		required: false,
		maxLength: SOBOT.templateFooterLength,
	});
	if (variableNumbers(footer).length > 0)
		throw invalidField(ctx, itemIndex, 'Footer', 'may not hold variables');
	if (footer) result.footer = footer;
	return result;
}
