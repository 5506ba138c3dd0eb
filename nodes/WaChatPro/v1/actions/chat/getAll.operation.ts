import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../shared/execution/items';
import { readLimit, returnAllOrLimit } from '../../../../shared/parameters/lists';
import { fetchList, RETURN_ALL_LIMIT } from '../../../transport';

const show = { resource: ['chat'], operation: ['getAll'] };

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	...returnAllOrLimit(show),
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		return await fetchList(
			this,
			'/wa/chats',
			{ limit: Number.isFinite(limit) ? limit : RETURN_ALL_LIMIT },
			'chats',
			limit,
		);
	});
}
