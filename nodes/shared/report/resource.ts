/** The Campaign resource's operation selector, the same on every node; Report is in all three, Send only in Sobot. */
import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

export const REPORT_OPERATION: INodePropertyOptions = {
	name: 'Report',
	value: 'report',
	action: 'Report on a campaign',
	description:
		'Count the lines of a send into one item with rates and a funnel chart (PNG) in its binary data',
};

export function campaignOperationProperty(
	options: INodePropertyOptions[],
	defaultOperation: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options,
		default: defaultOperation,
	};
}
