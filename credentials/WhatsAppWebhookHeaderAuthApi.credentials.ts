import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A secret the vendor sends in a header of every webhook request, checked by the Profilora and Sobot
 * triggers (the vendors sign nothing themselves). Tested by the trigger nodes (`testedBy`), locally.
 */
export class WhatsAppWebhookHeaderAuthApi implements ICredentialType {
	name = 'whatsAppWebhookHeaderAuthApi';

	displayName = 'WhatsApp Webhook Header Secret API';

	icon: Icon = {
		light: 'file:icons/whatsAppWebhook.svg',
		dark: 'file:icons/whatsAppWebhook.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-whatsapp-gateways#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'name',
			type: 'string',
			default: 'X-Webhook-Secret',
			required: true,
			description: 'The header the gateway dashboard sends with each webhook',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The header value; at least 16 random characters',
		},
	];
}
