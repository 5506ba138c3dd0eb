import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { defaultCountryCodeProperty, readNumber } from '../../../../shared/parameters/fields';
import { phoneNumberLocator } from '../../../../shared/parameters/resourceLocator';
import { forEachItem, invalidField } from '../../../../shared/execution/items';
import { sobotRequest } from '../../../transport';
import { customerFieldsProperty, readCustomerFields } from './fields';
import { replyAsObject } from '../../../../shared/http/replies';

const properties: INodeProperties[] = [
	phoneNumberLocator({
		displayName: 'Customer',
		name: 'mobile',
		description: 'The customer to update; Sobot finds customers by mobile number',
		searchListMethod: 'searchCustomers',
		listPlaceholder: 'Select a customer...',
		firstMode: 'list',
		typedMode: 'mobile',
		placeholder: '+91 98123 45678',
	}),
	defaultCountryCodeProperty,
	customerFieldsProperty('updateFields', 'Update Fields', { withName: true }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const mobile = readNumber(this, itemIndex, 'mobile', 'Customer', 'digits');
		const fields = readCustomerFields(this, itemIndex, 'updateFields', 'Update Fields');
		if (Object.keys(fields).length === 0) {
			throw invalidField(
				this,
				itemIndex,
				'Update Fields',
				'is empty: add at least one field to update',
			);
		}
		const { body } = await sobotRequest(this, {
			method: 'PUT',
			path: `/api/customer/${encodeURIComponent(mobile)}`,
			body: fields,
		});
		return { mobile, action: 'updated', ...replyAsObject(body) };
	});
}
