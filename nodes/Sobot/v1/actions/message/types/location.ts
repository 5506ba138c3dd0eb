import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readString } from '../../../../../shared/parameters/fields';
import { invalidField } from '../../../../../shared/execution/items';
import { META } from '../../../../limits';
import type { MessageTypeDefinition } from './definition';
import { forTypes } from './definition';

export const locationProperties: INodeProperties[] = [
	{
		displayName: 'Latitude',
		name: 'latitude',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { numberPrecision: 7 },
		displayOptions: forTypes('location'),
		description: 'From -90 to 90',
	},
	{
		displayName: 'Longitude',
		name: 'longitude',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { numberPrecision: 7 },
		displayOptions: forTypes('location'),
		description: 'From -180 to 180',
	},
	{
		displayName: 'Location Name',
		name: 'locationName',
		type: 'string',
		default: '',
		displayOptions: forTypes('location'),
	},
	{
		displayName: 'Address',
		name: 'address',
		type: 'string',
		default: '',
		displayOptions: forTypes('location'),
	},
];

function readCoordinate(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	bound: number,
): number {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const value = typeof raw === 'string' && raw.trim() === '' ? NaN : Number(raw);
	if (!Number.isFinite(value) || Math.abs(value) > bound) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`"${String(raw)}" must be a number from -${bound} to ${bound}`,
		);
	}
	return value;
}

export const location: MessageTypeDefinition = {
	name: 'Location',
	value: 'location',
	description: 'A map pin with an optional name and address',
	build: (ctx, itemIndex) => {
		const body: IDataObject = {
			type: 'location',
			latitude: readCoordinate(ctx, itemIndex, 'latitude', 'Latitude', 90),
			longitude: readCoordinate(ctx, itemIndex, 'longitude', 'Longitude', 180),
		};
		const name = readString(ctx, itemIndex, 'locationName', 'Location Name', {
			required: false,
			maxLength: META.locationNameLength,
		});
		const address = readString(ctx, itemIndex, 'address', 'Address', {
			required: false,
			maxLength: META.locationNameLength,
		});
		if (name) body.location_name = name;
		if (address) body.address = address;
		return body;
	},
};
