/**
 * `npm run build` (a clean build of dist/), then a check that every file package.json's `n8n` field names
 * exists in dist/, so n8n never starts with a package that loads no nodes.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT } from '../n8n/install';

export interface PackageN8nField {
	n8nNodesApiVersion: number;
	credentials: string[];
	nodes: string[];
}

export function packageJson(): { name: string; version: string; n8n: PackageN8nField } {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as never;
}

export function missingDistFiles(): string[] {
	const { n8n } = packageJson();
	return [...n8n.nodes, ...n8n.credentials].filter(
		(file) => !fs.existsSync(path.join(REPO_ROOT, file)),
	);
}

/** Runs a command in the repository; rejects with its output's tail on failure. */
export function runInRepo(
	command: string,
	args: string[],
	{ quiet = true }: { quiet?: boolean } = {},
): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const collect = (chunk: Buffer) => {
			output += chunk.toString('utf8');
			if (!quiet) process.stdout.write(chunk);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(output);
			else
				reject(
					new Error(
						`${command} ${args.join(' ')} failed (exit ${code})\n${output.split('\n').slice(-40).join('\n')}`,
					),
				);
		});
	});
}

export async function buildPackage(): Promise<void> {
	await runInRepo('npm', ['run', 'build', '--silent']);
	const missing = missingDistFiles();
	if (missing.length) throw new Error(`npm run build did not produce ${missing.join(', ')}`);
}
