/**
 * `npm run test:e2e`: the package in a real n8n on Node 24, installed on first use by scripts/n8n/install.ts: the
 * newest 2.x by default, n8n 1.123 with `--n8n 1.123` (or N8N_VERSION_LINE=1.123; scripts/n8n/versions.ts).
 *
 *   1. `npm run build`, `npm pack`, and the tarball installed into a fresh user folder the way n8n installs a community
 *      package (e2e/install.ts);
 *   2. the sandbox in this process with random keys; credentials (good, wrong key, wrong base URL) and workflows
 *      (examples/ plus e2e/workflows.ts) imported with n8n's CLI, the example triggers published, then `n8n start`;
 *   3. checks (e2e/checks/*): registration, icons, credential tests, every node executed with `n8n execute` and judged by
 *      its output and the sandbox's record, both triggers fed by the sandbox's webhooks and judged by the executions n8n
 *      stored, refused webhooks, the polling triggers published, polling and across an n8n restart (checks/polling.ts),
 *      failing runs and a secret scan, and bench/compare-retry-on-fail.ts.
 *
 * Options: --keep (keep the user folder), --only <groups> (comma-separated: registration, credentials, profilora,
 * wachatpro, sobot, bursts, inputs, duplicates, batch, resume, replies, polling, delivery, report, guardrails, optout, agent, secrets, bench), --no-bench, --bench-messages N (default 200), --queue (queue mode instead:
 * e2e/queue.ts, with its own options), --n8n <line> (2.x or 1.123; on 1.123 the groups of LINE_GROUPS run unless
 * --only says otherwise).
 * Ends with `e2e: N passed, N failed`; exits 1 on any failure.
 */
import * as fs from 'fs';
import * as path from 'path';

import { buildPackage } from '../scripts/dev/build';
import type { Example } from '../scripts/dev/provision';
import { loadExamples, wireWebhooks } from '../scripts/dev/provision';
import { ensureN8n, isN8nInstalled, localDir } from '../scripts/n8n/install';
import { selectLine, type N8nLineName } from '../scripts/n8n/versions';
import type { RunningN8n } from '../scripts/n8n/process';
import {
	freePort,
	importCredentials,
	publishWorkflow,
	runN8nCli,
	startN8n,
} from '../scripts/n8n/process';
import { DEFAULT_OWNER, N8nRestClient } from '../scripts/n8n/rest';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { agentChecks } from './checks/agent';
import { benchCheck } from './checks/bench';
import { deliveryChecks } from './checks/delivery';
import { duplicateChecks, duplicatesAfterRestartCheck } from './checks/duplicates';
import { statusBatchChecks } from './checks/statusBatch';
import { guardrailChecks, guardrailWorkflows } from './checks/guardrails';
import { optOutGuardrailChecks } from './checks/guardrails-optout';
import { crashResumeCheck } from './checks/resume';
import { inputChecks } from './checks/inputs';
import { replyChecks } from './checks/replies';
import { reportChecks } from './checks/report';
import { pollingChecks } from './checks/polling';
import { profiloraChecks } from './checks/profilora';
import { credentialTestChecks, listSearchChecks, registrationChecks } from './checks/registration';
import { secretChecks } from './checks/secrets';
import { sobotChecks } from './checks/sobot';
import { burstChecks } from './checks/bursts';
import { waChatProChecks } from './checks/wachatpro';
import type { E2eContext } from './context';
import { e2eCredentials, e2eSecrets } from './credentials';
import { SetupFailed, Suite, seconds } from './harness';
import { installTarball, packPackage } from './install';
import { cliDeaths, StoredExecutions } from './n8n';
import { offlineCheck } from './offline';
import { E2E_POLL_TIMES, E2E_PUBLISHED, E2E_WORKFLOWS } from './workflows';

const argv = process.argv.slice(2);
/** Which n8n: `--n8n 1.123` (also exported as N8N_VERSION_LINE to everything started from here). */
const LINE = selectLine(argv);
const KEEP = argv.includes('--keep');
const BENCH = !argv.includes('--no-bench');
const BENCH_MESSAGES = Number(argv[argv.indexOf('--bench-messages') + 1]) || 200;
/** `--only sobot,polling`: run only these groups of checks (while working on one part; CI runs them all). */
const ONLY = argv.includes('--only')
	? new Set(String(argv[argv.indexOf('--only') + 1]).split(','))
	: undefined;

/**
 * The groups a line runs by default (all of them on 2.x), and why the others are left out there. On 1.123 every node
 * and trigger gets at least one check: a send of each node, the Sobot campaigns (one with a Campaign ID, crashed and
 * run again: "already sent"), both webhook triggers with duplicates and across a restart, both polling triggers, Send
 * and Wait for Reply (refused there, with the version it needs), the locator searches.
 */
const LINE_GROUPS: Record<
	N8nLineName,
	{ skipped: Record<string, string>; bulkDuplicates: boolean }
> = {
	'2.x': { skipped: {}, bulkDuplicates: true },
	'1.123': {
		// The 200-status duplicate run (about 3 minutes) is left to 2.x; the duplicate checks themselves run.
		bulkDuplicates: false,
		skipped: {
			inputs: 'bad-input and pairing checks are n8n-independent node code, run on 2.x',
			delivery:
				"the delivery-tracking examples address their data tables by name, a mode n8n 1.123's Data table node lacks (it has ID and From List)",
			agent: "the AI agent example is saved with n8n 2.x's AI Agent 3.1; 1.123 has version 3 only",
			secrets: 'the secret scan is run on 2.x',
			bursts:
				"Group Bursts relies on the order in which n8n answers a webhook, read in 2.41's webhook-helpers and proven on 2.x",
			bench: 'benchmarks are measured on 2.x',
			report:
				"the report's chart is read through 2.x's binary-data endpoint; 1.123 keeps the file inside the execution",
			optout:
				"the opt-out examples address their data table by name, a mode n8n 1.123's Data table node lacks",
			guardrails:
				'the window and limit runs take minutes each; they are proven on 2.x (single and queue mode)',
			batch:
				'n8n 1.x answers a webhook before it creates the execution (2.x after), so the crash check of status batching, which counts answered statuses, is for 2.x',
		},
	},
};
const SKIPPED = ONLY ? {} : LINE_GROUPS[LINE.name].skipped;
const wanted = (group: string): boolean => (ONLY ? ONLY.has(group) : !(group in SKIPPED));

/**
 * The examples as e2e imports them: the polling triggers poll every 15 s instead of every minute (four minute-granular
 * Poll Times, which n8n accepts), so the checks wait seconds, not minutes, for the next poll.
 */
function asImported(example: Example): Record<string, unknown> {
	const workflow = { active: false, ...example.workflow };
	if (!example.poller) return workflow;
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.name === example.poller?.nodeName
				? { ...node, parameters: { ...node.parameters, pollTimes: E2E_POLL_TIMES } }
				: node,
		),
	};
}

async function main(): Promise<number> {
	const suite = new Suite();
	const timings: string[] = [];
	// Own folder per run: parallel runs sharing one N8N_LOCAL_DIR (and so one installed n8n) do not meet.
	const workDir = path.join(localDir(), `e2e-${LINE.name}-${process.pid}`);
	const userFolder = path.join(workDir, 'user');
	let sandbox: Sandbox | undefined;
	let n8n: RunningN8n | undefined;
	console.log(
		`e2e: real n8n ${LINE.n8nVersion} (line ${LINE.name}) against the sandbox; work folder ${workDir}`,
	);
	for (const [group, why] of Object.entries(SKIPPED))
		console.log(`  not run on n8n ${LINE.name}: ${group} (${why})`);

	try {
		fs.rmSync(workDir, { recursive: true, force: true });
		fs.mkdirSync(userFolder, { recursive: true });

		await suite.setup('npm run build', async () => {
			const started = Date.now();
			await buildPackage();
			timings.push(`build ${seconds(Date.now() - started)}`);
		});
		const installedDir = await suite.setup(
			"npm pack, and the tarball installed into n8n's nodes folder as n8n installs it",
			async () => {
				const pack = await packPackage(workDir);
				const dir = await installTarball(userFolder, pack);
				const nonDist = pack.files.filter(
					(f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f),
				);
				suite.note(
					`${path.basename(pack.tarball)}: ${pack.files.length} files, ${(pack.sizeBytes / 1024).toFixed(0)} kB packed`,
				);
				if (nonDist.length)
					throw new Error(`the tarball holds files outside dist/: ${nonDist.join(', ')}`);
				if (fs.lstatSync(dir).isSymbolicLink())
					throw new Error(`${dir} is a symlink, not an installed copy`);
				return dir;
			},
		);
		const runtime = await suite.setup(
			'n8n runtime: pinned n8n on Node 24 (installed on first use)',
			async () => {
				const warm = isN8nInstalled();
				const started = Date.now();
				const installed = await ensureN8n();
				const took = seconds(Date.now() - started);
				suite.note(
					`n8n ${installed.n8nVersion} on Node ${installed.nodeVersion}: ${warm ? 'already installed' : `installed cold in ${took}`}`,
				);
				timings.push(`n8n runtime ${warm ? 'warm' : `cold install ${took}`}`);
				return installed;
			},
		);

		const { webhookSecrets, credentials } = e2eSecrets();
		sandbox = await startSandbox({ credentials });
		const { cases, labelled } = e2eCredentials(sandbox, await freePort(), webhookSecrets);
		const examples = loadExamples();
		const exec = { userFolder, runtime };

		await suite.setup(
			'import credentials and workflows with the n8n CLI, publish the example triggers',
			async () => {
				const started = Date.now();
				await importCredentials(
					cases.map(({ id, name, type, data }) => ({ id, name, type, data })),
					exec,
				);
				const file = path.join(workDir, 'workflows.json');
				fs.writeFileSync(
					file,
					JSON.stringify(
						[...examples.map(asImported), ...E2E_WORKFLOWS, ...guardrailWorkflows()],
						null,
						2,
					),
				);
				await runN8nCli(['import:workflow', `--input=${file}`], exec);
				// The polling examples are published later, by e2e/checks/polling.ts, so their polls do not mix into the
				// requests other checks count.
				for (const example of examples.filter((e) => e.trigger))
					await publishWorkflow(example.workflow.id, exec);
				for (const id of E2E_PUBLISHED) await publishWorkflow(id, exec);
				suite.note(
					`${cases.length} credentials, ${examples.length + E2E_WORKFLOWS.length} workflows, ${examples.filter((e) => e.trigger).length} published`,
				);
				timings.push(`imports ${seconds(Date.now() - started)}`);
			},
		);
		const startOptions = {
			userFolder,
			runtime,
			owner: DEFAULT_OWNER,
			logFile: path.join(workDir, 'n8n.log'),
		};
		n8n = await suite.setup('n8n start (owner from env, published triggers active)', async () => {
			const started = await startN8n(startOptions);
			suite.note(`${started.url}, ready in ${seconds(started.startupMs)}`);
			timings.push(`n8n startup ${seconds(started.startupMs)}`);
			return started;
		});
		const rest = new N8nRestClient(n8n.url);
		await rest.login(DEFAULT_OWNER);
		const wired = wireWebhooks(sandbox, examples, n8n.url, webhookSecrets);
		console.log(`  sandbox ${sandbox.url}; webhooks → ${Object.values(wired).join(', ')}`);

		const ctx: E2eContext = {
			suite,
			sandbox,
			n8n,
			rest,
			stored: new StoredExecutions(rest, runtime),
			exec,
			webhookSecrets,
			examples,
			secrets: labelled,
			cliOutputs: [],
			installedDir,
			restartN8n: async ({ kill = false, whileStopped } = {}) => {
				const running = ctx.n8n;
				const earlier = running.logs();
				// A crash: the whole process group at once, with no chance to finish or save anything.
				if (kill && running.process.pid !== undefined)
					process.kill(-running.process.pid, 'SIGKILL');
				await running.stop();
				await whileStopped?.();
				const started = await startN8n({ ...startOptions, port: running.port });
				n8n = ctx.n8n = { ...started, logs: () => [...earlier, ...started.logs()] };
				await ctx.rest.login(DEFAULT_OWNER);
				return started.startupMs;
			},
		};
		const checksStarted = Date.now();
		if (wanted('registration')) await registrationChecks(ctx);
		if (wanted('credentials')) {
			await credentialTestChecks(ctx, cases);
			await listSearchChecks(ctx, cases);
		}
		if (wanted('profilora')) await profiloraChecks(ctx);
		if (wanted('wachatpro')) await waChatProChecks(ctx);
		if (wanted('sobot')) await sobotChecks(ctx);
		if (wanted('bursts'))
			await burstChecks(ctx, { restart: async (kill) => await ctx.restartN8n({ kill }) });
		if (wanted('inputs')) await inputChecks(ctx);
		if (wanted('duplicates')) {
			const seen = await duplicateChecks(ctx, { bulk: LINE_GROUPS[LINE.name].bulkDuplicates });
			await suite.check('n8n stopped and started again', async () => {
				suite.note(`ready again in ${seconds(await ctx.restartN8n())}`);
			});
			await duplicatesAfterRestartCheck(ctx, seen);
		}
		if (wanted('batch'))
			await statusBatchChecks(ctx, {
				webhookBase: () => ctx.n8n.url,
				crash: {
					what: 'n8n SIGKILLed',
					run: async () => {
						const startupMs = await ctx.restartN8n({ kill: true });
						return `n8n killed and started again (ready in ${seconds(startupMs)})`;
					},
				},
			});
		if (wanted('resume')) await crashResumeCheck(ctx);
		if (wanted('replies')) await replyChecks(ctx);
		if (wanted('polling')) await pollingChecks(ctx);
		if (wanted('delivery')) await deliveryChecks(ctx);
		if (wanted('report')) await reportChecks(ctx);
		if (wanted('guardrails'))
			await guardrailChecks(ctx, {
				restart: { what: 'n8n restarted', run: async () => await ctx.restartN8n() },
			});
		if (wanted('optout')) await optOutGuardrailChecks(ctx, { webhookBaseUrl: () => ctx.n8n.url });
		if (wanted('agent')) await agentChecks(ctx);
		if (wanted('secrets')) await secretChecks(ctx);
		timings.push(`checks in n8n ${seconds(Date.now() - checksStarted)}`);
		if (BENCH && wanted('bench')) {
			const started = Date.now();
			await benchCheck(ctx, BENCH_MESSAGES);
			timings.push(`bench ${seconds(Date.now() - started)}`);
		}
	} catch (error) {
		if (!(error instanceof SetupFailed)) {
			suite.results.push({
				name: 'e2e run',
				ok: false,
				ms: 0,
				error: error instanceof Error ? (error.stack ?? error.message) : String(error),
				notes: [],
			});
		}
	} finally {
		await n8n?.stop().catch(() => {});
		await sandbox?.stop().catch(() => {});
	}
	// After every n8n process has stopped, so that what n8n does at shutdown counts too.
	if (n8n) await offlineCheck(suite, workDir);

	const keep = KEEP || suite.failed > 0;
	if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
	const deaths = cliDeaths.length
		? `n8n execute died after printing a complete result ${cliDeaths.length} time(s) (${[...new Set(cliDeaths)].join(', ')}): judged by the executions n8n stored`
		: '';
	console.log(
		suite.summary(
			[
				`timings: ${timings.join(', ')}`,
				deaths,
				keep ? `kept for inspection: ${workDir} (n8n.log, user/.n8n)` : '',
			].filter(Boolean),
		),
	);
	return suite.failed > 0 ? 1 : 0;
}

// --queue: the same package checks in n8n's queue mode (e2e/queue.ts).
(argv.includes('--queue')
	? import('./queue').then(({ runQueueE2e }) => runQueueE2e(argv))
	: main()
).then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		console.log('e2e: 0 passed, 1 failed');
		process.exit(1);
	},
);
