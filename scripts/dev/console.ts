/**
 * What `npm run dev` prints of n8n's log and of the sandbox's traffic: one readable line per event. n8n's full output
 * stays in the user folder's n8n.log; the console drops what repeats or says nothing to someone trying the examples.
 */

/** n8n's log lines that are expected on this setup and say nothing to a developer. */
const NOISE = [
	/Python task runner/,
	/deprecation related to your n8n setup/,
	/N8N_RUNNERS_MODE/,
	/^\s*$/,
	/license SDK/,
];

/**
 * A trigger's "paste <url> into the <vendor> dashboard" (nodes/shared/webhookTrigger/setup.ts), logged once per published
 * trigger: with the sandbox as the vendor there is nothing to paste, and dev prints where each vendor's webhooks go.
 */
const PASTE = /^(\w+) Trigger: paste \S+ into the \w+ dashboard as the webhook URL$/;

/** A stack frame, or the "... N more" line of a cut stack. */
const FRAME = /^\s+(at \S|\.\.\. \d+ more)/;

/** The first line of a stack: the error's class name, alone or with its message. */
const STACK_HEAD = /^([A-Z]\w*(Error|Exception))(: (.*))?$/;

/**
 * Returns what to print for each of n8n's log lines, or undefined to print nothing. A node's error is one line with
 * its message: n8n's error reporter logs the message and then, for some errors, the stack (its class name alone on a
 * line, then the frames); it also logs the same failure twice in a row (execution and workflow).
 */
export function n8nConsoleFilter(
	now: () => number = Date.now,
): (line: string) => string | undefined {
	let last = { text: '', at: 0 };
	let inStack = false;
	return (line) => {
		if (NOISE.some((pattern) => pattern.test(line)) || PASTE.test(line)) return undefined;
		if (FRAME.test(line)) {
			inStack = true;
			return undefined;
		}
		const head = STACK_HEAD.exec(line);
		if (head) {
			inStack = true;
			const message = head[4];
			// The class name alone: the message was the line before (or n8n logged none, and the execution shows it).
			if (!message)
				return last.text && now() - last.at < 2000
					? undefined
					: `${head[1]} (message in the execution)`;
			if (last.text.startsWith(message) && now() - last.at < 2000) return undefined;
			line = `${head[1]}: ${message}`;
		} else if (inStack && /^\s/.test(line)) {
			// an indented continuation of the stack (a cause, a property dump)
			return undefined;
		}
		inStack = false;
		if (line === last.text && now() - last.at < 2000) return undefined;
		last = { text: line, at: now() };
		return line;
	};
}

/**
 * Prints a line that comes back unchanged (the polling triggers' reads, every minute while nothing happens) the first
 * time only, with a note the first time it repeats. Sends and everything else are printed each time.
 */
export function repeatFilter(): (line: string, repeatable: boolean) => string | undefined {
	const seen = new Set<string>();
	let noted = false;
	return (line, repeatable) => {
		if (!repeatable) return line;
		if (!seen.has(line)) {
			seen.add(line);
			return line;
		}
		if (noted) return undefined;
		noted = true;
		return `${line}   (repeated polls like this are printed once; every request: GET <sandbox>/__admin/requests)`;
	};
}
