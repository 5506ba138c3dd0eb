/**
 * The parts of a trigger node's description that are the same for every gateway: the webhook routes and
 * the dashboard-URL lifecycle (no vendor has a registration API). The credentials stay in each node class,
 * where n8n's lint looks for their `testedBy`.
 */
import type { IHookFunctions, INodeTypeDescription } from 'n8n-workflow';

import { forgetUrl, isUrlRecorded, recordUrl } from './setup';

/** Fresh objects per node type: n8n may decorate a description it loads, and must not do so for both. */
export const triggerWebhooks = (): INodeTypeDescription['webhooks'] => [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: 'webhook',
		// Without it n8n answers a started execution with the text "firstEntryJson" (its default for this field, meant
		// for n8n's own Webhook node). Empty makes n8n answer with the `webhookResponse` the trigger returns: a small
		// JSON body, sent once n8n has created the execution (n8n-workflow's IWebhookDescription allows any string).
		responseData: '',
	},
	// Other methods are routed to the node only so that it can answer 405 (n8n would answer 404).
	{
		name: 'setup',
		httpMethod: 'GET,PUT,PATCH,DELETE',
		responseMode: 'onReceived',
		path: 'webhook',
		ndvHideUrl: true,
	},
];

/** n8n calls these on publish/unpublish; they record the URL the user must paste into the vendor's dashboard. */
export function dashboardWebhookMethods(vendor: string) {
	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await isUrlRecorded(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await recordUrl(this, vendor);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await forgetUrl(this, vendor);
			},
		},
	};
}
