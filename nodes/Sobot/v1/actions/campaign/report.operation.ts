import { updateDisplayOptions } from 'n8n-workflow';

import {
	campaignReportProperties,
	executeCampaignReport,
} from '../../../../shared/report/operation';

export const description = updateDisplayOptions(
	{ show: { resource: ['campaign'], operation: ['report'] } },
	campaignReportProperties,
);

export const execute = executeCampaignReport;
