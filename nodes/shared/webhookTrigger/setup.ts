/**
 * Webhook set-up. Neither vendor has an API to register a webhook, so "creating" one means telling the
 * user which URL to paste into the vendor's dashboard: the node shows it (n8n lists the production URL at
 * the top of the node), and activation records it in static data and logs it. When the URL changes (n8n
 * moved to another domain), `checkExists` says no and activation logs the new one to paste.
 */
import type { IHookFunctions, INodeProperties } from 'n8n-workflow';

import { forgetInbox, inboxOf, recordInbox } from '../conversation/inbox';

const STATE_KEY = 'registeredUrl';

export function setupNotice(vendor: string, where: string): INodeProperties {
	return {
		displayName: `${vendor} has no API to register webhooks: copy the Production URL shown above (Webhook URLs) into ${where}, then activate this workflow. Use the Test URL the same way while testing.`,
		name: 'setupNotice',
		type: 'notice',
		default: '',
	};
}

export const queryTokenNotice: INodeProperties = {
	displayName:
		'Paste the Production URL with the token appended, e.g. …/webhook?token=YOUR_TOKEN, using the parameter name and token of the credential',
	name: 'queryTokenNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['queryAuth'] } },
};

export const basicAuthNotice: INodeProperties = {
	displayName:
		'If the dashboard takes only a URL, paste it as https://USER:PASSWORD@your-n8n-host/webhook/… (most HTTP clients turn this into a Basic header), or use Query Token',
	name: 'basicAuthNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['basicAuth'] } },
};

function currentUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new Error('n8n did not provide the webhook URL of this node');
	return url;
}

export async function isUrlRecorded(ctx: IHookFunctions): Promise<boolean> {
	const staticData = ctx.getWorkflowStaticData('node');
	const url = currentUrl(ctx);
	return (
		staticData[STATE_KEY] === url &&
		inboxOf(ctx.getWorkflowStaticData('global'), ctx.getNode().name)?.url === url
	);
}

/** Also notes the URL and a secret where Send and Wait for Reply finds them (conversation/inbox.ts). */
export async function recordUrl(ctx: IHookFunctions, vendor: string): Promise<boolean> {
	const url = currentUrl(ctx);
	ctx.getWorkflowStaticData('node')[STATE_KEY] = url;
	recordInbox(ctx.getWorkflowStaticData('global'), ctx.getNode().name, vendor.toLowerCase(), url);
	ctx.logger.info(
		`${vendor} Trigger: paste ${url} into the ${vendor} dashboard as the webhook URL`,
		{
			node: ctx.getNode().name,
		},
	);
	return true;
}

export async function forgetUrl(ctx: IHookFunctions, vendor: string): Promise<boolean> {
	const staticData = ctx.getWorkflowStaticData('node');
	const url = staticData[STATE_KEY];
	delete staticData[STATE_KEY];
	forgetInbox(ctx.getWorkflowStaticData('global'), ctx.getNode().name);
	if (typeof url === 'string') {
		ctx.logger.info(
			`${vendor} Trigger: ${url} no longer receives events; remove it from the ${vendor} dashboard`,
			{
				node: ctx.getNode().name,
			},
		);
	}
	return true;
}
