import type { INodeProperties } from 'n8n-workflow';

import { campaignOperationProperty, REPORT_OPERATION } from '../../../../shared/report/resource';
import * as report from './report.operation';

export { report };

export const description: INodeProperties[] = [
	campaignOperationProperty([REPORT_OPERATION], 'report'),
	...report.description,
];
