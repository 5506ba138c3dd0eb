/**
 * `npm run test:e2e`: the package in a real n8n (2.41.1 on Node 24, installed on first use by scripts/n8n/install.ts).
 *
 *   1. `npm run build`, `npm pack`, and the tarball installed into a fresh user folder the way n8n installs a community
 *      package (e2e/install.ts);
 *   2. the sandbox in this process with random keys; credentials (good, wrong key, wrong base URL) and workflows
 *      (examples/ plus e2e/workflows.ts) imported with n8n's CLI, the example triggers published, then `n8n start`;
 *   3. checks (e2e/checks/*): registration, icons, credential tests, every node executed with `n8n execute` and judged by
 *      its output and the sandbox's record, both triggers fed by the sandbox's webhooks and judged by the executions n8n
 *      stored, refused webhooks, failing runs and a secret scan, and bench/compare-retry-on-fail.ts.
 *
 * Options: --keep (keep the user folder), --no-bench, --bench-messages N (default 200).
 * Ends with `e2e: N passed, N failed`; exits 1 on any failure.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { buildPackage } from '../scripts/dev/build';
import type { ImportableCredential, WebhookSecrets } from '../scripts/dev/provision';
import { loadExamples, sandboxCredentials, wireWebhooks } from '../scripts/dev/provision';
import { ensureN8n, isN8nInstalled, localDir } from '../scripts/n8n/install';
import type { RunningN8n } from '../scripts/n8n/process';
import { freePort, importCredentials, publishWorkflow, runN8nCli, startN8n } from '../scripts/n8n/process';
import { DEFAULT_OWNER, N8nRestClient } from '../scripts/n8n/rest';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';
import { benchCheck } from './checks/bench';
import { profiloraChecks } from './checks/profilora';
import type { CredentialCase } from './checks/registration';
import { credentialTestChecks, registrationChecks } from './checks/registration';
import { secretChecks } from './checks/secrets';
import { sobotChecks } from './checks/sobot';
import { waChatProChecks } from './checks/wachatpro';
import type { E2eContext } from './context';
import { SetupFailed, Suite, seconds } from './harness';
import { installTarball, packPackage } from './install';
import { cliDeaths, StoredExecutions } from './n8n';
import { E2E_CREDENTIAL_IDS, E2E_WORKFLOWS } from './workflows';

const argv = process.argv.slice(2);
const KEEP = argv.includes('--keep');
const BENCH = !argv.includes('--no-bench');
const BENCH_MESSAGES = Number(argv[argv.indexOf('--bench-messages') + 1]) || 200;

/** A secret no other string in the run contains by chance. */
const secret = (label: string) => `e2e-${label}-${randomBytes(8).toString('hex')}`;

function e2eCredentials(sandbox: Sandbox, closedPort: number, secrets: WebhookSecrets): { cases: CredentialCase[]; labelled: E2eContext['secrets'] } {
	const good = sandboxCredentials(sandbox, secrets);
	const wrong = {
		profilora: { apiKey: secret('wrong-profilora-key'), apiSecret: secret('wrong-profilora-secret') },
		waChatPro: { secretKey: secret('wrong-wachatpro-key') },
		sobot: { apiKey: secret('wrong-sobot-access'), secretKey: secret('wrong-sobot-secret') },
	};
	const nowhere = `http://127.0.0.1:${closedPort}`;
	const c = sandbox.credentials;
	const extra: ImportableCredential[] = [
		{ id: E2E_CREDENTIAL_IDS.badKey.profilora, name: 'Profilora (wrong key)', type: 'profiloraApi', data: { ...wrong.profilora, baseUrl: sandbox.baseUrl('profilora') } },
		{ id: E2E_CREDENTIAL_IDS.badKey.waChatPro, name: 'WAChatPro (wrong key)', type: 'waChatProApi', data: { ...wrong.waChatPro, baseUrl: sandbox.baseUrl('wachatpro') } },
		{ id: E2E_CREDENTIAL_IDS.badKey.sobot, name: 'Sobot (wrong key)', type: 'sobotApi', data: { ...wrong.sobot, baseUrl: sandbox.baseUrl('sobot') } },
		// The right keys sent where nothing listens: an error must not carry them along.
		{ id: E2E_CREDENTIAL_IDS.badUrl.profilora, name: 'Profilora (wrong base URL)', type: 'profiloraApi', data: { apiKey: c.profilora.apiKey, apiSecret: c.profilora.apiSecret, baseUrl: nowhere } },
		{ id: E2E_CREDENTIAL_IDS.badUrl.waChatPro, name: 'WAChatPro (wrong base URL)', type: 'waChatProApi', data: { secretKey: c.wachatpro.key, baseUrl: nowhere } },
		{ id: E2E_CREDENTIAL_IDS.badUrl.sobot, name: 'Sobot (wrong base URL)', type: 'sobotApi', data: { apiKey: c.sobot.accessKey, secretKey: c.sobot.secretKey, baseUrl: nowhere } },
		{ id: E2E_CREDENTIAL_IDS.shortSecret, name: 'Webhook header secret (too short)', type: 'whatsAppWebhookHeaderAuthApi', data: { name: 'X-Webhook-Secret', secret: 'short' } },
	];
	const cases: CredentialCase[] = [
		...good.map((credential) => ({ ...credential, expect: 'OK' as const })),
		...extra.map((credential) => ({ ...credential, expect: 'Error' as const })),
	];
	const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
	const labelled = [
		{ label: 'Profilora API key', value: c.profilora.apiKey },
		{ label: 'Profilora API secret', value: c.profilora.apiSecret },
		{ label: 'Profilora Basic header', value: basic(c.profilora.apiKey, c.profilora.apiSecret) },
		{ label: 'WAChatPro key', value: c.wachatpro.key },
		{ label: 'Sobot access key', value: c.sobot.accessKey },
		{ label: 'Sobot secret key', value: c.sobot.secretKey },
		{ label: 'wrong Profilora key', value: wrong.profilora.apiKey },
		{ label: 'wrong Profilora secret', value: wrong.profilora.apiSecret },
		{ label: 'wrong Profilora Basic header', value: basic(wrong.profilora.apiKey, wrong.profilora.apiSecret) },
		{ label: 'wrong WAChatPro key', value: wrong.waChatPro.secretKey },
		{ label: 'wrong Sobot access key', value: wrong.sobot.apiKey },
		{ label: 'wrong Sobot secret key', value: wrong.sobot.secretKey },
		{ label: 'webhook header secret', value: secrets.header.secret },
		{ label: 'webhook query token', value: secrets.query.token },
		{ label: 'webhook basic password', value: secrets.basic.password },
	];
	return { cases, labelled };
}

async function main(): Promise<number> {
	const suite = new Suite();
	const timings: string[] = [];
	const workDir = path.join(localDir(), 'e2e');
	const userFolder = path.join(workDir, 'user');
	let sandbox: Sandbox | undefined;
	let n8n: RunningN8n | undefined;
	console.log(`e2e: real n8n against the sandbox; work folder ${workDir}`);

	try {
		fs.rmSync(workDir, { recursive: true, force: true });
		fs.mkdirSync(userFolder, { recursive: true });

		await suite.setup('npm run build', async () => {
			const started = Date.now();
			await buildPackage();
			timings.push(`build ${seconds(Date.now() - started)}`);
		});
		const installedDir = await suite.setup("npm pack, and the tarball installed into n8n's nodes folder as n8n installs it", async () => {
			const pack = await packPackage(workDir);
			const dir = await installTarball(userFolder, pack);
			const nonDist = pack.files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f));
			suite.note(`${path.basename(pack.tarball)}: ${pack.files.length} files, ${(pack.sizeBytes / 1024).toFixed(0)} kB packed`);
			if (nonDist.length) throw new Error(`the tarball holds files outside dist/: ${nonDist.join(', ')}`);
			if (fs.lstatSync(dir).isSymbolicLink()) throw new Error(`${dir} is a symlink, not an installed copy`);
			return dir;
		});
		const runtime = await suite.setup('n8n runtime: pinned n8n on Node 24 (installed on first use)', async () => {
			const warm = isN8nInstalled();
			const started = Date.now();
			const installed = await ensureN8n();
			const took = seconds(Date.now() - started);
			suite.note(`n8n ${installed.n8nVersion} on Node ${installed.nodeVersion}: ${warm ? 'already installed' : `installed cold in ${took}`}`);
			timings.push(`n8n runtime ${warm ? 'warm' : `cold install ${took}`}`);
			return installed;
		});

		const webhookSecrets: WebhookSecrets = {
			header: { name: 'X-Webhook-Secret', secret: secret('header-secret') },
			query: { name: 'token', token: secret('query-token') },
			basic: { user: 'sandbox', password: secret('basic-password') },
		};
		sandbox = await startSandbox({
			credentials: {
				profilora: { apiKey: secret('profilora-key'), apiSecret: secret('profilora-secret'), agents: ['6281100000001@s.whatsapp.net', '6281100000002@s.whatsapp.net'] },
				wachatpro: { key: secret('wachatpro-key') },
				sobot: { accessKey: secret('sobot-access'), secretKey: secret('sobot-secret') },
			},
		});
		const { cases, labelled } = e2eCredentials(sandbox, await freePort(), webhookSecrets);
		const examples = loadExamples();
		const exec = { userFolder, runtime };

		await suite.setup('import credentials and workflows with the n8n CLI, publish the example triggers', async () => {
			const started = Date.now();
			await importCredentials(
				cases.map(({ id, name, type, data }) => ({ id, name, type, data })),
				exec,
			);
			const file = path.join(workDir, 'workflows.json');
			fs.writeFileSync(file, JSON.stringify([...examples.map((e) => ({ active: false, ...e.workflow })), ...E2E_WORKFLOWS], null, 2));
			await runN8nCli(['import:workflow', `--input=${file}`], exec);
			for (const example of examples.filter((e) => e.trigger)) await publishWorkflow(example.workflow.id, exec);
			suite.note(`${cases.length} credentials, ${examples.length + E2E_WORKFLOWS.length} workflows, ${examples.filter((e) => e.trigger).length} published`);
			timings.push(`imports ${seconds(Date.now() - started)}`);
		});
		n8n = await suite.setup('n8n start (owner from env, published triggers active)', async () => {
			const started = await startN8n({ userFolder, runtime, owner: DEFAULT_OWNER, logFile: path.join(workDir, 'n8n.log') });
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
		};
		const checksStarted = Date.now();
		await registrationChecks(ctx);
		await credentialTestChecks(ctx, cases);
		await profiloraChecks(ctx);
		await waChatProChecks(ctx);
		await sobotChecks(ctx);
		await secretChecks(ctx);
		timings.push(`checks in n8n ${seconds(Date.now() - checksStarted)}`);
		if (BENCH) {
			const started = Date.now();
			await benchCheck(ctx, BENCH_MESSAGES);
			timings.push(`bench ${seconds(Date.now() - started)}`);
		}
	} catch (error) {
		if (!(error instanceof SetupFailed)) {
			suite.results.push({ name: 'e2e run', ok: false, ms: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error), notes: [] });
		}
	} finally {
		await n8n?.stop().catch(() => {});
		await sandbox?.stop().catch(() => {});
	}

	const keep = KEEP || suite.failed > 0;
	if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
	const deaths = cliDeaths.length
		? `n8n execute died after printing a complete result ${cliDeaths.length} time(s) (${[...new Set(cliDeaths)].join(', ')}): judged by the executions n8n stored`
		: '';
	console.log(suite.summary([`timings: ${timings.join(', ')}`, deaths, keep ? `kept for inspection: ${workDir} (n8n.log, user/.n8n)` : ''].filter(Boolean)));
	return suite.failed > 0 ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		console.log('e2e: 0 passed, 1 failed');
		process.exit(1);
	},
);
