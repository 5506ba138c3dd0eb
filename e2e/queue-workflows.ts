/**
 * Workflows only the queue-mode e2e run uses (next to examples/ and e2e/workflows.ts): a large file downloaded into
 * n8n's database binary mode and sent, and paced Sobot campaigns to run side by side or to crash a worker in.
 */
import type { WorkflowJson, WorkflowNode } from '../scripts/dev/provision';
import { connect, gatewayNode, workflow } from './workflows';

export const QUEUE_IDS = {
	download: 'e2eQueueDownload',
	bigFile: 'e2eQueueBigFile1',
	paceA: 'e2eQueuePaceA001',
	paceB: 'e2eQueuePaceB001',
	crash: 'e2eQueueCrash001',
} as const;

let counter = 0;
const id = () => `e2eq0000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

function download(url: string): WorkflowNode {
	return {
		id: id(),
		name: 'Download',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [240, 0],
		parameters: {
			url,
			options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
		},
	};
}

/** Recipients as the example campaign has them: one Set node with a list, split into one item each. */
function recipients(list: Array<{ mobile: string; name: string }>): WorkflowNode[] {
	return [
		{
			id: id(),
			name: 'Recipients',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				mode: 'raw',
				jsonOutput: JSON.stringify({
					customers: list.map((c, i) => ({ ...c, order: `Q-${1000 + i}`, arrives: 'Monday' })),
				}),
				options: {},
			},
		},
		{
			id: id(),
			name: 'One Item per Customer',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [440, 0],
			parameters: { fieldToSplitOut: 'customers', options: {} },
		},
	];
}

/** A Sobot template campaign to `count` numbers starting at `firstMobile`, `delayMs` apart (fixed pacing). */
export function pacedCampaign(
	workflowId: string,
	name: string,
	firstMobile: number,
	count: number,
	delayMs: number,
): WorkflowJson {
	const list = Array.from({ length: count }, (_, i) => ({
		mobile: String(firstMobile + i),
		name: `Customer ${i + 1}`,
	}));
	return workflow(
		workflowId,
		name,
		[
			...recipients(list),
			gatewayNode(
				'sobot',
				'Campaign',
				{
					resource: 'campaign',
					operation: 'send',
					recipient: '={{ $json.mobile }}',
					customerName: '={{ $json.name }}',
					defaultCountryCode: '91',
					template: { __rl: true, mode: 'list', value: 'order_update' },
					parametersMode: 'ui',
					bodyParameters: {
						parameter: [
							{ text: '={{ $json.name }}' },
							{ text: '={{ $json.order }}' },
							{ text: '={{ $json.arrives }}' },
						],
					},
					sendingOptions: { delayMode: 'fixed', delayMs },
				},
				{ x: 660 },
			),
		],
		connect(
			['Start', 'Recipients'],
			['Recipients', 'One Item per Customer'],
			['One Item per Customer', 'Campaign'],
		),
	);
}

/** Campaign numbers of the pacing check: the A and B campaigns share the sender (one Sobot credential). */
export const PACE = { a: 919812310001, b: 919812320001, count: 6, delayMs: 3000 };
export const CRASH = { first: 919812330001, count: 8, delayMs: 2000 };

export function queueWorkflows(fileUrl: string): WorkflowJson[] {
	return [
		workflow(
			QUEUE_IDS.download,
			'E2E queue: download a large file (binary data in the database)',
			[download(fileUrl)],
			connect(['Start', 'Download']),
		),
		workflow(
			QUEUE_IDS.bigFile,
			'E2E queue: download a large file and send it (WAChatPro Send File)',
			[
				download(fileUrl),
				gatewayNode(
					'waChatPro',
					'Send File',
					{
						resource: 'message',
						operation: 'sendFile',
						recipient: { __rl: true, mode: 'phone', value: '6281211110004' },
						inputMode: 'binary',
						binaryPropertyName: 'data',
						caption: 'Large brochure',
					},
					{ x: 480 },
				),
			],
			connect(['Start', 'Download'], ['Download', 'Send File']),
		),
		pacedCampaign(
			QUEUE_IDS.paceA,
			'E2E queue: campaign A (same sender as B)',
			PACE.a,
			PACE.count,
			PACE.delayMs,
		),
		pacedCampaign(
			QUEUE_IDS.paceB,
			'E2E queue: campaign B (same sender as A)',
			PACE.b,
			PACE.count,
			PACE.delayMs,
		),
		pacedCampaign(
			QUEUE_IDS.crash,
			'E2E queue: campaign whose worker is killed',
			CRASH.first,
			CRASH.count,
			CRASH.delayMs,
		),
	];
}
