/** The template body with its `{{n}}` variables and the examples Meta's review needs for them. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString } from '../../../../../shared/parameters/fields';
import { invalidField } from '../../../../../shared/execution/items';
import { SOBOT } from '../../../../limits';
import { readEntries } from '../../common/entries';
import { variableNumbers } from '../../common/template/variables';

export const bodyProperties: INodeProperties[] = [
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		placeholder: 'Hi {{1}}, your order {{2}} has shipped.',
		description: `Up to ${SOBOT.templateBodyLength} characters, with variables {{1}}, {{2}} and so on in order`,
	},
	{
		displayName: 'Body Examples',
		name: 'bodyExamples',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Example',
		default: {},
		description: "One sample value per body variable, in order; for Meta's review",
		options: [
			{
				displayName: 'Example',
				name: 'example',
				values: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
			},
		],
	},
];

export function readBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const body = readString(ctx, itemIndex, 'body', 'Body', {
		trim: false,
		maxLength: SOBOT.templateBodyLength,
	});
	const numbers = variableNumbers(body);
	const expected = numbers.map((_, index) => index + 1);
	if (numbers.some((number, index) => number !== expected[index])) {
		throw invalidField(
			ctx,
			itemIndex,
			'Body',
			`variables must be numbered {{1}}, {{2}}... in order of appearance; found ${numbers.map((n) => `{{${n}}}`).join(', ')}`,
		);
	}
	const examples = readEntries(ctx, itemIndex, 'bodyExamples.example').map((entry) =>
		entry.value === null || entry.value === undefined ? '' : String(entry.value),
	);
	if (examples.length !== numbers.length) {
		throw invalidField(
			ctx,
			itemIndex,
			'Body Examples',
			`the body has ${numbers.length} variable(s) but ${examples.length} example(s) were given`,
		);
	}
	const empty = examples.findIndex((value) => value.trim() === '');
	if (empty >= 0)
		throw invalidField(
			ctx,
			itemIndex,
			'Body Examples',
			`example ${empty + 1} (for {{${empty + 1}}}) is empty`,
		);
	const result: IDataObject = { body };
	if (examples.length > 0) result.example_body_param = { body_text: [examples] };
	return result;
}
