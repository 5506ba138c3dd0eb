/**
 * What package.json must say before a release: who made the package and where it lives, for real.
 *
 * Until the project has a public repository, package.json carries no `repository`, the package's npm page as
 * `homepage` and an author e-mail under the reserved `.invalid` domain (n8n's community-node lint requires a homepage
 * and an author e-mail; `.invalid` can never be anyone's address). None of those may reach npm: `npm run release`
 * refuses while any is left, and npm's provenance check needs `repository` to be the repository that publishes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const NPM_PAGE_PREFIX = 'https://www.npmjs.com/package/';

export interface PackageMetadata {
	name?: string;
	homepage?: unknown;
	repository?: unknown;
	author?: unknown;
}

function repositoryUrl(repository: unknown): string | undefined {
	if (typeof repository === 'string') return repository;
	if (repository && typeof repository === 'object') {
		const url = (repository as { url?: unknown }).url;
		if (typeof url === 'string') return url;
	}
	return undefined;
}

/** `git+https://github.com/a/b.git`, `git@github.com:a/b.git`, `https://github.com/a/b` → `github.com/a/b`. */
export function normaliseRepositoryUrl(url: string): string {
	return url
		.trim()
		.replace(/^git\+/, '')
		.replace(/^[a-z+]+:\/\//i, '')
		.replace(/^[^@/]+@([^:/]+):/, '$1/')
		.replace(/^[^@/]+@/, '')
		.replace(/\.git$/, '')
		.replace(/\/+$/, '')
		.toLowerCase();
}

function authorEmail(author: unknown): string | undefined {
	if (typeof author === 'string') return /<([^>]*)>/.exec(author)?.[1]?.trim();
	if (author && typeof author === 'object') {
		const email = (author as { email?: unknown }).email;
		if (typeof email === 'string') return email.trim();
	}
	return undefined;
}

/**
 * Every reason the metadata is not ready for npm (empty when it is). `originUrl` is `git remote get-url origin`:
 * the repository the tag is pushed to, so the one whose workflow publishes.
 */
export function releaseMetadataProblems(pkg: PackageMetadata, originUrl?: string): string[] {
	const problems: string[] = [];
	const repository = repositoryUrl(pkg.repository);
	if (!repository) {
		problems.push(
			'"repository" is not set: add {"type": "git", "url": "https://github.com/<owner>/<name>.git"}, the repository whose publish workflow releases the package (npm provenance checks it)',
		);
	} else if (
		originUrl &&
		normaliseRepositoryUrl(repository) !== normaliseRepositoryUrl(originUrl)
	) {
		problems.push(
			`"repository" (${repository}) is not the origin remote (${originUrl}): npm provenance refuses a package whose repository is not the one that publishes it`,
		);
	}
	const homepage = typeof pkg.homepage === 'string' ? pkg.homepage.trim() : '';
	if (!homepage || homepage.startsWith(NPM_PAGE_PREFIX)) {
		problems.push(
			`"homepage" is ${homepage ? `the npm page stand-in (${homepage})` : 'not set'}: set the project's own page, e.g. https://github.com/<owner>/<name>#readme`,
		);
	}
	const email = authorEmail(pkg.author);
	if (!email || /\.invalid$/i.test(email)) {
		problems.push(
			`"author" has ${email ? `the stand-in e-mail ${email}` : 'no e-mail'}: set the maintainers' real address (n8n's lint requires one)`,
		);
	}
	return problems;
}

/**
 * `tsx scripts/release-metadata.ts`: the same refusal in the publish workflow, for a tag pushed without
 * `npm run release`. In GitHub Actions the publishing repository is GITHUB_SERVER_URL/GITHUB_REPOSITORY.
 */
if (require.main === module) {
	const pkg = JSON.parse(
		readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'),
	) as PackageMetadata;
	const { GITHUB_SERVER_URL, GITHUB_REPOSITORY } = process.env;
	const origin =
		GITHUB_SERVER_URL && GITHUB_REPOSITORY
			? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}`
			: undefined;
	const problems = releaseMetadataProblems(pkg, origin);
	if (problems.length) {
		process.stderr.write(
			`package.json is not ready for npm:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
		);
		process.exit(1);
	}
	process.stdout.write('package.json metadata is ready for npm\n');
}
