import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../shared/execution/items';
import { readLimit, returnAllOrLimit } from '../../../../shared/parameters/lists';
import { sobotList } from '../../../transport';

const show = { resource: ['customer'], operation: ['getAll'] };

const properties: INodeProperties[] = [...returnAllOrLimit(show)];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const limit = readLimit(this, itemIndex);
		return await sobotList(this, '/api/customer', { limit });
	});
}
