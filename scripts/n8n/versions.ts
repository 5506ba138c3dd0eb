/**
 * The n8n release lines this package is tested on, and which one a command uses.
 *
 * Each line pins one n8n version (its runtime template is `scripts/n8n/runtimes/<line>/`) and is installed into its own
 * folder, `.n8n-local/n8n-<version>/`, so both lines can be installed side by side. A command picks a line with
 * `--n8n <line>` (e2e, dev, smoke) or `N8N_VERSION_LINE=<line>`; the default is the newest 2.x.
 *
 * What differs between the lines is written here once, as capabilities (read in each version's own code), so the
 * tooling asks `runtime.line.has.x` instead of comparing version strings.
 */
import * as path from 'path';

export type N8nLineName = '2.x' | '1.123';

export interface N8nLine {
	name: N8nLineName;
	/** The pinned n8n version (the newest patch of the line that installs from this machine's registry). */
	n8nVersion: string;
	/** Folder (under scripts/n8n/runtimes/) holding the runtime's package.json and package-lock.json. */
	templateDir: string;
	has: {
		/** `n8n publish:workflow --id` (2.x). n8n 1.x activates with `update:workflow --id --active=true`. */
		publishCommand: boolean;
		/** N8N_INSTANCE_OWNER_MANAGED_BY_ENV and friends (2.x); 1.x sets the owner up through `POST /rest/owner/setup`. */
		ownerFromEnv: boolean;
		/** The `mcp-registry` module (2.x), which must be disabled to stay offline; 1.x refuses the name. */
		mcpRegistryModule: boolean;
		/** `IPollFunctions.getPollBudgetMs` (2.x): the WAChatPro Trigger bounds one poll by it. */
		pollBudget: boolean;
		/**
		 * A node resumed through its webhook passes on every output (n8n 2.39+): Send and Wait for Reply's Reply output.
		 * Older n8n passes on the first output only, and the node refuses to wait (nodes/shared/conversation/n8nSupport.ts).
		 */
		sendAndWaitReply: boolean;
		/** Binary data is kept outside the execution by default (2.x: filesystem); 1.x keeps it in the execution. */
		binaryOutsideExecution: boolean;
		/** `POST /rest/workflows/:id/run` runs the stored workflow (2.x); 1.x needs it in the body (`workflowData`). */
		manualRunFromStored: boolean;
		/** `GET /rest/executions` pages by `nextCursor` (2.x); 1.x pages by an id range (`firstId`, `lastId`). */
		executionsCursor: boolean;
		/** Queue mode as e2e/queue.ts drives it (tested on 2.x only). */
		queueE2e: boolean;
	};
}

export const N8N_LINES: Record<N8nLineName, N8nLine> = {
	'2.x': {
		name: '2.x',
		// 2.41.3 is the registry's `latest`, but 21 of the exact versions it pins (n8n-core 2.41.2, @n8n/task-runner
		// 2.41.2, n8n-editor-ui 2.41.1, @n8n/agents 0.26.2, ...) are not on the registry this machine reaches, so it does
		// not install here: 2.41.1 is the newest 2.x patch that does.
		n8nVersion: '2.41.1',
		templateDir: '2.x',
		has: {
			publishCommand: true,
			ownerFromEnv: true,
			mcpRegistryModule: true,
			pollBudget: true,
			sendAndWaitReply: true,
			manualRunFromStored: true,
			binaryOutsideExecution: true,
			executionsCursor: true,
			queueE2e: true,
		},
	},
	'1.123': {
		name: '1.123',
		n8nVersion: '1.123.81',
		templateDir: '1.123',
		has: {
			publishCommand: false,
			ownerFromEnv: false,
			mcpRegistryModule: false,
			pollBudget: false,
			sendAndWaitReply: false,
			manualRunFromStored: false,
			binaryOutsideExecution: false,
			executionsCursor: false,
			queueE2e: false,
		},
	},
};

export const DEFAULT_LINE: N8nLineName = '2.x';

export const TEMPLATES_DIR = path.join(__dirname, 'runtimes');

/** `2`, `2.x`, `2.41`, `2.41.1` → 2.x; `1`, `1.x`, `1.123`, `1.123.81` → 1.123. */
export function parseLine(value: string): N8nLine {
	const text = value.trim().toLowerCase().replace(/^v/, '');
	const major = text.split('.')[0];
	const line = Object.values(N8N_LINES).find(
		(l) =>
			l.name === text ||
			l.n8nVersion === text ||
			l.n8nVersion.startsWith(`${text}.`) ||
			((text === major || text === `${major}.x`) && l.n8nVersion.split('.')[0] === major),
	);
	if (!line)
		throw new Error(
			`unknown n8n line "${value}": use one of ${Object.values(N8N_LINES)
				.map((l) => `${l.name} (n8n ${l.n8nVersion})`)
				.join(', ')}`,
		);
	return line;
}

/**
 * The line a command runs on: `--n8n <line>` in its arguments, else N8N_VERSION_LINE, else 2.x. A command that reads
 * `--n8n` also sets N8N_VERSION_LINE, so everything it starts (and every ensureN8n() without a line) agrees.
 */
export function selectLine(argv: string[] = process.argv.slice(2)): N8nLine {
	const at = argv.findIndex((a) => a === '--n8n' || a.startsWith('--n8n='));
	const fromArgs =
		at < 0 ? undefined : argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
	if (at >= 0 && !fromArgs) throw new Error('--n8n needs a line, e.g. --n8n 1.123');
	const line = parseLine(fromArgs ?? process.env.N8N_VERSION_LINE ?? DEFAULT_LINE);
	process.env.N8N_VERSION_LINE = line.name;
	return line;
}

/** The line of N8N_VERSION_LINE (2.x when unset), without looking at the arguments. */
export function currentLine(): N8nLine {
	return parseLine(process.env.N8N_VERSION_LINE ?? DEFAULT_LINE);
}
