/**
 * The faulty campaign of test/sending/faults.test.ts, run inside a real n8n (issue 6's runtime, via the CLI),
 * four ways against the same sandbox with the same fault seed:
 *   1. HTTP Request node, n8n's "Retry On Fail" (3 tries, 1 s apart: n8n's defaults), On Error: stop;
 *   2. the same with On Error: continue (what users add so one failure does not stop the run);
 *   3. the Profilora node with default Sending Options, On Error: continue (the advice of docs/sending.md);
 *   4. the Profilora node with "Retry When Delivery Is Uncertain" on.
 * For each: what n8n reported, and from the sandbox's own record what was delivered, lost and duplicated.
 *
 *   tsx bench/compare-retry-on-fail.ts [--messages 2000] [--seed 2026] [--runners 1,2,3,4,5] [--json]
 * Installs the real n8n on first use (scripts/n8n/install.ts, a few minutes). Our node is compiled into a
 * temporary package (only Profilora), so neither `npm run build` nor other nodes' work in progress matter.
 */
import './env';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureN8n } from '../scripts/n8n/install';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	linkPackage,
} from '../scripts/n8n/process';
import { DEFAULT_CREDENTIALS, sandboxCredentialData } from '../sandbox/credentials';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import type { CampaignReport } from '../test/sending/campaign';
import { analyseCampaign, CAMPAIGN_PATH, campaignFaults } from '../test/sending/campaign';
import { buildProfiloraPackage } from './profilora-package';

const PACKAGE = 'n8n-nodes-whatsapp-gateways';
const AGENT = DEFAULT_CREDENTIALS.profilora.agents[0];

function arg(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
}

const MESSAGES = Number(arg('messages', '2000'));
const SEED = Number(arg('seed', '2026'));
/** The client timeout of every runner, below the sandbox's 1 s hold, so a held reply is a timeout for all. */
const TIMEOUT_MS = 200;

function log(line: string) {
	process.stderr.write(`[compare] ${line}\n`);
}

const trigger = {
	id: 'c0000000-0000-4000-8000-000000000001',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** N items `{i}` without a Code node (which would need n8n's task runner): a Set of one array, split out. */
const numbers = [
	{
		id: 'c0000000-0000-4000-8000-000000000002',
		name: 'Numbers',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [200, 0],
		parameters: {
			assignments: {
				assignments: [
					{
						id: 'n',
						name: 'i',
						type: 'array',
						value: `={{ Array.from({ length: ${MESSAGES} }, (_, i) => i) }}`,
					},
				],
			},
			options: {},
		},
	},
	{
		id: 'c0000000-0000-4000-8000-000000000003',
		name: 'Items',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [400, 0],
		parameters: { fieldToSplitOut: 'i', options: {} },
	},
];

const TO = "'62812' + String($json.i).padStart(7, '0')";
const TEXT = "'Campaign message #' + $json.i";

function workflow(name: string, sender: Record<string, unknown>) {
	const send = {
		id: 'c0000000-0000-4000-8000-000000000004',
		name: 'Send',
		position: [600, 0],
		...sender,
	};
	return {
		name,
		nodes: [trigger, ...numbers, send],
		connections: {
			Start: { main: [[{ node: 'Numbers', type: 'main', index: 0 }]] },
			Numbers: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function httpRequestNode(continueOnError: boolean, sandbox: Sandbox, credentialId: string) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${sandbox.baseUrl('profilora')}${CAMPAIGN_PATH}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpBasicAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ sender: '${AGENT}', to: ${TO} + '@s.whatsapp.net', message: ${TEXT} }) }}`,
			// One request per item, 2 ms apart: the node otherwise fires all items at once. Timeout as ours.
			options: { timeout: TIMEOUT_MS, batching: { batch: { batchSize: 1, batchInterval: 2 } } },
		},
		credentials: { httpBasicAuth: { id: credentialId, name: 'Sandbox Basic' } },
		retryOnFail: true,
		maxTries: 3,
		waitBetweenTries: 1000,
		...(continueOnError ? { onError: 'continueRegularOutput' } : {}),
	};
}

function profiloraNode(
	retryAmbiguous: boolean,
	credentialId: string,
	{ retryOnFail = false } = {},
) {
	// With n8n's Retry On Fail and On Error: stop, a failure re-runs the whole node: the run's ledger must keep
	// the items that already went out from going out again.
	const errorHandling = retryOnFail
		? { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 }
		: { onError: 'continueRegularOutput' };
	return {
		type: `${PACKAGE}.profilora`,
		typeVersion: 1,
		parameters: {
			resource: 'message',
			operation: 'sendText',
			sender: AGENT,
			recipient: `={{ ${TO} }}`,
			text: `={{ ${TEXT} }}`,
			sendingOptions: {
				// Unpaced: this compares duplicates under faults, not the default pace of bulk sends.
				pace: 'custom',
				timeoutMs: TIMEOUT_MS,
				retryBaseDelayMs: 2,
				...(retryAmbiguous ? { retryAmbiguous: true } : {}),
			},
		},
		credentials: { profiloraApi: { id: credentialId, name: 'Sandbox Profilora' } },
		...errorHandling,
	};
}

interface Row {
	runner: string;
	status: string;
	report: CampaignReport;
	seconds: number;
}

type RunData = {
	status?: string;
	data?: {
		resultData?: {
			error?: { message?: string };
			runData?: Record<
				string,
				Array<{
					data?: { main?: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }>> };
					error?: { message?: string };
				}>
			>;
		};
	};
};

async function main() {
	const runtime = await ensureN8n({ log: (line) => log(line) });
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-wa-compare-'));
	const pkg = buildProfiloraPackage();
	linkPackage(userFolder, pkg);
	const sandbox = await startSandbox({ seed: 7 });
	const rows: Row[] = [];
	try {
		const { httpBasicAuth, profiloraApi } = sandboxCredentialData(sandbox);
		const [basicId, profiloraId] = await importCredentials(
			[
				{ name: 'Sandbox Basic', type: 'httpBasicAuth', data: httpBasicAuth },
				{ name: 'Sandbox Profilora', type: 'profiloraApi', data: profiloraApi },
			],
			{ userFolder, runtime },
		);
		const runners: Array<[string, Record<string, unknown>]> = [
			[
				'HTTP Request + Retry On Fail (3 tries), On Error: stop',
				httpRequestNode(false, sandbox, basicId),
			],
			[
				'HTTP Request + Retry On Fail (3 tries), On Error: continue',
				httpRequestNode(true, sandbox, basicId),
			],
			['Profilora, default Sending Options, On Error: continue', profiloraNode(false, profiloraId)],
			[
				'Profilora + Retry When Delivery Is Uncertain, On Error: continue',
				profiloraNode(true, profiloraId),
			],
			[
				'Profilora + Retry On Fail (3 tries), On Error: stop',
				profiloraNode(false, profiloraId, { retryOnFail: true }),
			],
		];
		// `--runners 3,4` runs only those rows (1-based), e.g. to time one of them.
		const picked = arg('runners', '1,2,3,4,5')
			.split(',')
			.map((n) => runners[Number(n) - 1])
			.filter(Boolean);
		for (const [runner, node] of picked) {
			const id = await importWorkflow(workflow(runner, node), { userFolder, runtime });
			sandbox.reset();
			sandbox.faults.configure(campaignFaults(SEED));
			log(`${runner}: ${MESSAGES} messages, ~10% faults, seed ${SEED}`);
			const started = Date.now();
			const { result, output } = await executeWorkflow(id, {
				userFolder,
				runtime,
				allowFailure: true,
				timeoutMs: 900_000,
			});
			const seconds = (Date.now() - started) / 1000;
			const run = result as RunData | undefined;
			const task = run?.data?.resultData?.runData?.Send?.at(-1);
			const items = task?.data?.main?.[0];
			const error = task?.error?.message ?? run?.data?.resultData?.error?.message;
			if (!run) log(`no run data (exit ${output.code}): ${output.stderr.slice(-500)}`);
			const status = error
				? `failed: ${error.slice(0, 80)}`
				: (run?.status ?? (output.code === 0 ? 'success' : `exit ${output.code}`));
			rows.push({
				runner,
				status,
				seconds,
				report: analyseCampaign(sandbox, MESSAGES, items as never),
			});
		}
	} finally {
		await sandbox.stop();
		rmSync(userFolder, { recursive: true, force: true });
		rmSync(pkg, { recursive: true, force: true });
	}

	const out: string[] = [];
	out.push(
		`Real n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}, ${MESSAGES} messages, ~10% faults of every kind, seed ${SEED}, client timeout ${TIMEOUT_MS} ms`,
	);
	out.push('');
	out.push(
		'| runner | execution | output items (sent / failed) | requests | delivered | lost | duplicated messages (extra copies) | duplicates without an ambiguous fault | failed but delivered | time |',
	);
	out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
	for (const { runner, status, report: r, seconds } of rows) {
		const outputs =
			r.outputItems === undefined
				? 'none'
				: `${r.outputItems} (${r.reportedSent} / ${r.reportedFailed})`;
		out.push(
			`| ${runner} | ${status} | ${outputs} | ${r.requests} | ${r.delivered} | ${r.lost} | ${r.duplicatedMessages} (${r.extraCopies}) | ${r.duplicatesWithoutAmbiguousFault} | ${r.reportedFailedButDelivered ?? 'n/a'} | ${seconds.toFixed(0)} s |`,
		);
	}
	process.stdout.write(`${out.join('\n')}\n`);
	if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
