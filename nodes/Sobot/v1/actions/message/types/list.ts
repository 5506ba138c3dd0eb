import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString } from '../../../../../shared/parameters/fields';
import { invalidField } from '../../../../../shared/execution/items';
import { META, SOBOT } from '../../../../limits';
import type { MessageTypeDefinition } from './definition';
import { forTypes } from './definition';
import { readEntries, text } from '../../common/entries';
import { readInteractive } from './interactive';
import { readSectionsJson, sectionsModeProperty } from './sections';

export const listProperties: INodeProperties[] = [
	{
		displayName: 'List Button',
		name: 'listButton',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Choose',
		displayOptions: forTypes('list'),
		description: `The button that opens the list, up to ${META.listButtonLength} characters`,
	},
	sectionsModeProperty('list'),
	{
		displayName: 'Sections',
		name: 'listSections',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Section',
		default: {},
		displayOptions: { show: { messageType: ['list'], listSectionsMode: ['ui'] } },
		description: `At most ${SOBOT.listRowsTotal} rows in all sections together`,
		options: [
			{
				displayName: 'Section',
				name: 'section',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: 'Needed when there is more than one section; up to 24 characters',
					},
					{
						displayName: 'Rows',
						name: 'rows',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true, sortable: true },
						placeholder: 'Add Row',
						default: {},
						options: [
							{
								displayName: 'Row',
								name: 'row',
								values: [
									{
										displayName: 'ID',
										name: 'id',
										type: 'string',
										default: '',
										description:
											'What comes back when the customer picks this row; unique in the list',
									},
									{ displayName: 'Title', name: 'title', type: 'string', default: '' },
									{ displayName: 'Description', name: 'description', type: 'string', default: '' },
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Sections (JSON)',
		name: 'listSectionsJson',
		type: 'json',
		default: '[{"title": "Section", "rows": [{"id": "row-1", "title": "Row", "description": ""}]}]',
		displayOptions: { show: { messageType: ['list'], listSectionsMode: ['json'] } },
		description: 'Sobot\'s "sections": [{title, rows: [{ID, title, description}]}]',
	},
];

interface Section {
	title: string;
	rows: IDataObject[];
}

function sectionsFromUi(ctx: IExecuteFunctions, itemIndex: number): Section[] {
	return readEntries(ctx, itemIndex, 'listSections.section').map((section) => {
		const rows = (section.rows as IDataObject | undefined)?.row;
		return {
			title: text(section.title),
			rows: (Array.isArray(rows) ? rows : rows ? [rows] : []) as IDataObject[],
		};
	});
}

function sectionsFromJson(ctx: IExecuteFunctions, itemIndex: number): Section[] {
	return readSectionsJson(ctx, itemIndex, 'listSectionsJson', 'Sections (JSON)').map(
		(section, index) => {
			if (section.rows !== undefined && !Array.isArray(section.rows)) {
				throw invalidField(
					ctx,
					itemIndex,
					'Sections (JSON)',
					`section ${index + 1}'s "rows" must be a list`,
				);
			}
			return { title: text(section.title), rows: (section.rows ?? []) as IDataObject[] };
		},
	);
}

function validate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	sections: Section[],
	label: string,
): IDataObject[] {
	const rowLabel = `${label} › Rows`;
	const limit = (what: string, value: string, max: number, where: string) => {
		if (value.length > max) {
			throw invalidField(
				ctx,
				itemIndex,
				rowLabel,
				`${where} ${what} "${value}" is ${value.length} characters long; the most allowed is ${max}`,
			);
		}
	};
	if (sections.length === 0)
		throw invalidField(ctx, itemIndex, label, 'needs at least one section with rows');
	if (sections.length > META.listSectionsMax) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`has ${sections.length} sections; the most allowed is ${META.listSectionsMax}`,
		);
	}
	const total = sections.reduce((sum, section) => sum + section.rows.length, 0);
	if (total === 0)
		throw invalidField(ctx, itemIndex, rowLabel, 'the list has no rows; add at least one');
	if (total > SOBOT.listRowsTotal) {
		throw invalidField(
			ctx,
			itemIndex,
			rowLabel,
			`the list has ${total} rows in all; the most allowed is ${SOBOT.listRowsTotal}`,
		);
	}
	const ids = new Set<string>();
	return sections.map((section, s) => {
		const where = `section ${s + 1}`;
		if (!section.title && sections.length > 1) {
			throw invalidField(
				ctx,
				itemIndex,
				`${label} › Title`,
				`${where} has no title; every section needs one when there are several`,
			);
		}
		if (section.title.length > META.listSectionTitleLength) {
			throw invalidField(
				ctx,
				itemIndex,
				`${label} › Title`,
				`${where}'s title is ${section.title.length} characters long; the most allowed is ${META.listSectionTitleLength}`,
			);
		}
		if (section.rows.length === 0)
			throw invalidField(ctx, itemIndex, rowLabel, `${where} has no rows`);
		const rows = section.rows.map((row, r) => {
			const at = `${where}, row ${r + 1}:`;
			const id = text(row.id);
			const title = text(row.title);
			const description = text(row.description);
			if (!id) throw invalidField(ctx, itemIndex, rowLabel, `${at} the ID is empty`);
			if (!title) throw invalidField(ctx, itemIndex, rowLabel, `${at} the title is empty`);
			if (ids.has(id))
				throw invalidField(
					ctx,
					itemIndex,
					rowLabel,
					`${at} the ID "${id}" is used twice; row IDs must differ`,
				);
			ids.add(id);
			limit('ID', id, META.listRowIdLength, at);
			limit('title', title, META.listRowTitleLength, at);
			limit('description', description, META.listRowDescriptionLength, at);
			return description ? { id, title, description } : { id, title };
		});
		return section.title ? { title: section.title, rows } : { rows };
	});
}

export const list: MessageTypeDefinition = {
	name: 'List',
	value: 'list',
	description: `Text with a button that opens a list of up to ${SOBOT.listRowsTotal} rows`,
	build: (ctx, itemIndex) => {
		const body = readInteractive(ctx, itemIndex, 'list');
		const button = readString(ctx, itemIndex, 'listButton', 'List Button', {
			maxLength: META.listButtonLength,
		});
		const json = ctx.getNodeParameter('listSectionsMode', itemIndex, 'ui') === 'json';
		const label = json ? 'Sections (JSON)' : 'Sections';
		const sections = json ? sectionsFromJson(ctx, itemIndex) : sectionsFromUi(ctx, itemIndex);
		body.list_obj = { button, sections: validate(ctx, itemIndex, sections, label) };
		return body;
	},
};
