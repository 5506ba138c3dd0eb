/**
 * Only the Profilora node and credential, compiled into a throwaway package a real n8n can load, so that
 * neither `npm run build` nor other nodes' work in progress matter to a benchmark.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO } from './sandbox';

export const PACKAGE = 'n8n-nodes-whatsapp-gateways';

/** Returns the package folder (delete it when done). */
export function buildProfiloraPackage(): string {
	const dir = mkdtempSync(join(tmpdir(), 'n8n-wa-profilora-pkg-'));
	const tsconfig = join(dir, 'tsconfig.json');
	writeFileSync(
		tsconfig,
		JSON.stringify({
			extends: join(REPO, 'tsconfig.json'),
			compilerOptions: {
				rootDir: REPO,
				outDir: join(dir, 'dist'),
				typeRoots: [join(REPO, 'node_modules/@types')],
				incremental: false,
				declaration: false,
				sourceMap: false,
			},
			include: [],
			files: [
				join(REPO, 'nodes/Profilora/Profilora.node.ts'),
				join(REPO, 'credentials/ProfiloraApi.credentials.ts'),
			],
		}),
	);
	const tsc = spawnSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', tsconfig], {
		encoding: 'utf8',
	});
	if (tsc.status !== 0)
		throw new Error(`compiling the Profilora node failed:\n${tsc.stdout}${tsc.stderr}`);
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify({
			name: PACKAGE,
			version: '0.0.0-compare',
			n8n: {
				n8nNodesApiVersion: 1,
				credentials: ['dist/credentials/ProfiloraApi.credentials.js'],
				nodes: ['dist/nodes/Profilora/Profilora.node.js'],
			},
			peerDependencies: { 'n8n-workflow': '*' },
		}),
	);
	// The compiled node requires n8n-workflow; resolve it as the linked repository would.
	mkdirSync(join(dir, 'node_modules'), { recursive: true });
	symlinkSync(
		join(REPO, 'node_modules/n8n-workflow'),
		join(dir, 'node_modules/n8n-workflow'),
		'dir',
	);
	return dir;
}
