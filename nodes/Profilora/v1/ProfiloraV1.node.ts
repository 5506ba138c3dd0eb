import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { icon } from '../icon';

import * as campaign from './actions/campaign';
import * as message from './actions/message';
import { router } from './actions/router';
import { PROFILORA_MEDIA_HOSTS } from '../transport';
import {
	outputsForOperation,
	replyWebhooks,
	resumeWithReply,
} from '../../shared/conversation/waitForReply';

export class ProfiloraV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Profilora',
		name: 'profilora',
		icon,
		group: ['output'],
		version: 1,
		// What the canvas shows under the node: words, not option values (test/nodes/picker.test.ts keeps it complete).
		subtitle:
			'={{ ({"message:sendAndWaitForReply":"Send and Wait for Reply","message:sendText":"Send Text","campaign:report":"Campaign Report"})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: 'Send WhatsApp messages through the Profilora gateway',
		defaults: { name: 'Profilora' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: outputsForOperation,
		// Served only while a Send and Wait for Reply execution waits: the trigger posts the customer's answer there.
		webhooks: replyWebhooks(),
		// A report counts what a send already output: it makes no request, so it needs no credential.
		credentials: [
			{ name: 'profiloraApi', required: true, displayOptions: { hide: { operation: ['report'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Message', value: 'message' },
				],
				default: 'message',
			},
			...campaign.description,
			...message.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	/** The resume webhook of Send and Wait for Reply (nodes/shared/conversation/waitForReply.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeWithReply(this, PROFILORA_MEDIA_HOSTS);
	}
}
