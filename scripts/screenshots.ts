/**
 * `npm run screenshots`: PNGs of the n8n editor with this package, for README and docs/, written to docs/screenshots/.
 * Sets up like `npm run dev` (build, sandbox, real n8n, sandbox credentials, examples) in a throwaway user folder
 * (`.n8n-local/screenshots/`), then drives headless Debian Chromium (`apt-get install -y chromium`; not needed by
 * CI: the PNGs are committed):
 *   - workflow.png:            a canvas with all five nodes of the package;
 *   - sobot-send-template.png: the Sobot node's Send Template panel, its template list loaded from the sandbox;
 *   - wachatpro-send-file.png: the WAChatPro Send File panel of the example's execution, input file and output;
 *   - campaign-report.png:     the Campaign Report panel of the delivery-tracking report (examples/sobot-delivery-*:
 *                              a campaign, its status events through the published status workflow into the data
 *                              tables, then the report over them), its chart shown.
 * `--only campaign-report,workflow` takes only those shots (the other PNGs stay as they are).
 * Each shot fails if a node shows n8n's unknown-node icon, an icon did not load, or an error banner shows.
 */
import * as fs from 'fs';
import * as path from 'path';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { buildPackage } from './dev/build';
import type { WorkflowJson, WorkflowNode } from './dev/provision';
import {
	CREDENTIAL_IDS,
	CREDENTIAL_NAMES,
	DEV_WEBHOOK_SECRETS,
	PACKAGE_NAME,
	ensureDataTables,
	loadExamples,
	sandboxCredentials,
	wireWebhooks,
} from './dev/provision';
import { ensureN8n, localDir, REPO_ROOT } from './n8n/install';
import type { RunningN8n } from './n8n/process';
import {
	executeWorkflow,
	importCredentials,
	linkPackage,
	publishWorkflow,
	runN8nCli,
	startN8n,
} from './n8n/process';
import { DEFAULT_OWNER, N8nRestClient, AUTH_COOKIE } from './n8n/rest';
import type { ChromiumPage } from './n8n/screenshot';
import { launchChromium } from './n8n/screenshot';

const OUT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
const WIDTH = 1280;
const HEIGHT = 800;
const SHOWCASE_ID = 'shotShowcase0001';
const SOBOT_NODE_ID = '3c1e6f1a-5b2d-4e8f-9a7c-00000000c005';
/** The delivery-tracking examples: campaign, status events, report (docs/delivery-tracking.md). */
const DELIVERY = {
	campaign: 'exSobotDelivery1',
	statuses: 'exSobotDelivery2',
	report: 'exSobotDelivery3',
} as const;
const ONLY = process.argv.includes('--only')
	? new Set(String(process.argv[process.argv.indexOf('--only') + 1]).split(','))
	: undefined;
const wanted = (shot: string) => !ONLY || ONLY.has(shot);

const log = (line: string) => process.stdout.write(`[screenshots] ${line}\n`);

function node(
	id: string,
	name: string,
	type: string,
	position: [number, number],
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return {
		id: `3c1e6f1a-5b2d-4e8f-9a7c-00000000${id}`,
		name,
		type,
		typeVersion: 1,
		position,
		parameters,
		...extra,
	};
}

const credential = (type: keyof typeof CREDENTIAL_IDS) => ({
	[type]: { id: CREDENTIAL_IDS[type], name: CREDENTIAL_NAMES[type] },
});

/** Every node of the package on one canvas, in three small flows a user would build. */
const SHOWCASE: WorkflowJson = {
	id: SHOWCASE_ID,
	name: 'WhatsApp gateways: every node',
	nodes: [
		node(
			'c001',
			'Sobot Trigger',
			`${PACKAGE_NAME}.sobotTrigger`,
			[0, 0],
			{ authentication: 'queryAuth', events: 'message' },
			{
				webhookId: '6b0c2a55-0d7e-4b8e-8f3a-00000000c001',
				credentials: credential('whatsAppWebhookQueryAuthApi'),
			},
		),
		node(
			'c005',
			'Reply With Template',
			`${PACKAGE_NAME}.sobot`,
			[288, 0],
			{
				resource: 'message',
				operation: 'sendTemplate',
				recipient: '={{ $json.from }}',
				customerName: '={{ $json.name }}',
				defaultCountryCode: '91',
				template: { __rl: true, mode: 'list', value: 'order_update' },
				parametersMode: 'ui',
				bodyParameters: {
					parameter: [{ text: '={{ $json.name }}' }, { text: 'A-1001' }, { text: 'Monday' }],
				},
			},
			{ credentials: credential('sobotApi') },
		),
		node(
			'c002',
			'Profilora Trigger',
			`${PACKAGE_NAME}.profiloraTrigger`,
			[0, 176],
			{ authentication: 'headerAuth', events: 'status', statuses: ['failed'] },
			{
				webhookId: '6b0c2a55-0d7e-4b8e-8f3a-00000000c002',
				credentials: credential('whatsAppWebhookHeaderAuthApi'),
			},
		),
		node(
			'c006',
			'Alert the Team',
			`${PACKAGE_NAME}.profilora`,
			[288, 176],
			{
				resource: 'message',
				operation: 'sendText',
				sender: '6281100000001@s.whatsapp.net',
				recipient: '+62 812-3456-7890',
				text: '=Message {{ $json.messageId }} failed',
			},
			{ credentials: credential('profiloraApi') },
		),
		{
			...node('c003', 'Every Morning', 'n8n-nodes-base.scheduleTrigger', [0, 352], {
				rule: { interval: [{ triggerAtHour: 8 }] },
			}),
			typeVersion: 1.2,
		},
		node(
			'c007',
			'Send Price List',
			`${PACKAGE_NAME}.waChatPro`,
			[288, 352],
			{
				resource: 'message',
				operation: 'sendFileFromUrl',
				recipient: { __rl: true, mode: 'phone', value: '0812 1111 0001' },
				url: 'https://example.com/prices.pdf',
				caption: "Today's prices",
			},
			{ credentials: credential('waChatProApi') },
		),
	],
	connections: {
		'Sobot Trigger': { main: [[{ node: 'Reply With Template', type: 'main', index: 0 }]] },
		'Profilora Trigger': { main: [[{ node: 'Alert the Team', type: 'main', index: 0 }]] },
		'Every Morning': { main: [[{ node: 'Send Price List', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

/** Waits until the canvas shows `count` nodes and every image on it has loaded. */
async function waitForCanvas(page: ChromiumPage, count: number): Promise<void> {
	await page.waitFor(`document.querySelectorAll('.vue-flow__node').length >= ${count}`, 60_000);
	await page.waitFor(
		`[...document.querySelectorAll('.vue-flow__node img')].every((img) => img.complete)`,
		30_000,
	);
}

/** What would make a screenshot wrong: unknown-node icons, broken images, error toasts or banners. */
async function problems(page: ChromiumPage): Promise<string[]> {
	return await page.evaluate<string[]>(`(() => {
		const found = [];
		for (const img of document.querySelectorAll('img')) {
			if (img.offsetParent !== null && img.complete && img.naturalWidth === 0) found.push('broken image ' + img.getAttribute('src'));
		}
		for (const el of document.querySelectorAll('.vue-flow__node')) {
			const text = el.innerText || '';
			if (el.querySelector('[data-test-id="node-icon-unknown"], .node-icon-unknown') || /Install this node|not installed|unknown node/i.test(text)) {
				found.push('unknown node: ' + text.split('\\n')[0]);
			}
		}
		for (const el of document.querySelectorAll('.el-notification, .el-message--error, [data-test-id="banner"], .n8n-callout--danger')) {
			if (el.offsetParent !== null) found.push('banner/toast: ' + (el.innerText || '').slice(0, 120));
		}
		return found;
	})()`);
}

/** Hides what is transient and not ours: toasts, the "what's new" and ask-AI popups. */
async function tidy(page: ChromiumPage): Promise<void> {
	await page.evaluate(`(() => {
		const style = document.createElement('style');
		style.textContent = '.el-notification, [data-test-id="whats-new-notification"], [class*="askAssistant"], [data-test-id="ask-assistant-floating-button"] { display: none !important; }';
		document.head.appendChild(style);
	})()`);
}

async function shoot(page: ChromiumPage, file: string): Promise<void> {
	await tidy(page);
	await new Promise((resolve) => setTimeout(resolve, 1200));
	const found = await problems(page);
	const target = path.join(OUT_DIR, file);
	await page.screenshot(target);
	if (found.length) throw new Error(`${file}: ${found.join('; ')} (written anyway for a look)`);
	log(
		`wrote ${path.relative(REPO_ROOT, target)} (${(fs.statSync(target).size / 1024).toFixed(0)} kB)`,
	);
}

const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/** Runs a workflow from its manual trigger through REST (data tables need the server's modules) and waits for it. */
async function runToEnd(rest: N8nRestClient, workflowId: string): Promise<string> {
	const started = await rest.post<{ executionId?: string }>(`/rest/workflows/${workflowId}/run`, {
		triggerToStartFrom: { name: 'Start' },
	});
	const id = started.executionId;
	if (!id) throw new Error(`n8n did not start ${workflowId}: ${JSON.stringify(started)}`);
	for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
		const execution = (await rest.executions(workflowId)).find((e) => e.id === id);
		if (execution && FINISHED.includes(execution.status)) {
			if (execution.status !== 'success')
				throw new Error(`${workflowId}: execution ${id} ended ${execution.status}`);
			return id;
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${workflowId}: execution ${id} did not finish in 5 minutes`);
}

/** Waits until every status webhook the sandbox posted has been through the status workflow. */
async function statusEventsSettled(rest: N8nRestClient, sandbox: Sandbox): Promise<void> {
	await sandbox.webhooks.idle();
	const posted = sandbox.webhooks.log.filter(
		(d) => d.vendor === 'sobot' && d.status === 200,
	).length;
	for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
		const runs = await rest.executions(DELIVERY.statuses);
		if (runs.length >= posted && runs.every((run) => FINISHED.includes(run.status))) return;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`the status workflow did not take all ${posted} status events in 3 minutes`);
}

/** Drags the NDV's middle panel by its handle, as a user would with the mouse. */
async function dragPanel(page: ChromiumPage, dx: number): Promise<void> {
	await page.waitForSelector('[data-test-id="panel-drag-button"]', 30_000);
	const { x, y } = await page.evaluate<{ x: number; y: number }>(`(() => {
		const r = document.querySelector('[data-test-id="panel-drag-button"]').getBoundingClientRect();
		return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
	})()`);
	const mouse = async (type: string, at: number, buttons: number) =>
		await page.send('Input.dispatchMouseEvent', {
			type,
			x: at,
			y,
			button: 'left',
			buttons,
			clickCount: 1,
		});
	await mouse('mouseMoved', x, 0);
	await mouse('mousePressed', x, 1);
	for (let step = 1; step <= 10; step++) await mouse('mouseMoved', x + (dx * step) / 10, 1);
	await mouse('mouseReleased', x + dx, 0);
}

/**
 * The report node's panel of the example's execution: the output switched to its binary data and the chart opened,
 * loaded from n8n's binary-data endpoint as the editor loads it.
 */
async function shootReport(
	page: ChromiumPage,
	baseUrl: string,
	examples: ReturnType<typeof loadExamples>,
	executionId: string,
): Promise<void> {
	const reportId = examples
		.find((e) => e.workflow.id === DELIVERY.report)!
		.workflow.nodes.find((n) => n.name === 'Campaign Report')!.id;
	await page.navigate(
		`${baseUrl}/workflow/${DELIVERY.report}/executions/${executionId}/${reportId}`,
	);
	await page.waitForSelector('[data-test-id="ndv"]', 60_000);
	await page.waitFor(
		`[...document.querySelectorAll('[data-test-id="ndv-run-data-display-mode"]')].some((el) => /Binary/i.test(el.innerText))`,
		30_000,
	);
	// The output panel's display mode: Binary (the input panel has its own selector, without binary data).
	await page.evaluate(`(() => {
		const selectors = [...document.querySelectorAll('[data-test-id="ndv-run-data-display-mode"]')].filter((el) => /Binary/i.test(el.innerText));
		const selector = selectors[selectors.length - 1];
		const option = [...selector.querySelectorAll('label, button, [role="radio"], span')].find((el) => el.innerText && el.innerText.trim() === 'Binary');
		(option || selector).click();
	})()`);
	// The parameters panel dragged to the left, so the output panel shows the 640-pixel chart at its own size.
	await dragPanel(page, -300);
	await page.waitForSelector('[data-test-id="ndv-view-binary-data"]', 30_000);
	await page.evaluate(`document.querySelector('[data-test-id="ndv-view-binary-data"]').click()`);
	await page.waitFor(
		`[...document.querySelectorAll('img')].some((img) => /binary-data/.test(img.src) && img.complete && img.naturalWidth === 640)`,
		30_000,
	);
	await shoot(page, 'campaign-report.png');
}

async function main() {
	let sandbox: Sandbox | undefined;
	let n8n: RunningN8n | undefined;
	let page: ChromiumPage | undefined;
	try {
		log('building the package');
		await buildPackage();
		sandbox = await startSandbox();
		const runtime = await ensureN8n({ log });
		const userFolder = path.join(localDir(), 'screenshots');
		fs.rmSync(userFolder, { recursive: true, force: true });
		fs.mkdirSync(userFolder, { recursive: true });
		const ctx = { userFolder, runtime };
		linkPackage(userFolder);
		await importCredentials(sandboxCredentials(sandbox, DEV_WEBHOOK_SECRETS), ctx);
		const examples = loadExamples();
		const file = path.join(userFolder, 'workflows.json');
		fs.writeFileSync(
			file,
			JSON.stringify([SHOWCASE, ...examples.map((e) => ({ active: false, ...e.workflow }))]),
		);
		await runN8nCli(['import:workflow', `--input=${file}`], ctx);
		// An execution of the Send File example, for the panel with input and output.
		await executeWorkflow('exWaChatProFile1', ctx);
		// The status workflow of delivery tracking listens while the campaign's statuses come in.
		if (wanted('campaign-report')) await publishWorkflow(DELIVERY.statuses, ctx);
		n8n = await startN8n({
			userFolder,
			runtime,
			owner: DEFAULT_OWNER,
			logFile: path.join(userFolder, 'n8n.log'),
		});
		const rest = new N8nRestClient(n8n.url);
		await rest.login(DEFAULT_OWNER);
		const [execution] = await rest.executions('exWaChatProFile1');
		fs.mkdirSync(OUT_DIR, { recursive: true });

		page = await launchChromium({ width: WIDTH, height: HEIGHT });
		await page.setCookie({ name: AUTH_COOKIE, value: rest.authToken!, url: n8n.url });

		if (wanted('workflow')) {
			log('canvas with every node');
			await page.navigate(`${n8n.url}/workflow/${SHOWCASE_ID}`);
			await waitForCanvas(page, SHOWCASE.nodes.length);
			// Our nodes' icons are SVG files n8n serves: each of the five must show as a loaded image, not a fallback.
			const icons = await page.evaluate<number>(
				`[...document.querySelectorAll('.vue-flow__node img')].filter((img) => img.src.includes('${PACKAGE_NAME}') && img.naturalWidth > 0).length`,
			);
			if (icons < 5)
				throw new Error(`only ${icons} of the 5 package nodes show their icon on the canvas`);
			await shoot(page, 'workflow.png');
		}

		if (wanted('sobot-send-template')) {
			log('Sobot Send Template panel');
			await page.navigate(`${n8n.url}/workflow/${SHOWCASE_ID}/${SOBOT_NODE_ID}`);
			await page.waitForSelector('[data-test-id="ndv"]', 60_000);
			// The Template field (a resource locator, From List) shows the chosen template: wait until it does.
			await page.waitFor(
				`[...document.querySelectorAll('[data-test-id="ndv"] input')].some((input) => /order_update/.test(input.value))`,
				30_000,
			);
			await shoot(page, 'sobot-send-template.png');
		}

		if (wanted('campaign-report')) {
			log('delivery tracking: the campaign, its status events into the data tables, the report');
			await ensureDataTables(rest);
			wireWebhooks(
				sandbox,
				examples.filter((e) => e.workflow.id === DELIVERY.statuses),
				n8n.url,
				DEV_WEBHOOK_SECRETS,
			);
			await runToEnd(rest, DELIVERY.campaign);
			await statusEventsSettled(rest, sandbox);
			const reportExecution = await runToEnd(rest, DELIVERY.report);
			log('Campaign Report panel of the report execution, its chart shown');
			await shootReport(page, n8n.url, examples, reportExecution);
		}

		if (execution && wanted('wachatpro-send-file')) {
			log('WAChatPro Send File panel of an execution');
			const sendFileId = examples
				.find((e) => e.key === 'wachatpro-send-file')!
				.workflow.nodes.find((n) => n.name === 'Send File')!.id;
			await page.navigate(
				`${n8n.url}/workflow/exWaChatProFile1/executions/${execution.id}/${sendFileId}`,
			);
			await page.waitForSelector('[data-test-id="ndv"]', 60_000);
			await shoot(page, 'wachatpro-send-file.png');
		}
		if (page.errors.length)
			log(`page console errors (not fatal): ${page.errors.slice(0, 5).join(' | ')}`);
	} finally {
		await page?.close();
		await n8n?.stop();
		await sandbox?.stop();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
