/** The `/message/` body of a template send, shared by Message → Send Template and Campaign → Send. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Recipient } from '../recipient';
import { readRecipient } from '../recipient';
import type { TemplateLookup } from './choice';
import { readTemplate } from './choice';
import { checkBodyCount, readTemplateParameters } from './parameters';

export interface TemplateSend extends Recipient {
	type: 'template';
	template_name: string;
	template_lang: string;
	params?: IDataObject[];
}

export async function prepareTemplateSend(
	ctx: IExecuteFunctions,
	itemIndex: number,
	lookup: TemplateLookup,
	options: { mustBeKnown?: boolean } = {},
): Promise<TemplateSend> {
	const recipient = readRecipient(ctx, itemIndex);
	const template = await readTemplate(ctx, itemIndex, lookup, options);
	const parameters = readTemplateParameters(ctx, itemIndex);
	checkBodyCount(ctx, itemIndex, template, parameters);
	const body: TemplateSend = {
		...recipient,
		type: 'template',
		template_name: template.name,
		template_lang: template.language,
	};
	if (parameters.params.length > 0) body.params = parameters.params;
	return body;
}
