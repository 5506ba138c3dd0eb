import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty } from '../shared/webhook/auth';
import { webhookSecretTest } from '../shared/webhook/credentialTest';
import { eventsProperties, eventsSubtitle } from '../shared/webhook/filter';
import { handleTriggerExecution, handleTriggerRequest } from '../shared/webhookTrigger/handler';
import { mediaDownloadProperties } from '../shared/webhook/media';
import { statusBatchNotice, triggerOptionsProperty } from '../shared/webhook/options';
import { dashboardWebhookMethods, triggerWebhooks } from '../shared/webhookTrigger/node';
import { basicAuthNotice, queryTokenNotice, setupNotice } from '../shared/webhookTrigger/setup';
import { SOBOT_MEDIA_HOSTS } from '../Sobot/transport';
import { sobotPayload } from './payload';

/** Sobot documents webhook bodies of up to 3 MB. */
const MAX_BODY_MB = 3;

export class SobotTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sobot Trigger',
		name: 'sobotTrigger',
		icon: { light: 'file:sobotTrigger.svg', dark: 'file:sobotTrigger.dark.svg' },
		group: ['trigger'],
		// Version 2 changes nothing in the node: n8n 2.x evaluates an expression on every request to a version-1
		// webhook node (the Webhook node v1's binaryData option, in webhook-helpers `parseRequestBody`), which with its
		// isolated-vm expression engine means building an isolate (docs/n8n-persistence.md §4). Version 1 stays for
		// workflows saved with it. Version 3 batches delivery statuses by default (Options › Status Batch Window 1 s:
		// one execution per batch, shared/webhook/batch.ts); versions 1 and 2 keep one execution per webhook.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: eventsSubtitle,
		// n8n's node picker merges this trigger with the node of the same name without "Trigger" into one entry and
		// shows this description for both (editor: generateMergedNodesAndActions), so it describes the whole app.
		description:
			'Send WhatsApp messages, templates and campaigns through Sobot, manage customers and templates, and start workflows on delivery statuses and incoming messages',
		defaults: { name: 'Sobot Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Listed here, not built by a shared helper: n8n's lint reads `testedBy` from the node class itself.
		credentials: [
			{
				name: 'whatsAppWebhookHeaderAuthApi',
				required: true,
				testedBy: 'webhookSecretTest',
				displayOptions: { show: { authentication: ['headerAuth'] } },
			},
			{
				name: 'whatsAppWebhookQueryAuthApi',
				required: true,
				testedBy: 'webhookSecretTest',
				displayOptions: { show: { authentication: ['queryAuth'] } },
			},
			{
				name: 'whatsAppWebhookBasicAuthApi',
				required: true,
				testedBy: 'webhookSecretTest',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
		],
		webhooks: triggerWebhooks(),
		activationMessage:
			'Paste the Production URL into the Sobot dashboard (app.sobot.in) as the webhook URL, if you have not yet.',
		properties: [
			setupNotice('Sobot', 'the webhook settings of the Sobot dashboard (app.sobot.in)'),
			authenticationProperty,
			queryTokenNotice,
			basicAuthNotice,
			...eventsProperties,
			statusBatchNotice,
			...mediaDownloadProperties(SOBOT_MEDIA_HOSTS, 'Sobot'),
			triggerOptionsProperty(MAX_BODY_MB),
		],
	};

	methods = { credentialTest: { webhookSecretTest } };

	webhookMethods = dashboardWebhookMethods('Sobot');

	/**
	 * Runs in the execution with the webhook's items: drops repeats, recorded in n8n's database (dedupe.ts), then
	 * downloads the media of the rest.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await handleTriggerExecution(this, { mediaHosts: SOBOT_MEDIA_HOSTS });
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerRequest(this, {
			parser: sobotPayload,
			maxBodyMb: MAX_BODY_MB,
			mediaHosts: SOBOT_MEDIA_HOSTS,
		});
	}
}
