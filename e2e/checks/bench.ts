/**
 * bench/compare-retry-on-fail.ts (issue 7) as one more step: the same faulty campaign through n8n's HTTP Request
 * node with Retry On Fail and through our node, in real n8n. Its numbers are reported, not judged: the check only
 * asserts that it ran and counted every runner. Smaller than its default so the e2e run stays short.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { REPO_ROOT } from '../../scripts/n8n/install';
import type { E2eContext } from '../context';
import { expect, fail } from '../harness';

export const BENCH_SCRIPT = path.join(REPO_ROOT, 'bench', 'compare-retry-on-fail.ts');

interface BenchRow {
	runner: string;
	status: string;
	seconds: number;
	report: {
		requests: number;
		delivered: number;
		lost: number;
		duplicatedMessages: number;
		extraCopies: number;
	};
}

export async function benchCheck(ctx: E2eContext, messages: number): Promise<void> {
	if (!fs.existsSync(BENCH_SCRIPT)) {
		ctx.suite.note(`skipped: ${path.relative(REPO_ROOT, BENCH_SCRIPT)} is not in this checkout`);
		return;
	}
	await ctx.suite.check(
		`bench/compare-retry-on-fail.ts, ${messages} messages: HTTP Request + Retry On Fail vs our node (numbers reported, not judged)`,
		async () => {
			const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
			const { code, stdout, stderr } = await new Promise<{
				code: number | null;
				stdout: string;
				stderr: string;
			}>((resolve, reject) => {
				const child = spawn(tsx, [BENCH_SCRIPT, '--messages', String(messages), '--json'], {
					cwd: REPO_ROOT,
					env: { ...process.env, N8N_LOCAL_DIR: path.dirname(ctx.exec.runtime.runtimeDir) },
					stdio: ['ignore', 'pipe', 'pipe'],
				});
				let out = '';
				let err = '';
				child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
				child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
				const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
				child.on('error', reject);
				child.on('close', (c) => {
					clearTimeout(timer);
					resolve({ code: c, stdout: out, stderr: err });
				});
			});
			if (code !== 0) fail(`exit ${code}\n${stderr.split('\n').slice(-15).join('\n')}`);
			const table = stdout.slice(0, stdout.indexOf('\n[')).trim();
			const rows = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as BenchRow[];
			expect(rows.length === 5, `expected 5 runners, got ${rows.length}`);
			for (const row of rows) {
				const r = row.report;
				expect(
					[r.requests, r.delivered, r.lost, r.duplicatedMessages].every(Number.isFinite),
					`${row.runner}: counts missing ${JSON.stringify(r)}`,
				);
			}
			// Not a number to compare but a promise of the node: n8n's Retry On Fail re-runs it, and nothing goes out twice.
			const retried = rows.find((row) => row.runner.startsWith('Profilora + Retry On Fail'));
			expect(
				retried?.report.duplicatedMessages === 0,
				`Profilora under Retry On Fail sent duplicates: ${JSON.stringify(retried?.report)}`,
			);
			for (const line of table.split('\n')) ctx.suite.note(line);
		},
	);
}
