/**
 * `npm run release -- <patch|minor|major|x.y.z>`: the local half of a release. It never publishes: publishing happens
 * in GitHub Actions (.github/workflows/publish.yml) so that the package carries an npm provenance statement.
 *
 * Refuses first while package.json carries stand-in metadata (no `repository`, the npm page as `homepage`, an
 * `.invalid` author e-mail: scripts/release-metadata.ts). Then, on a clean `main` that matches its upstream: lint, build, engine tests; then `npm version` (commit + tag vX.Y.Z)
 * and push of the commit and the tag. The tag push starts the publish workflow.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { releaseMetadataProblems, type PackageMetadata } from './release-metadata';

const root = path.resolve(__dirname, '..');
const bumps = new Set(['patch', 'minor', 'major']);

function fail(message: string): never {
	process.stderr.write(`release: ${message}\n`);
	process.exit(1);
}

function git(...args: string[]): string {
	return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

function run(command: string, args: string[]): void {
	process.stdout.write(`release: ${command} ${args.join(' ')}\n`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
	if (result.status !== 0)
		fail(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function main(): void {
	const bump = process.argv[2];
	if (!bump || !(bumps.has(bump) || /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(bump))) {
		fail('usage: npm run release -- <patch|minor|major|x.y.z>');
	}
	if (process.env.GITHUB_ACTIONS)
		fail('this is the local half; the publish workflow runs `npm publish` itself');

	// Before anything else: a tag pushed with stand-in metadata would publish it (see release-metadata.ts).
	const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageMetadata;
	const origin = spawnSync('git', ['remote', 'get-url', 'origin'], { cwd: root, encoding: 'utf8' });
	const originUrl = origin.status === 0 ? origin.stdout.trim() : undefined;
	const problems = releaseMetadataProblems(pkg, originUrl);
	if (!originUrl)
		problems.push('no "origin" remote: add the public repository the tag is pushed to');
	if (problems.length)
		fail(
			`package.json is not ready for npm; nothing was tagged or pushed:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
		);

	const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
	if (branch !== 'main') fail(`releases are cut from main, not ${branch}`);
	if (git('status', '--porcelain') !== '')
		fail('the working tree is not clean; commit or stash first');
	run('git', ['fetch', '--tags', 'origin']);
	const upstream = git('rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}');
	if (git('rev-parse', 'HEAD') !== git('rev-parse', upstream))
		fail(`main differs from ${upstream}; pull or push first`);

	// The quick half of CI here; the workflow runs all of .ci/run (e2e included) before it publishes.
	run('npm', ['run', 'lint']);
	run('npm', ['run', 'build']);
	run('npm', ['test', '--', '--ci']);

	run('npm', ['version', bump, '--message', 'release %s']);
	const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
		version: string;
	};
	const tag = `v${version}`;
	run('git', ['push', '--atomic', 'origin', 'main', tag]);
	process.stdout.write(
		`release: pushed ${tag}; GitHub Actions publishes it with provenance (publish.yml)\n`,
	);
}

main();
