import type { INodeProperties } from 'n8n-workflow';

import { campaignOperationProperty, REPORT_OPERATION } from '../../../../shared/report/resource';
import * as report from './report.operation';
import * as send from './send.operation';

export { report, send };

export const description: INodeProperties[] = [
	campaignOperationProperty(
		[
			REPORT_OPERATION,
			{
				name: 'Send',
				value: 'send',
				action: 'Send a campaign',
				description:
					'Send one approved template to every input item, paced, with a report per recipient',
			},
		],
		'send',
	),
	...send.description,
	...report.description,
];
