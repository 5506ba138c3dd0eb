import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readString } from '../../../../../shared/parameters/fields';
import { forEachItem, invalidField } from '../../../../../shared/execution/items';
import { SOBOT } from '../../../../limits';
import { sobotRequest } from '../../../../transport';
import { bodyProperties, readBody } from './body';
import { buttonProperties, readButtons } from './buttons';
import { headerProperties, readHeader } from './header';
import { isObject } from '../../../../../shared/http/replies';

const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

const properties: INodeProperties[] = [
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'order_update',
		description: `Unique; lowercase letters, digits and underscores, up to ${SOBOT.templateNameLength} characters`,
	},
	{
		displayName: 'Category',
		name: 'category',
		type: 'options',
		options: [
			{ name: 'Authentication', value: 'authentication' },
			{ name: 'Marketing', value: 'marketing' },
			{ name: 'Utility', value: 'utility' },
		],
		default: 'utility',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: 'en_US',
		description: 'Language code such as en or en_US',
	},
	...headerProperties,
	...bodyProperties,
	...buttonProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['template'], operation: ['create'] } },
	properties,
);

function readName(ctx: IExecuteFunctions, itemIndex: number): string {
	const name = readString(ctx, itemIndex, 'templateName', 'Template Name', {
		maxLength: SOBOT.templateNameLength,
	});
	// Sobot forbids spaces; Meta allows only lowercase letters, digits and underscores.
	if (!/^[a-z0-9_]+$/.test(name)) {
		throw invalidField(
			ctx,
			itemIndex,
			'Template Name',
			`"${name}" may hold only lowercase letters, digits and underscores (no spaces)`,
		);
	}
	return name;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const category = String(this.getNodeParameter('category', itemIndex, 'utility')).toUpperCase();
		if (!CATEGORIES.includes(category)) {
			throw invalidField(
				this,
				itemIndex,
				'Category',
				`"${category}" is not one of ${CATEGORIES.join(', ')}`,
			);
		}
		const template: IDataObject = {
			category,
			entity_name: readName(this, itemIndex),
			lang_code:
				readString(this, itemIndex, 'language', 'Language', { required: false }) || 'en_US',
			...readHeader(this, itemIndex),
			...readBody(this, itemIndex),
			...readButtons(this, itemIndex),
		};
		const { body } = await sobotRequest(this, {
			method: 'POST',
			path: '/api/template/',
			body: template,
		});
		const reply = isObject(body) ? body : {};
		// Meta reviews every new template: it cannot be sent until Template → Get Many lists it as approved.
		return { name: template.entity_name, status_name: 'pending', ...reply };
	});
}
