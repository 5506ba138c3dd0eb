import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../../shared/execution/items';
import { readLimit, returnAllOrLimit } from '../../../../shared/parameters/lists';
import { fetchList } from '../../../transport';

const show = { resource: ['contact'], operation: ['getAll'] };

export const description: INodeProperties[] = updateDisplayOptions({ show }, [
	...returnAllOrLimit(show),
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		// /wa/contacts takes no limit: the gateway always sends every contact, and the limit applies here.
		return await fetchList(this, '/wa/contacts', {}, 'contacts', readLimit(this, itemIndex));
	});
}
