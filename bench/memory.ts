/** (c) Memory: WAChatPro Send File, one child process per measurement so that runs do not share a heap. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { REPO } from './sandbox';
import type { SandboxProcess } from './sandbox';

export interface MemoryResult {
	binaryMode: 'default' | 'filesystem';
	path: 'node' | 'naive';
	fileMb: number;
	baselineRssMb: number;
	peakRssGrowthMb: number;
	peakHeapExternalGrowthMb: number;
	rssRatio: number;
	heapExternalRatio: number;
}

export async function measureMemory(
	sandbox: SandboxProcess,
	binaryMode: 'default' | 'filesystem',
	path: 'node' | 'naive',
	megabytes = 50,
): Promise<MemoryResult> {
	const args = ['--expose-gc', '--import', 'tsx', join(__dirname, 'memory-child.ts')];
	args.push(
		'--binary-mode',
		binaryMode,
		'--path',
		path,
		'--sandbox',
		sandbox.url,
		'--mb',
		String(megabytes),
	);
	const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	const line = stdout.split('\n').find((l) => l.startsWith('{"binaryMode"'));
	if (code !== 0 || !line)
		throw new Error(
			`memory child (${binaryMode}, ${path}) failed with ${code}: ${stderr.slice(-2000)}`,
		);
	return JSON.parse(line) as MemoryResult;
}
