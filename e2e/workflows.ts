/**
 * Workflows only the end-to-end run uses (the examples in examples/ run too). Parameter names are the nodes' own
 * (nodes/<Service>/v1/actions/**); credentials are referenced by the ids e2e/run.ts imports.
 */
import type { WorkflowJson, WorkflowNode } from '../scripts/dev/provision';
import { CREDENTIAL_IDS, PACKAGE_NAME } from '../scripts/dev/provision';

type Service = 'profilora' | 'waChatPro' | 'sobot';
const CREDENTIAL_TYPE: Record<Service, 'profiloraApi' | 'waChatProApi' | 'sobotApi'> = {
	profilora: 'profiloraApi',
	waChatPro: 'waChatProApi',
	sobot: 'sobotApi',
};

/** Extra credentials of the e2e run, next to the provisioned ones (CREDENTIAL_IDS). */
export const E2E_CREDENTIAL_IDS = {
	badKey: {
		profilora: 'e2eBadKeyProfil1',
		waChatPro: 'e2eBadKeyWaChat1',
		sobot: 'e2eBadKeySobot01',
	},
	badUrl: {
		profilora: 'e2eBadUrlProfil1',
		waChatPro: 'e2eBadUrlWaChat1',
		sobot: 'e2eBadUrlSobot01',
	},
	shortSecret: 'e2eShortSecret01',
} as const;

let counter = 0;
function nodeId(): string {
	counter += 1;
	return `e2e00000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

/** A No Operation node: where a check's workflow ends, so n8n stores what reached it. */
function noOpNode(name: string, x: number, y = 0): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [x, y],
		parameters: {},
	};
}

const START: WorkflowNode = {
	id: 'e2e00000-0000-4000-8000-000000000000',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function gatewayNode(
	service: Service,
	name: string,
	parameters: Record<string, unknown>,
	{
		credentialId,
		continueOnFail = false,
		x = 240,
		y = 0,
	}: { credentialId?: string; continueOnFail?: boolean; x?: number; y?: number } = {},
): WorkflowNode {
	const type = CREDENTIAL_TYPE[service];
	return {
		id: nodeId(),
		name,
		type: `${PACKAGE_NAME}.${service}`,
		typeVersion: 1,
		position: [x, y],
		parameters,
		credentials: {
			[type]: {
				id: credentialId ?? CREDENTIAL_IDS[type],
				name: credentialId ?? CREDENTIAL_IDS[type],
			},
		},
		...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	};
}

/** `[from, to]` pairs, each a main connection. */
export function connect(...pairs: Array<[string, string]>): Record<string, unknown> {
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	> = {};
	for (const [from, to] of pairs) {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}

export function workflow(
	id: string,
	name: string,
	nodes: WorkflowNode[],
	connections: Record<string, unknown>,
): WorkflowJson {
	return {
		id,
		name,
		nodes: [START, ...nodes],
		connections,
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/** No retries and a short timeout: the failing runs fail at once. */
const ONE_ATTEMPT = { sendingOptions: { maxAttempts: 1, timeoutMs: 5000 } };

export const WACHATPRO_OPS = workflow(
	'e2eWaChatProOps1',
	'E2E: WAChatPro text, file URL, chats, messages',
	[
		gatewayNode('waChatPro', 'Send Text', {
			resource: 'message',
			operation: 'sendText',
			recipient: { __rl: true, mode: 'phone', value: '+62 812-1111-0002' },
			text: 'Halo Budi 👋\nline two',
		}),
		gatewayNode(
			'waChatPro',
			'Get Messages',
			{
				resource: 'chat',
				operation: 'getMessages',
				mobile: { __rl: true, mode: 'list', value: '6281211110002' },
				returnAll: false,
				limit: 2,
			},
			{ x: 480 },
		),
		gatewayNode(
			'waChatPro',
			'Send File From URL',
			{
				resource: 'message',
				operation: 'sendFileFromUrl',
				recipient: { __rl: true, mode: 'list', value: '6281211110003' },
				url: 'https://example.com/brochure.pdf',
				caption: 'Brochure',
			},
			{ y: 200 },
		),
		gatewayNode(
			'waChatPro',
			'Get Chats',
			{ resource: 'chat', operation: 'getAll', returnAll: false, limit: 2 },
			{ y: 400 },
		),
	],
	connect(
		['Start', 'Send Text'],
		['Send Text', 'Get Messages'],
		['Start', 'Send File From URL'],
		['Start', 'Get Chats'],
	),
);

export const SOBOT_OPS = workflow(
	'e2eSobotOps00001',
	'E2E: Sobot customer and template',
	[
		gatewayNode('sobot', 'Add Customer', {
			resource: 'customer',
			operation: 'add',
			mobile: '+91 98765 43210',
			customerName: 'Ravi Kumar',
			additionalFields: {
				email: 'ravi@example.com',
				gender: 'female',
				dateOfBirth: '1990-05-17',
				labels: ['vip', 'e2e'],
			},
		}),
		gatewayNode(
			'sobot',
			'Get Customers',
			{ resource: 'customer', operation: 'getAll', returnAll: true },
			{ x: 480 },
		),
		gatewayNode(
			'sobot',
			'Send Template',
			{
				resource: 'message',
				operation: 'sendTemplate',
				recipient: '+91 98765 43210',
				customerName: 'Ravi Kumar',
				template: { __rl: true, mode: 'name', value: 'track_order' },
				parametersMode: 'ui',
				bodyParameters: { parameter: [{ text: 'A-2001' }] },
				buttonParameters: { button: [{ index: 0, subType: 'url', value: 'A-2001' }] },
			},
			{ y: 200 },
		),
	],
	connect(['Start', 'Add Customer'], ['Add Customer', 'Get Customers'], ['Start', 'Send Template']),
);

/** The customer who wrote in before the run (window open) and the one who never did (window closed). */
export const SOBOT_WINDOW_CUSTOMERS = { wrote: '919812347001', silent: '919812347002' } as const;

/**
 * Message › Send with Closed 24-Hour Window › Send a Template Instead, under a Resume Key: run twice, the second
 * run must send nothing (e2e/checks/sobot.ts).
 */
export const SOBOT_WINDOW = workflow(
	'e2eSobotWindow01',
	'E2E: Sobot text, or a template when the 24-hour window is closed',
	[
		{
			id: nodeId(),
			name: 'Customers',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [240, 0],
			parameters: {
				jsCode: `return [{ json: { to: '${SOBOT_WINDOW_CUSTOMERS.wrote}', name: 'Meera' } }, { json: { to: '${SOBOT_WINDOW_CUSTOMERS.silent}', name: 'Kabir' } }];`,
			},
		},
		gatewayNode(
			'sobot',
			'Send',
			{
				resource: 'message',
				operation: 'send',
				recipient: '={{ $json.to }}',
				customerName: '={{ $json.name }}',
				messageType: 'text',
				text: '=Hi {{ $json.name }}, your parcel A-3001 is out for delivery.',
				closedWindow: 'sendTemplate',
				template: { __rl: true, mode: 'name', value: 'order_update' },
				bodyParameters: {
					parameter: [{ text: '={{ $json.name }}' }, { text: 'A-3001' }, { text: 'today' }],
				},
				sendingOptions: { resumeKey: 'e2e-window' },
			},
			{ x: 480 },
		),
	],
	connect(['Start', 'Customers'], ['Customers', 'Send']),
);

/** WAChatPro answers a number ending in 0000 with 422 and echoes the request body, key included. */
export const LEAK_ECHO = workflow(
	'e2eLeakEcho00001',
	'E2E: WAChatPro refusal that echoes the key',
	[
		gatewayNode(
			'waChatPro',
			'Echo (Continue)',
			{
				resource: 'message',
				operation: 'sendText',
				recipient: '6281299990000',
				text: 'echo me',
				...ONE_ATTEMPT,
			},
			{ continueOnFail: true },
		),
		gatewayNode(
			'waChatPro',
			'Echo (Stop)',
			{
				resource: 'message',
				operation: 'sendText',
				recipient: '6281299990000',
				text: 'echo me',
				...ONE_ATTEMPT,
			},
			{ x: 480 },
		),
	],
	connect(['Start', 'Echo (Continue)'], ['Echo (Continue)', 'Echo (Stop)']),
);

function failingChain(id: string, name: string, kind: 'badKey' | 'badUrl'): WorkflowJson {
	const ids = E2E_CREDENTIAL_IDS[kind];
	return workflow(
		id,
		name,
		[
			gatewayNode(
				'profilora',
				'Profilora',
				{
					resource: 'message',
					operation: 'sendText',
					sender: '6281100000001@s.whatsapp.net',
					recipient: '6281234567890',
					text: 'hi',
					...ONE_ATTEMPT,
				},
				{ credentialId: ids.profilora, continueOnFail: true },
			),
			gatewayNode(
				'sobot',
				'Sobot',
				{
					resource: 'message',
					operation: 'sendTemplate',
					recipient: '919812345678',
					customerName: 'Priya',
					template: { __rl: true, mode: 'name', value: 'appointment_reminder' },
					language: 'en_US',
					...ONE_ATTEMPT,
				},
				{ credentialId: ids.sobot, continueOnFail: true, x: 480 },
			),
			gatewayNode(
				'waChatPro',
				'WAChatPro',
				{
					resource: 'message',
					operation: 'sendText',
					recipient: '6281211110001',
					text: 'hi',
					...ONE_ATTEMPT,
				},
				{ credentialId: ids.waChatPro, x: 720 },
			),
		],
		connect(['Start', 'Profilora'], ['Profilora', 'Sobot'], ['Sobot', 'WAChatPro']),
	);
}

export const LEAK_BAD_KEY = failingChain(
	'e2eLeakBadKey001',
	'E2E: every service with a wrong key',
	'badKey',
);
export const LEAK_BAD_URL = failingChain(
	'e2eLeakBadUrl001',
	'E2E: every service with a wrong base URL',
	'badUrl',
);

/** Recipients of the crash test's campaign: none ends in 0000 (refused by the sandbox) or 999 (a failed status). */
export const CRASH_CAMPAIGN_SIZE = 300;
export const crashRecipient = (index: number) =>
	`91987651${String(10001 + index).padStart(4, '0')}`;
export const CRASH_CAMPAIGN_PATH = 'e2e-campaign-crash';

/**
 * A 300-recipient Sobot campaign started by a production webhook, so it runs inside the n8n server that the
 * crash test kills. 100 ms between messages: quick, and paced enough that every message is recorded on its own.
 */
export const CRASH_CAMPAIGN: WorkflowJson = {
	id: 'e2eCampaignCrash',
	name: 'E2E: a campaign that outlives a crash',
	nodes: [
		{
			id: nodeId(),
			name: 'Start Campaign',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '5f7c2a9e-1b3d-4e8f-9a6b-0c2d4e6f8a10',
			parameters: {
				httpMethod: 'POST',
				path: CRASH_CAMPAIGN_PATH,
				responseMode: 'onReceived',
				options: {},
			},
		},
		{
			id: nodeId(),
			name: 'Recipients',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [240, 0],
			parameters: {
				jsCode: `return Array.from({ length: ${CRASH_CAMPAIGN_SIZE} }, (_, i) => ({ json: { mobile: '91987651' + String(10001 + i).padStart(4, '0'), name: 'Customer ' + i } }));`,
			},
		},
		gatewayNode(
			'sobot',
			'Campaign',
			{
				resource: 'campaign',
				operation: 'send',
				template: { __rl: true, mode: 'list', value: 'order_update' },
				campaignName: 'e2e-crash',
				bodyParameters: {
					parameter: [{ text: '={{ $json.name }}' }, { text: 'A-7' }, { text: 'Friday' }],
				},
				sendingOptions: { delayMode: 'fixed', delayMs: 100 },
			},
			{ x: 480 },
		),
	],
	connections: connect(['Start Campaign', 'Recipients'], ['Recipients', 'Campaign']),
	settings: { executionOrder: 'v1' },
	active: false,
};

export const ASK_AND_WAIT_TRIGGER = {
	webhookId: '6a8d3b0f-2c4e-4f9a-8b7c-1d3e5f7a9b21',
	path: 'webhook',
	node: 'Customer Writes',
} as const;
/** A customer whose first message says this gets a one-minute limit instead of an hour: the timeout check. */
export const ASK_AND_WAIT_IMPATIENT = 'ask me with a short limit';

/**
 * A conversation: the Sobot Trigger starts it when a customer writes, Send and Wait for Reply asks them with two
 * buttons, and the answer (or the timeout) continues the same execution.
 */
export const ASK_AND_WAIT: WorkflowJson = {
	id: 'e2eAskAndWait001',
	name: 'E2E: ask a customer and wait for the answer',
	nodes: [
		{
			id: nodeId(),
			name: ASK_AND_WAIT_TRIGGER.node,
			type: `${PACKAGE_NAME}.sobotTrigger`,
			typeVersion: 2,
			position: [0, 0],
			webhookId: ASK_AND_WAIT_TRIGGER.webhookId,
			parameters: { authentication: 'queryAuth', events: 'message' },
			credentials: {
				whatsAppWebhookQueryAuthApi: {
					id: CREDENTIAL_IDS.whatsAppWebhookQueryAuthApi,
					name: CREDENTIAL_IDS.whatsAppWebhookQueryAuthApi,
				},
			},
		},
		gatewayNode(
			'sobot',
			'Ask',
			{
				resource: 'message',
				operation: 'sendAndWaitForReply',
				recipient: '={{ $json.from }}',
				customerName: "={{ $json.name || 'Customer' }}",
				messageType: 'quickReply',
				text: 'Shall we deliver tomorrow?',
				buttons: { button: [{ title: 'Yes' }, { title: 'No' }] },
				waitAmount: `={{ $json.text === '${ASK_AND_WAIT_IMPATIENT}' ? 1 : 60 }}`,
				waitUnit: 'minutes',
				// An answer's file (the sandbox serves it from loopback) lands on the Reply item as binary data.
				downloadMedia: true,
				mediaOptions: { allowedHosts: '127.0.0.1', allowHttp: true },
			},
			{ x: 240 },
		),
		noOpNode('No Answer', 480, -100),
		noOpNode('Answered', 480, 100),
	],
	connections: {
		[ASK_AND_WAIT_TRIGGER.node]: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] },
		Ask: {
			main: [
				[{ node: 'No Answer', type: 'main', index: 0 }],
				[{ node: 'Answered', type: 'main', index: 0 }],
			],
		},
	},
	settings: { executionOrder: 'v1' },
};

export const BURST_TRIGGER = {
	webhookId: '7b9e4c1a-3d5f-4a0b-9c8d-2e4f6a8b0c32',
	path: 'webhook',
	node: 'Customer Writes',
	quietSeconds: 3,
} as const;

/** Sobot Trigger with Group Bursts on (Quiet Period 3 s) → a no-op: e2e/checks/bursts.ts. */
export const BURSTS: WorkflowJson = {
	id: 'e2eSobotBursts01',
	name: 'E2E: a customer writes in a burst',
	nodes: [
		{
			id: nodeId(),
			name: BURST_TRIGGER.node,
			type: `${PACKAGE_NAME}.sobotTrigger`,
			typeVersion: 2,
			position: [0, 0],
			webhookId: BURST_TRIGGER.webhookId,
			parameters: {
				authentication: 'queryAuth',
				events: 'message',
				options: { burstQuietSeconds: BURST_TRIGGER.quietSeconds },
			},
			credentials: {
				whatsAppWebhookQueryAuthApi: {
					id: CREDENTIAL_IDS.whatsAppWebhookQueryAuthApi,
					name: CREDENTIAL_IDS.whatsAppWebhookQueryAuthApi,
				},
			},
		},
		noOpNode('Answer Once', 240),
	],
	connections: {
		[BURST_TRIGGER.node]: { main: [[{ node: 'Answer Once', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

/** Four minute-granular Poll Times (n8n refuses a single sub-minute one): a poll every 15 seconds. */
export const E2E_POLL_TIMES = {
	item: [0, 15, 30, 45].map((second) => ({
		mode: 'custom',
		cronExpression: `${second} * * * * *`,
	})),
};

export const WACHATPRO_BURST_TRIGGER = { node: 'Chat Writes', quietSeconds: 3 } as const;

/**
 * WAChatPro Trigger with Group Bursts on (Quiet Period 3 s), polling every 15 s → a no-op: e2e/checks/polling.ts.
 * Published by its check, after the polling examples are unpublished, so no other trigger reads the same chats.
 */
export const WACHATPRO_BURSTS: WorkflowJson = {
	id: 'e2eWaChatBursts1',
	name: 'E2E: a WAChatPro customer writes in a burst',
	nodes: [
		{
			id: nodeId(),
			name: WACHATPRO_BURST_TRIGGER.node,
			type: `${PACKAGE_NAME}.waChatProTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: E2E_POLL_TIMES,
				chats: 'all',
				options: { burstQuietSeconds: WACHATPRO_BURST_TRIGGER.quietSeconds },
			},
			credentials: {
				waChatProApi: { id: CREDENTIAL_IDS.waChatProApi, name: CREDENTIAL_IDS.waChatProApi },
			},
		},
		noOpNode('Answer Once', 240),
	],
	connections: connect([WACHATPRO_BURST_TRIGGER.node, 'Answer Once']),
	settings: { executionOrder: 'v1' },
};

export const STATUS_BATCH_TRIGGER = {
	webhookId: '8c0f5d2b-4e6a-4b1c-8d9e-3f5a7b9c1d43',
	node: 'Statuses',
} as const;

/** A Sobot Trigger as added today (version 3: statuses batched), its window set to 2 s. */
export const STATUS_BATCH: WorkflowJson = {
	id: 'e2eStatusBatch01',
	name: 'E2E: delivery statuses in batches',
	nodes: [
		{
			id: nodeId(),
			name: STATUS_BATCH_TRIGGER.node,
			type: `${PACKAGE_NAME}.sobotTrigger`,
			typeVersion: 3,
			position: [0, 0],
			webhookId: STATUS_BATCH_TRIGGER.webhookId,
			parameters: { events: 'status', options: { statusBatchSeconds: 2, statusBatchMax: 100 } },
		},
		noOpNode('Stored', 240),
	],
	connections: connect([STATUS_BATCH_TRIGGER.node, 'Stored']),
	settings: { executionOrder: 'v1' },
};

export const E2E_WORKFLOWS = [
	WACHATPRO_OPS,
	SOBOT_OPS,
	SOBOT_WINDOW,
	LEAK_ECHO,
	LEAK_BAD_KEY,
	LEAK_BAD_URL,
	CRASH_CAMPAIGN,
	ASK_AND_WAIT,
	BURSTS,
	WACHATPRO_BURSTS,
	STATUS_BATCH,
];

/** E2E workflows with a trigger, published before n8n starts. */
export const E2E_PUBLISHED = [CRASH_CAMPAIGN.id, ASK_AND_WAIT.id, BURSTS.id, STATUS_BATCH.id];
