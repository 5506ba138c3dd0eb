/**
 * The package as a user's n8n receives it: `npm pack`, then what n8n 2.41's community-package installer does
 * with the tarball (CommunityPackagesService.downloadPackage): unpack it into `<user folder>/.n8n/nodes/node_modules/
 * <name>`, drop dev/peer/optional dependencies from its package.json, run `npm install --ignore-scripts` there, and
 * record it in `.n8n/nodes/package.json`. No symlink to the repository: n8n loads only what the tarball holds.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';

import { REPO_ROOT } from '../scripts/n8n/install';

const run = promisify(execFile);

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
	files: string[];
	sizeBytes: number;
	unpackedBytes: number;
}

export async function packPackage(destination: string): Promise<PackedPackage> {
	fs.mkdirSync(destination, { recursive: true });
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		maxBuffer: 64 * 1024 * 1024,
	});
	const [info] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
		filename: string;
		name: string;
		version: string;
		size: number;
		unpackedSize: number;
		files: Array<{ path: string }>;
	}>;
	return {
		tarball: path.join(destination, info.filename),
		name: info.name,
		version: info.version,
		files: info.files.map((f) => f.path),
		sizeBytes: info.size,
		unpackedBytes: info.unpackedSize,
	};
}

export async function installTarball(userFolder: string, pack: PackedPackage): Promise<string> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', pack.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	await run('tar', ['-xzf', pack.tarball, '-C', packageDir, '--strip-components=1']);

	const packageJsonPath = path.join(packageDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = JSON.parse(
		fs.readFileSync(packageJsonPath, 'utf8'),
	) as Record<string, unknown>;
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	fs.writeFileSync(packageJsonPath, JSON.stringify(kept, null, 2));
	await run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: packageDir },
	);

	const ledger = path.join(nodesDir, 'package.json');
	const current: { dependencies?: Record<string, string> } = fs.existsSync(ledger)
		? (JSON.parse(fs.readFileSync(ledger, 'utf8')) as { dependencies?: Record<string, string> })
		: ({ name: 'installed-nodes', private: true } as { dependencies?: Record<string, string> });
	fs.writeFileSync(
		ledger,
		JSON.stringify(
			{ ...current, dependencies: { ...current.dependencies, [pack.name]: pack.version } },
			null,
			2,
		),
	);
	return packageDir;
}
