import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { icon } from '../icon';

import * as campaign from './actions/campaign';
import * as chat from './actions/chat';
import * as contact from './actions/contact';
import * as message from './actions/message';
import { router } from './actions/router';
import { listSearch } from './methods';
import { outputsForOperation } from '../../shared/conversation/waitForReply';

export class WaChatProV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WAChatPro',
		name: 'waChatPro',
		icon,
		group: ['output'],
		version: 1,
		// What the canvas shows under the node: words, not option values (test/nodes/picker.test.ts keeps it complete).
		subtitle:
			'={{ ({"message:sendAndWaitForReply":"Message: Send and Wait for Reply","message:sendText":"Message: Send Text","message:sendFile":"Message: Send File","message:sendFileFromUrl":"Message: Send File From URL","chat:getAll":"Chat: Get Many","chat:getMessages":"Chat: Get Messages","contact:getAll":"Contact: Get Many","campaign:report":"Campaign: Report"})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description:
			'Send WhatsApp messages and files, and read chats, messages and contacts through WAChatPro',
		defaults: { name: 'WAChatPro' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: outputsForOperation,
		// A report counts what a send already output: it makes no request, so it needs no credential.
		credentials: [
			{ name: 'waChatProApi', required: true, displayOptions: { hide: { operation: ['report'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Chat', value: 'chat' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Message', value: 'message' },
				],
				default: 'message',
			},
			...message.description,
			...chat.description,
			...contact.description,
			...campaign.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
