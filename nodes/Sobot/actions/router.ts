import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as campaign from './campaign';
import * as customer from './customer';
import * as message from './message';
import * as template from './template';

type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Execute>> = {
	customer: { add: customer.add.execute, update: customer.update.execute, getAll: customer.getAll.execute },
	message: { send: message.send.execute, sendTemplate: message.sendTemplate.execute },
	template: { create: template.create.execute, get: template.get.execute, getAll: template.getAll.execute },
	campaign: { send: campaign.send.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return [await execute.call(this)];
}
