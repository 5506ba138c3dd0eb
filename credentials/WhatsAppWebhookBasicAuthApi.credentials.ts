import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * HTTP Basic user and password that webhook requests must carry. Checked by the Profilora and Sobot
 * triggers; tested by them (`testedBy`), locally.
 */
export class WhatsAppWebhookBasicAuthApi implements ICredentialType {
	name = 'whatsAppWebhookBasicAuthApi';

	displayName = 'WhatsApp Webhook Basic Auth API';

	icon: Icon = {
		light: 'file:icons/whatsAppWebhook.svg',
		dark: 'file:icons/whatsAppWebhook.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-whatsapp-gateways#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'At least 16 random characters',
		},
	];
}
