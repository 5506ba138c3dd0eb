/**
 * Runs after `n8n-node lint` in `npm run lint`. Our eslint.config.mjs differs from the n8n-node template only by
 * ignoring the tooling folders, so package.json cannot say `"strict": true` (the CLI then demands the template file
 * byte for byte). This check gives the guarantee strict mode would give, for the code n8n loads:
 *   1. every file under nodes/ and credentials/, and package.json, gets exactly the rules, plugins and settings the
 *      template config (n8n Cloud rules) gives it: nothing turned off, nothing relaxed;
 *   2. nothing under nodes/ or credentials/ is ignored;
 *   3. zero errors and zero warnings (`n8n-node lint` lets warnings pass).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';

const root = path.resolve(__dirname, '..');
const templateConfigPath = path.join(
	root,
	'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs',
);

function filesUnder(folder: string): string[] {
	return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
		.map((entry) => path.join(entry.parentPath, entry.name));
}

/** What decides a finding: the rules with their options, which plugins are loaded, the settings. */
function essence(config: Linter.Config | undefined): string {
	if (!config) return 'no config (file not linted)';
	const rules = Object.entries(config.rules ?? {})
		.map(([name, value]) => [name, Array.isArray(value) ? value : [value]] as const)
		.map(([name, [severity, ...options]]) => {
			const level = typeof severity === 'number' ? ['off', 'warn', 'error'][severity] : severity;
			return [name, level, options] as const;
		})
		.filter(([, level]) => level !== 'off')
		.sort(([a], [b]) => a.localeCompare(b));
	const plugins = Object.keys(config.plugins ?? {}).sort();
	return JSON.stringify({ rules, plugins, settings: Object.keys(config.settings ?? {}).sort() });
}

async function main(): Promise<void> {
	const problems: string[] = [];
	const ours = new ESLint({ cwd: root });
	const templateModule = (await import(pathToFileURL(templateConfigPath).href)) as {
		default: Linter.Config[];
	};
	const template = new ESLint({
		cwd: root,
		overrideConfigFile: true,
		overrideConfig: templateModule.default,
	});

	const published = [
		...filesUnder('nodes'),
		...filesUnder('credentials'),
		path.join(root, 'package.json'),
	];
	for (const file of published) {
		const relative = path.relative(root, file);
		if (await ours.isPathIgnored(file)) {
			problems.push(`${relative} is ignored by eslint.config.mjs: published code must be linted`);
			continue;
		}
		const [mine, theirs] = await Promise.all([
			ours.calculateConfigForFile(file) as Promise<Linter.Config | undefined>,
			template.calculateConfigForFile(file) as Promise<Linter.Config | undefined>,
		]);
		if (essence(mine) !== essence(theirs)) {
			problems.push(
				`${relative} is linted with rules other than the n8n-node template's (n8n Cloud rules)`,
			);
		}
	}

	const results = await ours.lintFiles(['.']);
	const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
	const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
	if (warnings + errors > 0) {
		const formatter = await ours.loadFormatter('stylish');
		process.stdout.write(await formatter.format(results));
		problems.push(`${errors} errors and ${warnings} warnings (zero of both are allowed)`);
	}

	if (problems.length > 0) {
		for (const problem of problems) process.stderr.write(`lint-parity: ${problem}\n`);
		process.exit(1);
	}
	process.stdout.write(
		`lint-parity: ${published.length} published files linted with exactly the n8n-node template's rules (n8n Cloud); ` +
			`${results.length} files, 0 errors, 0 warnings\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`lint-parity: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
