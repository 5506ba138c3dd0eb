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
import * as customer from './actions/customer';
import * as message from './actions/message';
import { router } from './actions/router';
import {
	outputsForOperation,
	replyWebhooks,
	resumeWithReply,
} from '../../shared/conversation/waitForReply';
import * as template from './actions/template';
import { listSearch } from './methods';
import { SOBOT_MEDIA_HOSTS } from '../transport';

export class SobotV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sobot',
		name: 'sobot',
		icon,
		group: ['output'],
		version: 1,
		// What the canvas shows under the node: words, not option values (test/nodes/picker.test.ts keeps it complete).
		subtitle:
			'={{ ({"message:sendAndWaitForReply":"Message: Send and Wait for Reply","campaign:send":"Campaign: Send","campaign:report":"Campaign: Report","customer:add":"Customer: Add","customer:getAll":"Customer: Get Many","customer:update":"Customer: Update","message:send":"Message: Send","message:sendTemplate":"Message: Send Template","template:create":"Template: Create","template:get":"Template: Get","template:getAll":"Template: Get Many"})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description:
			'Manage customers and templates and send WhatsApp messages and campaigns through Sobot',
		defaults: { name: 'Sobot' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: outputsForOperation,
		// Served only while a Send and Wait for Reply execution waits: the trigger posts the customer's answer there.
		webhooks: replyWebhooks(),
		// A report counts what a send already output: it makes no request, so it needs no credential.
		credentials: [
			{ name: 'sobotApi', required: true, displayOptions: { hide: { operation: ['report'] } } },
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Customer', value: 'customer' },
					{ name: 'Message', value: 'message' },
					{ name: 'Template', value: 'template' },
				],
				default: 'message',
			},
			...campaign.description,
			...customer.description,
			...message.description,
			...template.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	/** The resume webhook of Send and Wait for Reply (nodes/shared/conversation/waitForReply.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeWithReply(this, SOBOT_MEDIA_HOSTS);
	}
}
