/**
 * The sandbox in its own process, so that its CPU (parsing a 67 MB JSON body, say) and memory never count
 * towards what a benchmark measures in the process that runs the node. Prints `{"url": ...}` once
 * listening; exits when its parent closes stdin or sends SIGTERM.
 */
import { startSandbox } from '../sandbox/server';

async function main() {
	// Bodies are not kept: a memory benchmark sends 67 MB ones, and the overhead one sends thousands.
	const sandbox = await startSandbox({ seed: 42, recordBodies: false });
	process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
	const stop = async () => {
		await sandbox.stop();
		process.exit(0);
	};
	process.stdin.on('end', () => void stop());
	process.stdin.resume();
	process.on('SIGTERM', () => void stop());
}

void main();
