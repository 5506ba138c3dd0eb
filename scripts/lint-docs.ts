/**
 * Runs in `npm run lint`. The README is a guide and the reference lives in docs/, one page per area, linked from each
 * other by file and heading (issue 21). Moving a section or renaming a heading silently breaks those links, and a
 * guide grows back into a reference one paragraph at a time, so this checks:
 *   1. every relative link in the project's Markdown names a file that exists and, after `#`, a heading of it;
 *   2. README.md stays at most 300 lines;
 *   3. README's Testing commands are the ones `.ci/run` runs (plus `npm run bench`), so a developer runs what CI runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const README_MAX_LINES = 300;

function markdownFiles(): string[] {
	const top = ['README.md', 'CONTRIBUTING.md', 'BENCHMARKS.md', 'scripts/n8n/README.md'];
	const docs = readdirSync(path.join(root, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`);
	return [...top, ...docs].filter((file) => existsSync(path.join(root, file)));
}

function withoutFences(text: string): string {
	return text.replace(/```[\s\S]*?```/g, '');
}

/** Code holds shell and JSON, whose brackets are not links. */
function withoutCode(text: string): string {
	return withoutFences(text).replace(/`[^`\n]*`/g, '``');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
	const seen = new Map<string, number>();
	const result = new Set<string>();
	for (const [, heading] of withoutFences(text).matchAll(/^#{1,6} (.+)$/gm)) {
		const base = heading
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N}_\- ]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		result.add(count === 0 ? base : `${base}-${count}`);
	}
	return result;
}

function linkProblems(files: string[]): string[] {
	const problems: string[] = [];
	for (const file of files) {
		const text = readFileSync(path.join(root, file), 'utf8');
		for (const [, target] of withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)) {
			if (/^[a-z]+:/i.test(target)) continue;
			const [linkPath, anchor] = target.split('#', 2);
			const resolved = linkPath
				? path.join(path.dirname(path.join(root, file)), linkPath)
				: path.join(root, file);
			if (!existsSync(resolved)) {
				problems.push(`${file}: the link ${target} names no file`);
				continue;
			}
			if (
				anchor &&
				!(resolved.endsWith('.md') && anchors(readFileSync(resolved, 'utf8')).has(anchor))
			)
				problems.push(
					`${file}: the link ${target} names no heading of ${path.relative(root, resolved)}`,
				);
		}
	}
	return problems;
}

/** `npm …` commands, as a shell script runs them or a Markdown block lists them (comments dropped). */
function npmCommands(lines: string[]): string[] {
	return (
		lines
			// A command CI runs in the background keeps its words without the redirect and the `&`.
			.map((line) =>
				line
					.replace(/#.*$/, '')
					.replace(/\s+\d?>.*$/, '')
					.replace(/\s*&$/, '')
					.trim(),
			)
			.filter((line) => line.startsWith('npm '))
			.map((line) => line.replace(/\s+/g, ' ').replace(/^npm test -- --ci$/, 'npm test'))
	);
}

function testingProblems(readme: string): string[] {
	const ci = npmCommands(readFileSync(path.join(root, '.ci/run'), 'utf8').split('\n')).filter(
		(command) => !command.startsWith('npm ci'),
	);
	const section = readme.split(/^## Testing$/m)[1]?.split(/^## /m)[0] ?? '';
	const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
	if (!block) return ['README.md: no ```bash block under "## Testing"'];
	const listed = npmCommands(block.split('\n'));
	const expected = [...ci, 'npm run bench'];
	const missing = expected.filter((command) => !listed.includes(command));
	const extra = listed.filter((command) => !expected.includes(command));
	return [
		...missing.map(
			(command) => `README.md, Testing: \`${command}\` runs in .ci/run but is not listed`,
		),
		...extra.map(
			(command) => `README.md, Testing: \`${command}\` is listed but .ci/run does not run it`,
		),
	];
}

function main(): void {
	const files = markdownFiles();
	const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
	const readmeLines = readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0);
	const problems = [
		...linkProblems(files),
		...(readmeLines > README_MAX_LINES
			? [
					`README.md has ${readmeLines} lines; a guide has at most ${README_MAX_LINES}: move reference to docs/`,
				]
			: []),
		...testingProblems(readme),
	];
	if (problems.length > 0) {
		for (const problem of problems) process.stderr.write(`lint-docs: ${problem}\n`);
		process.exit(1);
	}
	process.stdout.write(
		`lint-docs: ${files.length} Markdown files, every relative link resolves; README ${readmeLines} lines; its Testing commands are .ci/run's\n`,
	);
}

main();
