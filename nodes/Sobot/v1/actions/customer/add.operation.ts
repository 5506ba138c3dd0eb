import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	defaultCountryCodeProperty,
	readNumber,
	readString,
} from '../../../../shared/parameters/fields';
import { asNodeError, forEachItem } from '../../../../shared/execution/items';
import { GatewayError, vendorMessage } from '../../../../shared/http/transport';
import { replyAsObject } from '../../../../shared/http/replies';
import { SOBOT } from '../../../limits';
import { sobotRequest } from '../../../transport';
import { customerFieldsProperty, readCustomerFields } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Mobile',
		name: 'mobile',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+91 98123 45678',
		description:
			"The customer's phone number in any common form; Sobot stores it as digits with the country code",
	},
	{
		displayName: 'Customer Name',
		name: 'customerName',
		type: 'string',
		required: true,
		default: '',
		description: `Up to ${SOBOT.customerNameLength} characters`,
	},
	defaultCountryCodeProperty,
	{
		displayName: 'Update If It Exists',
		name: 'updateIfExists',
		type: 'boolean',
		default: false,
		description:
			'Whether to update the customer when Sobot says one with this mobile already exists, instead of failing',
	},
	customerFieldsProperty('additionalFields', 'Additional Fields'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['add'] } },
	properties,
);

function alreadyExists(error: unknown): boolean {
	return (
		error instanceof GatewayError &&
		/already exists/i.test(vendorMessage(error.details.body) ?? error.message)
	);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const mobile = readNumber(this, itemIndex, 'mobile', 'Mobile', 'digits');
		const name = readString(this, itemIndex, 'customerName', 'Customer Name', {
			maxLength: SOBOT.customerNameLength,
		});
		const fields = readCustomerFields(this, itemIndex, 'additionalFields', 'Additional Fields');
		const updateIfExists = this.getNodeParameter('updateIfExists', itemIndex, false) as boolean;
		const added = await sobotRequest(this, {
			method: 'POST',
			path: '/api/customer',
			body: { mobile, name, ...fields },
		}).then(
			({ body }) => ({ body }),
			(error: unknown) => ({ error }),
		);
		if ('body' in added) return { mobile, action: 'added', ...replyAsObject(added.body) };
		if (!updateIfExists || !alreadyExists(added.error))
			throw asNodeError(this, added.error, itemIndex);
		const { body } = await sobotRequest(this, {
			method: 'PUT',
			path: `/api/customer/${encodeURIComponent(mobile)}`,
			body: { name, ...fields },
		});
		return { mobile, action: 'updated', ...replyAsObject(body) };
	});
}
