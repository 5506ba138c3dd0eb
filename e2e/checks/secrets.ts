/**
 * Failing runs (a gateway that echoes the request, wrong keys, a base URL where nothing listens), then a search
 * for every credential secret in what n8n keeps: each execution with its data as the REST API returns it, every
 * file of the user folder (SQLite database and its journal, event logs, binary data), n8n's log and the CLI output.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { E2eContext } from '../context';
import { execute } from '../context';
import { expect, fail } from '../harness';
import { nodeError, nodeOutput } from '../n8n';

function filesUnder(dir: string, skip: string[]): string[] {
	const out: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (skip.includes(full)) continue;
		if (entry.isDirectory()) out.push(...filesUnder(full, skip));
		else if (entry.isFile()) out.push(full);
	}
	return out;
}

function errorText(item: { json: Record<string, unknown> } | undefined): string {
	return JSON.stringify(item?.json.error ?? item?.json ?? null);
}

export type Haystack = { where: string; text: string | Buffer };

/** Every labelled secret of the run found in any haystack, as `<label> in <where>`. */
export function findSecrets(ctx: E2eContext, haystacks: Haystack[]): string[] {
	const found: string[] = [];
	for (const { label, value } of ctx.secrets) {
		for (const { where, text } of haystacks) {
			if (
				typeof text === 'string' ? text.includes(value) : text.includes(Buffer.from(value, 'utf8'))
			)
				found.push(`${label} in ${where}`);
		}
	}
	return found;
}

/** Each stored execution with its data, as the REST API returns it to the editor. */
export async function executionHaystacks(ctx: E2eContext): Promise<{
	haystacks: Haystack[];
	executions: Awaited<ReturnType<E2eContext['stored']['list']>>;
}> {
	const haystacks: Haystack[] = [];
	const executions = await ctx.stored.list();
	for (const summary of executions) {
		const { raw } = await ctx.stored.get(summary.id);
		haystacks.push({
			where: `execution ${summary.id} (${summary.workflowId}, ${summary.status})`,
			text: raw,
		});
	}
	return { haystacks, executions };
}

export async function secretChecks(ctx: E2eContext): Promise<void> {
	await failingRunChecks(ctx);
	await ctx.suite.check(
		"no credential secret in n8n's stored executions (REST, with data), database files, logs or CLI output",
		async () => {
			const { haystacks, executions } = await executionHaystacks(ctx);
			const n8nDir = path.join(ctx.exec.userFolder, '.n8n');
			const files = filesUnder(n8nDir, [path.join(n8nDir, 'nodes')]);
			for (const file of files)
				haystacks.push({
					where: path.relative(ctx.exec.userFolder, file),
					text: fs.readFileSync(file),
				});
			haystacks.push({ where: "n8n's log", text: ctx.n8n.logs().join('\n') });
			ctx.cliOutputs.forEach((output, index) =>
				haystacks.push({ where: `n8n execute output #${index + 1}`, text: output }),
			);

			const found = findSecrets(ctx, haystacks);
			expect(found.length === 0, `secrets found:\n${found.join('\n')}`);
			// A control: the echoed request's number must be visible to the same search, in the executions and on disk.
			const canary = ECHOED_NUMBER;
			const seen = haystacks.filter(({ text }) =>
				typeof text === 'string' ? text.includes(canary) : text.includes(Buffer.from(canary)),
			);
			expect(
				seen.some((h) => h.where.startsWith('execution ')) &&
					seen.some((h) => h.where.includes('database.sqlite')),
				`the scan does not see the failing runs' data (the echoed number ${canary} appears only in: ${seen.map((h) => h.where).join(', ') || 'nothing'})`,
			);
			const failed = executions.filter((e) => e.status === 'error').length;
			ctx.suite.note(
				`${ctx.secrets.length} secrets × ${executions.length} executions (${failed} failed), ${files.length} files of .n8n/, n8n's log, ${ctx.cliOutputs.length} CLI outputs`,
			);
			ctx.suite.note(
				`control: the echoed number is found in ${seen.length} places (${seen
					.map((h) => h.where.split(' (')[0])
					.slice(0, 6)
					.join(', ')}…)`,
			);
		},
	);
}

/** The number whose refusal the WAChatPro sandbox echoes with the key: a control the scans must see. */
export const ECHOED_NUMBER = '6281299990000';

/** Runs that fail (an echoing gateway, wrong keys, nothing listening) and must say why: the leak scan's material. */
export async function failingRunChecks(ctx: E2eContext): Promise<void> {
	const { suite } = ctx;

	await suite.check(
		"failing runs fail in n8n with the gateway's reason (echoing gateway, wrong keys, nothing listening)",
		async () => {
			const echo = await execute(ctx, 'e2eLeakEcho00001', { expectFailure: true });
			const echoed = echo.requests.filter((r) => r.path === '/wa/send' && r.status === 422);
			expect(echoed.length === 2, `expected two 422 echoes from /wa/send, got ${echoed.length}`);
			expect(
				/not registered/i.test(errorText(nodeOutput(echo.run, 'Echo (Continue)')[0])),
				`Echo (Continue) error item: ${errorText(nodeOutput(echo.run, 'Echo (Continue)')[0])}`,
			);
			expect(nodeError(echo.run, 'Echo (Stop)'), 'Echo (Stop) did not fail');
			suite.note(`echo: ${nodeError(echo.run, 'Echo (Stop)')}`);

			for (const [id, kind] of [
				['e2eLeakBadKey001', 'wrong key'],
				['e2eLeakBadUrl001', 'nothing listening'],
			] as const) {
				const { run } = await execute(ctx, id, { expectFailure: true });
				const profilora = errorText(nodeOutput(run, 'Profilora')[0]);
				const sobot = errorText(nodeOutput(run, 'Sobot')[0]);
				const waChatPro = nodeError(run, 'WAChatPro');
				if (!waChatPro) fail(`${kind}: the WAChatPro node did not fail`);
				const pattern =
					kind === 'wrong key'
						? /401|unauthori[sz]ed|invalid/i
						: /ECONNREFUSED|connect|refused|reach/i;
				for (const [node, text] of [
					['Profilora', profilora],
					['Sobot', sobot],
					['WAChatPro', waChatPro],
				]) {
					expect(
						pattern.test(text),
						`${kind}: ${node} error does not say why (${pattern}): ${text.slice(0, 300)}`,
					);
				}
				suite.note(`${kind}: WAChatPro "${waChatPro}"`);
			}
		},
	);
}
