// n8n's community-node lint, with n8n Cloud rules: `config` from @n8n/node-cli, as the n8n-node template uses it
// (not `configWithoutCloudSupport`). The template lints every .ts file under the package root; our tooling (tests,
// sandbox, scripts, e2e, benchmarks) runs in Node, not inside n8n, and needs `process`, timers and `node:*`, so it
// is ignored here. That one difference is why package.json says `"strict": false` (CONTRIBUTING.md, "Lint").
// scripts/lint-parity.ts fails `npm run lint` if nodes/, credentials/ or package.json get any rule other than the
// template's.
import { globalIgnores } from 'eslint/config';
import { config } from '@n8n/node-cli/eslint';

export const toolingFolders = [
	'sandbox',
	'test',
	'e2e',
	'scripts',
	'bench',
	'examples',
	'docs',
	'.n8n-local',
];

export default [globalIgnores(toolingFolders.map((folder) => `${folder}/`)), ...config];
