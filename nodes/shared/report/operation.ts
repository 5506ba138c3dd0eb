/**
 * Campaign › Report, the same on every action node: all input items (the lines of a send, or rows of the
 * delivery-tracking table) in, one item out with counts, rates and a funnel chart (PNG) in its binary data.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { asNodeError, errorItem, invalidField } from '../execution/items';
import { readJsonParameter } from '../parameters/json';
import { funnelPng } from './chart';
import type { RecipientLine, StatusSource } from './lines';
import { readLine } from './lines';
import { STATUS_ROWS_LABEL, applyStatusRows, readStatusRows } from './statusRows';
import type { CampaignSummary } from './summary';
import { summarise } from './summary';

export const REPORT_FILE_NAME = 'campaign-report.png';

export const campaignReportProperties: INodeProperties[] = [
	{
		displayName:
			'Connect it after a send (Campaign › Send, or any Send): all its output lines become one item with counts, rates and a funnel chart in its binary data',
		name: 'reportNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'e.g. Diwali offer 2026',
		description:
			'Shown on the chart and as the report\'s title. Empty: the Campaign ID on the lines (Sobot Campaign › Send writes it), else "Campaign report".',
	},
	{
		displayName: 'Statuses From',
		name: 'statusesFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'A Field',
				value: 'field',
				description:
					'Each item holds its status in a field you name (e.g. rows of your own table); an item without it is an error',
			},
			{
				name: "This Package's Send Output",
				value: 'sendOutput',
				description:
					'The lines as a send of this package writes them: `status`, and where a send writes none, its `error` and flags',
			},
		],
		default: 'sendOutput',
	},
	{
		displayName: 'Status Field',
		name: 'statusField',
		type: 'string',
		default: 'status',
		required: true,
		placeholder: 'e.g. status or result.state',
		description:
			'The field of each item that holds its status (a dotted path reaches inside objects)',
		displayOptions: { show: { statusesFrom: ['field'] } },
	},
	{
		displayName: 'Delivery Statuses',
		name: 'deliveryStatuses',
		type: 'json',
		default: '',
		placeholder: "e.g. {{ $('Status Events').all().map(item => item.json) }}",
		description:
			"Optional: WhatsApp's delivery statuses, as a list of rows with `messageId` and `status` (sent, delivered, read, replied, failed), e.g. the `sobot_status_events` table or the triggers' status items. Matched to the lines by message ID; read once, for the first item.",
	},
	{
		displayName: 'Put Chart in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary field of the report item that holds the chart (campaign-report.png)',
	},
];

function statusSource(ctx: IExecuteFunctions): StatusSource {
	if (ctx.getNodeParameter('statusesFrom', 0, 'sendOutput') !== 'field')
		return { from: 'sendOutput' };
	const field = String(ctx.getNodeParameter('statusField', 0, '') ?? '').trim();
	if (!field) throw invalidField(ctx, 0, 'Status Field', 'is required but empty');
	return { from: 'field', field };
}

function campaignsOf(lines: RecipientLine[]): string[] {
	return [...new Set(lines.flatMap((line) => (line.campaign ? [line.campaign] : [])))];
}

function titleOf(ctx: IExecuteFunctions, campaigns: string[]): string {
	const given = String(ctx.getNodeParameter('title', 0, '') ?? '').trim();
	if (given) return given;
	if (campaigns.length === 1) return campaigns[0];
	return campaigns.length > 1
		? `Campaign report (${campaigns.length} campaigns)`
		: 'Campaign report';
}

/** The report item's fields, the funnel's order first. */
function reportJson(title: string, campaigns: string[], summary: CampaignSummary): IDataObject {
	return {
		title,
		campaigns,
		recipients: summary.recipients,
		attempted: summary.attempted,
		accepted: summary.accepted,
		delivered: summary.delivered,
		read: summary.read,
		replied: summary.replied,
		failed: summary.failed,
		optedOut: summary.optedOut,
		held: summary.held,
		notSent: summary.notSent,
		skipped: summary.skipped,
		uncertain: summary.uncertain,
		other: summary.other,
		alreadySent: summary.alreadySent,
		sendFailed: summary.sendFailed,
		deliveryFailed: summary.deliveryFailed,
		awaitingStatus: summary.awaitingStatus,
		deliveryTracked: summary.deliveryTracked,
		rates: { ...summary.rates },
		otherStatuses: summary.otherStatuses,
		statusRows: summary.statusRows ? { ...summary.statusRows } : null,
	};
}

export async function executeCampaignReport(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	// One report stands for every line it counted.
	const pairedItem = items.map((_, item) => ({ item }));
	let itemIndex = 0;
	try {
		const source = statusSource(this);
		const lines = items.map((item, index) => {
			itemIndex = index;
			return readLine(this, index, item.json, source);
		});
		itemIndex = 0;
		const rows = readStatusRows(
			this,
			readJsonParameter(this, 0, 'deliveryStatuses', STATUS_ROWS_LABEL, undefined),
		);
		const summary = summarise(lines, rows ? applyStatusRows(rows, lines) : null);
		const campaigns = campaignsOf(lines);
		const title = titleOf(this, campaigns);
		const property = String(this.getNodeParameter('binaryPropertyName', 0, 'data') ?? '').trim();
		if (!property) throw invalidField(this, 0, 'Put Chart in Field', 'is required but empty');
		const png = funnelPng(title, summary);
		const chart = await this.helpers.prepareBinaryData(
			Buffer.from(png),
			REPORT_FILE_NAME,
			'image/png',
		);
		return [
			{ json: reportJson(title, campaigns, summary), binary: { [property]: chart }, pairedItem },
		];
	} catch (error) {
		const nodeError = asNodeError(this, error, itemIndex);
		if (!this.continueOnFail()) throw nodeError;
		return [{ ...errorItem(nodeError, itemIndex), pairedItem }];
	}
}
