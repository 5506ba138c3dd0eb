import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../../../../shared/execution/items';
import { META } from '../../../../limits';
import type { MessageTypeDefinition } from './definition';
import { readEntries, text } from '../../common/entries';
import { readInteractive } from './interactive';
import { readSectionsJson, sectionsModeProperty } from './sections';

export const productProperties: INodeProperties[] = [
	sectionsModeProperty('product'),
	{
		displayName: 'Sections',
		name: 'productSections',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Section',
		default: {},
		displayOptions: { show: { messageType: ['product'], productSectionsMode: ['ui'] } },
		description: 'Products from the Meta catalog connected to your Sobot number, at most 30 in all',
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{ displayName: 'Title', name: 'title', type: 'string', default: '' },
					{
						displayName: 'Product Retailer IDs',
						name: 'productRetailerIds',
						type: 'string',
						default: '',
						placeholder: 'sku-1, sku-2',
						description:
							'The catalog IDs (SKUs) of the products in this section, separated by commas',
					},
				],
			},
		],
	},
	{
		displayName: 'Sections (JSON)',
		name: 'productSectionsJson',
		type: 'json',
		default: '[{"title": "Section", "product_items": [{"product_retailer_id": "sku-1"}]}]',
		displayOptions: { show: { messageType: ['product'], productSectionsMode: ['json'] } },
		description: 'Sobot\'s "sections": [{title, product_items: [{product_retailer_id}]}]',
	},
];

interface Section {
	title: string;
	ids: string[];
}

function sectionsFromUi(ctx: IExecuteFunctions, itemIndex: number): Section[] {
	return readEntries(ctx, itemIndex, 'productSections.section').map((section) => ({
		title: text(section.title),
		ids: text(section.productRetailerIds)
			.split(',')
			.map((id) => id.trim())
			.filter((id) => id !== ''),
	}));
}

function sectionsFromJson(ctx: IExecuteFunctions, itemIndex: number): Section[] {
	const label = 'Sections (JSON)';
	return readSectionsJson(ctx, itemIndex, 'productSectionsJson', label).map((section, index) => {
		const items = section.product_items ?? [];
		if (!Array.isArray(items))
			throw invalidField(
				ctx,
				itemIndex,
				label,
				`section ${index + 1}'s "product_items" must be a list`,
			);
		return {
			title: text(section.title),
			ids: items.map((item) => text((item as IDataObject | null)?.product_retailer_id)),
		};
	});
}

function validate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	sections: Section[],
	label: string,
): IDataObject[] {
	if (sections.length === 0)
		throw invalidField(ctx, itemIndex, label, 'needs at least one section with products');
	if (sections.length > META.productSectionsMax) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`has ${sections.length} sections; the most allowed is ${META.productSectionsMax}`,
		);
	}
	const total = sections.reduce((sum, section) => sum + section.ids.length, 0);
	if (total > META.productItemsTotal) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`has ${total} products in all; the most allowed is ${META.productItemsTotal}`,
		);
	}
	return sections.map((section, index) => {
		const where = `section ${index + 1}`;
		if (!section.title)
			throw invalidField(ctx, itemIndex, `${label} › Title`, `${where} has no title`);
		if (section.ids.length === 0)
			throw invalidField(
				ctx,
				itemIndex,
				`${label} › Product Retailer IDs`,
				`${where} has no products`,
			);
		const blank = section.ids.findIndex((id) => id === '');
		if (blank >= 0)
			throw invalidField(
				ctx,
				itemIndex,
				`${label} › Product Retailer IDs`,
				`${where}, product ${blank + 1} has no ID`,
			);
		return {
			title: section.title,
			product_items: section.ids.map((id) => ({ product_retailer_id: id })),
		};
	});
}

export const product: MessageTypeDefinition = {
	name: 'Product List',
	value: 'product',
	description: 'Text with products from your Meta catalog',
	build: (ctx, itemIndex) => {
		const body = readInteractive(ctx, itemIndex, 'product');
		const json = ctx.getNodeParameter('productSectionsMode', itemIndex, 'ui') === 'json';
		const label = json ? 'Sections (JSON)' : 'Sections';
		const sections = json ? sectionsFromJson(ctx, itemIndex) : sectionsFromUi(ctx, itemIndex);
		body.product_list = { sections: validate(ctx, itemIndex, sections, label) };
		return body;
	},
};
