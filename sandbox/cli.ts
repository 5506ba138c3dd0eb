/**
 * `npm run sandbox -- [--port 8787] [--seed 42] [--webhook-profilora URL] [--webhook-sobot URL]`
 * Starts the sandbox gateway on 127.0.0.1 and prints where each vendor API and the admin API live.
 */
import { DEFAULT_CREDENTIALS } from './credentials';
import { startSandbox } from './server';

function flag(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main() {
	const sandbox = await startSandbox({
		port: Number(flag('port') ?? 0),
		seed: Number(flag('seed') ?? 42),
	});
	for (const vendor of ['profilora', 'sobot'] as const) {
		const url = flag(`webhook-${vendor}`);
		if (url) sandbox.webhooks.targets[vendor] = { url };
	}
	const c = DEFAULT_CREDENTIALS;
	console.log(`Sandbox gateway listening on ${sandbox.url}`);
	console.log(
		`  Profilora  base URL ${sandbox.baseUrl('profilora')}  key ${c.profilora.apiKey}  secret ${c.profilora.apiSecret}`,
	);
	console.log(`             agents   ${c.profilora.agents.join(', ')}`);
	console.log(`  WAChatPro  base URL ${sandbox.baseUrl('wachatpro')}  key ${c.wachatpro.key}`);
	console.log(
		`  Sobot      base URL ${sandbox.baseUrl('sobot')}  access key ${c.sobot.accessKey}  secret key ${c.sobot.secretKey}`,
	);
	console.log(
		`  Model      base URL ${sandbox.modelBaseUrl()}  key ${c.model.apiKey}  (a fake OpenAI-compatible model: sandbox/model/)`,
	);
	console.log(
		`  Admin API  ${sandbox.url}/__admin (requests, accepted, webhooks, state, reset, faults, incoming, status)`,
	);
	const stop = async () => {
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

void main();
