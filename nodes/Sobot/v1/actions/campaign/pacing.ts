/**
 * A campaign paces itself unless told otherwise: a random 3-8 s between messages, so one number sending to many
 * customers looks less like a machine to WhatsApp. Other send operations keep the shared defaults (no delay).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SendingOptions } from '../../../../shared/sending/options';
import { readSendingOptions, sendingOptionsProperty } from '../../../../shared/sending/options';

const CAMPAIGN_FALLBACKS: IDataObject = { delayMode: 'random', delayMinMs: 3000, delayMaxMs: 8000 };

export const campaignSendingOptionsProperty: INodeProperties = {
	...sendingOptionsProperty,
	description:
		'Pacing and retries. Without a "Delay Between Messages" option a campaign waits a random 3 to 8 seconds between messages. The pace holds within this execution only: run one campaign per sending number at a time, or the number sends faster.',
	// A campaign always records its sends under its Campaign ID, so it has no Resume Key of its own.
	options: (sendingOptionsProperty.options ?? [])
		.filter((option) => option.name !== 'resumeKey')
		.map((option) => {
			if (option.name === 'delayMode') return { ...option, default: 'random' };
			if (option.name === 'resumeStartOver') {
				return {
					...option,
					displayName: 'Start Over With This Campaign ID',
					description:
						'Whether to forget who already got this campaign among these recipients, and send to all of them again',
				};
			}
			return option;
		}) as INodeProperties[],
};

export function readCampaignSendingOptions(ctx: IExecuteFunctions): SendingOptions {
	return readSendingOptions(ctx, 'sendingOptions', CAMPAIGN_FALLBACKS);
}
