/**
 * Rebuild on change for `npm run dev`: `tsc --watch` over the package (nodes/, credentials/) writing into dist/.
 * After every recompile without errors, `onBuilt` runs (dev/index.ts restarts n8n: n8n reads a package's code only at
 * startup, and its own hot reload watches the whole linked folder, which here holds node_modules and .n8n-local).
 * Icons and codex JSON are copied by `npm run build` only: restart `npm run dev` after changing those.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';

import { REPO_ROOT } from '../n8n/install';

export interface Watcher {
	stop(): void;
}

const DONE = /Found (\d+) errors?\. Watching for file changes\./;

export function watchPackage(options: {
	onBuilt: () => void;
	log: (line: string) => void;
}): Watcher {
	const tsc = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
	const child: ChildProcess = spawn(
		tsc,
		['-p', 'tsconfig.json', '--watch', '--preserveWatchOutput'],
		{
			cwd: REPO_ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let first = true;
	let rest = '';
	const onData = (chunk: Buffer) => {
		rest += chunk.toString('utf8');
		const lines = rest.split('\n');
		rest = lines.pop() ?? '';
		for (const raw of lines) {
			// tsc prefixes status lines with a clock time and colours; keep the message.
			const line = raw.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r$/, '');
			const done = DONE.exec(line);
			if (done) {
				const errors = Number(done[1]);
				if (first) {
					first = false;
					if (errors > 0)
						options.log(
							`tsc: ${errors} error(s) in the current code (see above); n8n runs the last build`,
						);
				} else if (errors === 0) {
					options.onBuilt();
				} else {
					options.log(
						`tsc: ${errors} error(s); n8n keeps running the previous code until they are fixed`,
					);
				}
			} else if (/error TS\d+/.test(line)) {
				options.log(`tsc: ${line.trim()}`);
			} else if (/File change detected/.test(line)) {
				options.log('tsc: change detected, recompiling');
			}
		}
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	let stopping = false;
	child.on('exit', (code, signal) => {
		// Ctrl-C reaches tsc too (same terminal process group) while dev/index.ts shuts down: nothing to say then.
		if (!stopping && signal !== 'SIGINT')
			options.log(`tsc --watch exited (${signal ?? `exit ${code}`}); rebuild on change is off`);
	});
	return {
		stop() {
			stopping = true;
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		},
	};
}
