import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { defaultCountryCodeProperty, readNumber } from '../../../../shared/parameters/fields';
import { forEachItem } from '../../../../shared/execution/items';
import { readLimit, returnAllOrLimit } from '../../../../shared/parameters/lists';
import { fetchList, RETURN_ALL_LIMIT } from '../../../transport';
import { chatProperty } from '../common';

const show = { resource: ['chat'], operation: ['getMessages'] };

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	chatProperty("The chat: picked from the account's chats, or the other party's phone number"),
	...returnAllOrLimit(show),
	defaultCountryCodeProperty,
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const phone = readNumber(this, itemIndex, 'mobile', 'Chat', 'digits');
		const limit = readLimit(this, itemIndex);
		return await fetchList(
			this,
			'/wa/messages',
			{ phone, limit: Number.isFinite(limit) ? limit : RETURN_ALL_LIMIT },
			'messages',
			limit,
		);
	});
}
