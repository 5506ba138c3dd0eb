/** Who a message goes to: Sobot wants the number (digits with country code) and the customer's name with every send. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	defaultCountryCodeProperty,
	readNumber,
	readString,
} from '../../../../shared/parameters/fields';
import { SOBOT } from '../../../limits';

export interface Recipient {
	customer_number: string;
	customer_name: string;
}

export function recipientProperties({
	numberDefault = '',
	nameDefault = '',
}: { numberDefault?: string; nameDefault?: string } = {}): INodeProperties[] {
	return [
		{
			displayName: 'Recipient',
			name: 'recipient',
			type: 'string',
			required: true,
			default: numberDefault,
			placeholder: '+91 98123 45678',
			description:
				"The customer's phone number in any common form; it is sent as digits with the country code",
		},
		{
			displayName: 'Customer Name',
			name: 'customerName',
			type: 'string',
			required: true,
			default: nameDefault,
			description: "The customer's name: Sobot requires it with every message",
		},
		defaultCountryCodeProperty,
	];
}

export function readRecipient(ctx: IExecuteFunctions, itemIndex: number): Recipient {
	return {
		customer_number: readNumber(ctx, itemIndex, 'recipient', 'Recipient', 'digits'),
		customer_name: readString(ctx, itemIndex, 'customerName', 'Customer Name', {
			maxLength: SOBOT.customerNameLength,
		}),
	};
}
