/**
 * `npm run test:e2e -- --queue`: the package in n8n's queue mode (scripts/n8n/queue.ts): PostgreSQL, Redis, main,
 * two workers and a webhook processor, each process with its own user folder and the packed package installed in it.
 *
 *   1. `npm run build`, `npm pack`, the tarball installed into every process's nodes folder as n8n installs it;
 *   2. a fresh PostgreSQL database and Redis prefix; credentials and workflows imported with n8n's CLI into it, the
 *      example triggers published; all processes started; the sandbox's webhooks pointed at the webhook processor;
 *   3. the checks that apply in queue mode: registration, credential tests, every send operation (e2e/checks/*, each
 *      run on a worker through REST instead of `n8n execute`), both triggers through the webhook processor, Sobot
 *      media and a large Send File in the database binary mode (worker memory measured), two campaigns of one sender
 *      at once (pacing measured), the helpers for multi-process checks, and the secret scan over every process's log,
 *      the PostgreSQL database and the run's Redis keys.
 *
 * Options: --keep (keep folders, database and Redis keys), --file-mb N (Send File size, default 50).
 * Ends with `e2e: N passed, N failed`.
 */
import * as fs from 'fs';
import * as path from 'path';

import { buildPackage } from '../scripts/dev/build';
import { loadExamples, wireWebhooks } from '../scripts/dev/provision';
import { ensureN8n, localDir } from '../scripts/n8n/install';
import { selectLine } from '../scripts/n8n/versions';
import { freePort, importCredentials, publishWorkflow } from '../scripts/n8n/process';
import type { QueueStack } from '../scripts/n8n/queue';
import { startQueueStack } from '../scripts/n8n/queue';
import { DEFAULT_OWNER, N8nRestClient } from '../scripts/n8n/rest';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { guardrailChecks, guardrailWorkflows } from './checks/guardrails';
import { optOutGuardrailChecks } from './checks/guardrails-optout';
import { profiloraChecks } from './checks/profilora';
import { queueDurabilityChecks } from './checks/queue-durability';
import {
	queueBinaryChecks,
	readStoredFile,
	startFileServer,
	storedFile,
} from './checks/queue-binary';
import { queuePacingCheck } from './checks/queue-pacing';
import { queueHelperChecks, queueProcessChecks } from './checks/queue-processes';
import { queueSecretChecks } from './checks/queue-secrets';
import { replyChecks } from './checks/replies';
import { reportChecks } from './checks/report';
import { credentialTestChecks, listSearchChecks, registrationChecks } from './checks/registration';
import { failingRunChecks } from './checks/secrets';
import { sobotChecks } from './checks/sobot';
import { statusBatchChecks } from './checks/statusBatch';
import { burstChecks } from './checks/bursts';
import { waChatProChecks } from './checks/wachatpro';
import { e2eCredentials, e2eSecrets } from './credentials';
import { SetupFailed, Suite, seconds, waitFor } from './harness';
import { installTarball, packPackage } from './install';
import { StoredExecutions } from './n8n';
import { offlineCheck } from './offline';
import type { QueueE2eContext } from './queue-tools';
import { queueRunner } from './queue-tools';
import { queueWorkflows } from './queue-workflows';
import { E2E_PUBLISHED, E2E_WORKFLOWS } from './workflows';

export async function runQueueE2e(argv: string[]): Promise<number> {
	const line = selectLine(argv);
	if (!line.has.queueE2e) {
		console.log(
			`e2e (queue mode) runs on n8n 2.x only; n8n ${line.n8nVersion} is tested in single mode (npm run test:e2e -- --n8n ${line.name})`,
		);
		console.log('e2e: 0 passed, 1 failed');
		return 1;
	}
	const keepAsked = argv.includes('--keep');
	const fileMb = Number(argv[argv.indexOf('--file-mb') + 1]) || 50;
	// `--only replies,pacing`: only these groups (while working on one part; CI runs them all).
	const only = argv.includes('--only')
		? new Set(String(argv[argv.indexOf('--only') + 1]).split(','))
		: undefined;
	const wanted = (group: string): boolean => !only || only.has(group);
	const suite = new Suite();
	const timings: string[] = [];
	// Own folder per run (the database and Redis prefix are random too): parallel runs do not meet.
	const workDir = path.join(localDir(), `e2e-queue-${process.pid}`);
	let sandbox: Sandbox | undefined;
	let stack: QueueStack | undefined;
	let fileServer: Awaited<ReturnType<typeof startFileServer>> | undefined;
	console.log(
		`e2e (queue mode): n8n main + 2 workers + webhook processor on PostgreSQL and Redis; work folder ${workDir}`,
	);

	try {
		fs.rmSync(workDir, { recursive: true, force: true });
		fs.mkdirSync(workDir, { recursive: true });
		await suite.setup('npm run build', async () => {
			const started = Date.now();
			await buildPackage();
			timings.push(`build ${seconds(Date.now() - started)}`);
		});
		const pack = await suite.setup('npm pack', () => packPackage(workDir));
		const runtime = await ensureN8n();

		const { webhookSecrets, credentials } = e2eSecrets();
		sandbox = await startSandbox({ credentials });
		const { cases, labelled } = e2eCredentials(sandbox, await freePort(), webhookSecrets);
		const examples = loadExamples();
		fileServer = await startFileServer(fileMb);
		const workflows = [
			...examples.map((e) => ({ active: false, ...e.workflow })),
			...E2E_WORKFLOWS,
			...queueWorkflows(fileServer.url),
			...guardrailWorkflows(),
		];

		let firstInstall: string | undefined;
		stack = await suite.setup(
			'queue stack: PostgreSQL database + Redis prefix of its own, main, 2 workers, webhook processor (package installed on each)',
			async () => {
				const started = Date.now();
				const up = await startQueueStack({
					workDir,
					label: 'e2e',
					runtime,
					owner: DEFAULT_OWNER,
					keep: keepAsked,
					// One job at a time per worker: two executions started together land on two workers (the pacing check
					// relies on it). n8n warns about concurrency below 5; production keeps its default of 10.
					workerConcurrency: 1,
					installPackage: async (userFolder) => {
						if (!firstInstall) {
							firstInstall = await installTarball(userFolder, pack);
							return;
						}
						// The same install, copied: identical files on every process, without another npm run.
						fs.cpSync(
							path.join(path.dirname(path.dirname(firstInstall))),
							path.join(userFolder, '.n8n', 'nodes'),
							{ recursive: true },
						);
					},
					provision: async ({ cli, cliOptions }) => {
						await importCredentials(
							cases.map(({ id, name, type, data }) => ({ id, name, type, data })),
							cliOptions,
						);
						const file = path.join(workDir, 'workflows.json');
						fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
						await cli(['import:workflow', `--input=${file}`]);
						for (const example of examples.filter((e) => e.trigger))
							await publishWorkflow(example.workflow.id, cliOptions);
						for (const id of E2E_PUBLISHED) await publishWorkflow(id, cliOptions);
					},
				});
				suite.note(
					`database ${up.database.name} (PostgreSQL ${up.services.postgres}), Redis prefix ${up.redis.prefix} (Redis ${up.services.redis})`,
				);
				suite.note(
					`main ${up.mainUrl}, webhook processor ${up.webhookUrl}, ${up.workers.map((w) => `${w.name} pid ${w.pid}`).join(', ')}`,
				);
				suite.note(
					`${cases.length} credentials, ${workflows.length} workflows imported; up in ${seconds(Date.now() - started)}`,
				);
				timings.push(`stack up ${seconds(Date.now() - started)}`);
				return up;
			},
		);

		const rest = new N8nRestClient(stack.mainUrl);
		await rest.login(DEFAULT_OWNER);
		// Main prints its ready line while the other processes keep the machine busy; one "fetch failed" on the large
		// node-types file right after it was seen once. Wait until main serves it before judging anything.
		await waitFor(
			'main to serve /types/nodes.json',
			async () => ((await rest.nodeTypes()).length > 0 ? true : undefined),
			60_000,
			1000,
		);
		// The vendors post to the webhook processor, as a load balancer would route /webhook/ in production.
		const wired = wireWebhooks(sandbox, examples, stack.webhookUrl, webhookSecrets);
		console.log(`  sandbox ${sandbox.url}; webhooks → ${Object.values(wired).join(', ')}`);

		const stored = new StoredExecutions(rest, runtime);
		const ranOn = new Map<string, string>();
		const ctx: QueueE2eContext = {
			suite,
			sandbox,
			n8n: stack.main.running,
			rest,
			stored,
			exec: { userFolder: stack.main.userFolder, runtime },
			webhookSecrets,
			examples,
			secrets: labelled,
			cliOutputs: [],
			installedDir: firstInstall!,
			stack,
			restartN8n: async () => {
				throw new Error(
					'queue mode restarts single processes: stack.restartWorker(), process kill()',
				);
			},
		};
		ctx.runner = queueRunner(ctx, ranOn);
		// The editor's download refuses files a trigger stored in webhook() in this mode (n8n 2.41, see
		// checks/queue-processes.ts): read stored files where the workers read them, in PostgreSQL.
		ctx.readBinary = (id) => readStoredFile(ctx, id);

		const checksStarted = Date.now();
		if (wanted('registration')) await registrationChecks(ctx);
		if (wanted('credentials')) {
			await credentialTestChecks(ctx, cases);
			await listSearchChecks(ctx, cases);
		}
		if (wanted('profilora')) await profiloraChecks(ctx);
		if (wanted('wachatpro')) await waChatProChecks(ctx);
		if (wanted('sobot')) await sobotChecks(ctx);
		// The burst is held in the webhook processor's memory; its execution runs on a worker.
		if (wanted('bursts')) await burstChecks(ctx, { webhookBaseUrl: () => stack!.webhookUrl });
		if (wanted('failing')) await failingRunChecks(ctx);
		if (wanted('processes')) await queueProcessChecks(ctx, ranOn);
		if (wanted('binary')) await queueBinaryChecks(ctx, fileServer);
		if (wanted('pacing')) await queuePacingCheck(ctx);
		if (wanted('helpers')) await queueHelperChecks(ctx);
		if (wanted('durability')) await queueDurabilityChecks(ctx);
		// Batches are held on the webhook processor; the executions run on the workers.
		if (wanted('batch')) await statusBatchChecks(ctx, { webhookBase: () => stack!.webhookUrl });
		// Send and Wait for Reply: the trigger on the webhook processor, the waiting execution on the workers.
		if (wanted('replies'))
			await replyChecks(ctx, {
				webhookBaseUrl: () => stack!.webhookUrl,
				storedFile: async (id) => await storedFile(ctx, id),
				restart: {
					what: 'both workers restarted',
					run: async () => {
						const started = Date.now();
						await stack!.restartWorker(0);
						await stack!.restartWorker(1);
						return Date.now() - started;
					},
				},
			});
		if (wanted('report')) await reportChecks(ctx);
		// The window's hold waits in PostgreSQL; the workers that run the execution are replaced while it waits.
		if (wanted('guardrails'))
			await guardrailChecks(ctx, {
				restart: {
					what: 'both workers restarted',
					run: async () => {
						const started = Date.now();
						await stack!.restartWorker(0);
						await stack!.restartWorker(1);
						return Date.now() - started;
					},
				},
			});
		// Opt-outs through the webhook processor into a data table, campaigns and the ban on the workers.
		if (wanted('optout'))
			await optOutGuardrailChecks(ctx, { webhookBaseUrl: () => stack!.webhookUrl });
		if (wanted('secrets')) await queueSecretChecks(ctx);
		timings.push(`checks ${seconds(Date.now() - checksStarted)}`);
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
		const keep = keepAsked || suite.failed > 0;
		// stop() drops the database and the Redis keys unless the stack was started with keep; a failure keeps them too.
		if (stack && keep && !keepAsked) {
			console.log(
				`  kept for inspection: database ${stack.database.name}, Redis prefix ${stack.redis.prefix}`,
			);
		}
		await (keep ? stopKeeping(stack) : stack?.stop())?.catch(() => {});
		await sandbox?.stop().catch(() => {});
		await fileServer?.close().catch(() => {});
	}
	// After every n8n process has stopped, so that what n8n does at shutdown counts too.
	if (stack) await offlineCheck(suite, workDir);

	const keep = keepAsked || suite.failed > 0;
	if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
	console.log(
		suite.summary([
			`timings: ${timings.join(', ')}`,
			keep
				? `kept for inspection: ${workDir} (<process>.log, <process>/.n8n)${stack ? `, database ${stack.database.name}, Redis prefix ${stack.redis.prefix}` : ''}`
				: '',
		]),
	);
	return suite.failed > 0 ? 1 : 0;
}

/** Stops the processes but leaves the database and Redis keys (drop them with `DROP DATABASE`, `redis-cli --scan`). */
async function stopKeeping(stack: QueueStack | undefined): Promise<void> {
	if (!stack) return;
	await Promise.all(
		stack.all.filter((p) => p.role !== 'main').map((p) => p.stop().catch(() => {})),
	);
	await stack.main.stop().catch(() => {});
}
