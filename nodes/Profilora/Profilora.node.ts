import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as message from './actions/message';
import { router } from './actions/router';

export class Profilora implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Profilora',
		name: 'profilora',
		icon: { light: 'file:profilora.svg', dark: 'file:profilora.dark.svg' },
		group: ['output'],
		version: 1,
		// What the canvas shows under the node: words, not option values (test/nodes/picker.test.ts keeps it complete).
		subtitle: '={{ ({"message:sendText":"Send Text"})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: 'Send WhatsApp messages through the Profilora gateway',
		defaults: { name: 'Profilora' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'profiloraApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Message', value: 'message' }],
				default: 'message',
			},
			...message.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
