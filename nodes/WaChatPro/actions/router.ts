import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as chat from './chat';
import * as contact from './contact';
import * as message from './message';

const operations: Record<string, Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[]>>> = {
	message: {
		sendText: message.sendText.execute,
		sendFile: message.sendFile.execute,
		sendFileFromUrl: message.sendFileFromUrl.execute,
	},
	chat: { getMany: chat.getMany.execute, getMessages: chat.getMessages.execute },
	contact: { getMany: contact.getMany.execute },
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
