import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A token appended to the webhook URL (`?token=...`): works with dashboards that accept only a URL.
 * Checked by the Profilora and Sobot triggers; tested by them (`testedBy`), locally.
 */
export class WhatsAppWebhookQueryAuthApi implements ICredentialType {
	name = 'whatsAppWebhookQueryAuthApi';

	displayName = 'WhatsApp Webhook Query Token API';

	icon: Icon = {
		light: 'file:icons/whatsAppWebhook.svg',
		dark: 'file:icons/whatsAppWebhook.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-whatsapp-gateways#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Parameter Name',
			name: 'name',
			type: 'string',
			default: 'token',
			required: true,
			description:
				'The query parameter that carries the token in the URL you paste into the dashboard',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'At least 16 random characters; letters and digits keep the URL simple',
		},
	];
}
