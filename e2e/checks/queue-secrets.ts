/**
 * The secret scan of queue mode: every credential secret of the run searched in each stored execution (REST, with
 * data), every process's whole log (main, webhook processor, every worker, killed ones included), every file of
 * every process's user folder, a pg_dump of the run's PostgreSQL database and every Redis key of the run's prefix.
 */
import * as fs from 'fs';
import * as path from 'path';

import { expect } from '../harness';
import type { QueueE2eContext } from '../queue-tools';
import type { Haystack } from './secrets';
import { ECHOED_NUMBER, executionHaystacks, findSecrets } from './secrets';

function filesUnder(dir: string, skip: (file: string) => boolean): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (skip(full)) return [];
		if (entry.isDirectory()) return filesUnder(full, skip);
		return entry.isFile() ? [full] : [];
	});
}

export async function queueSecretChecks(ctx: QueueE2eContext): Promise<void> {
	const { stack } = ctx;
	await ctx.suite.check(
		"no credential secret in stored executions, any process's log or folder, the PostgreSQL database or the run's Redis keys",
		async () => {
			const { haystacks, executions } = await executionHaystacks(ctx);
			const logs = stack.logs();
			for (const log of logs) haystacks.push({ where: `${log.name}'s log`, text: log.text });
			let files = 0;
			for (const proc of stack.all) {
				const n8nDir = path.join(proc.userFolder, '.n8n');
				for (const file of filesUnder(n8nDir, (f) => f === path.join(n8nDir, 'nodes'))) {
					haystacks.push({
						where: path.relative(path.dirname(proc.userFolder), file),
						text: fs.readFileSync(file),
					});
					files++;
				}
			}
			// The large random test files stay out of the text dump; every other stored file is searched as bytes.
			const dump = await stack.database.dump({ excludeTableData: ['binary_data'] });
			haystacks.push({ where: `pg_dump of ${stack.database.name}`, text: dump });
			const small = await stack.database.query(
				`SELECT "fileId", encode(data, 'hex') FROM binary_data WHERE "fileSize" < 1048576`,
			);
			for (const [fileId, hex] of small)
				haystacks.push({ where: `binary_data ${fileId}`, text: Buffer.from(hex, 'hex') });
			const keys = await stack.redis.dump();
			const redisText: Haystack = {
				where: `Redis keys ${stack.redis.prefix}*`,
				text: keys.map((k) => `${k.key}\n${k.value}`).join('\n'),
			};
			haystacks.push(redisText);

			const found = findSecrets(ctx, haystacks);
			expect(found.length === 0, `secrets found:\n${found.join('\n')}`);
			// Controls: the scan reads real data. The echoed number of the failing run is in its execution and in the dump;
			// the Redis prefix holds n8n's keys (Bull's and the cache's).
			const seen = haystacks.filter(({ text }) =>
				typeof text === 'string'
					? text.includes(ECHOED_NUMBER)
					: text.includes(Buffer.from(ECHOED_NUMBER)),
			);
			expect(
				seen.some((h) => h.where.startsWith('execution ')) &&
					seen.some((h) => h.where.startsWith('pg_dump')),
				`the scan does not see the failing runs' data (${ECHOED_NUMBER} appears only in: ${seen.map((h) => h.where).join(', ') || 'nothing'})`,
			);
			expect(
				keys.some((k) => k.key.startsWith(`${stack.redis.prefix}-bull:`)) &&
					keys.some((k) => k.key.startsWith(`${stack.redis.prefix}:cache:`)),
				`the Redis scan found no Bull or cache keys: ${keys
					.map((k) => k.key)
					.slice(0, 10)
					.join(', ')}`,
			);
			const tables = (dump.match(/^COPY public\.\S+/gm) ?? []).length;
			ctx.suite.note(
				`${ctx.secrets.length} secrets × ${executions.length} executions, ${logs.length} process logs (${(logs.reduce((n, l) => n + l.text.length, 0) / 1024).toFixed(0)} kB), ${files} files, pg_dump (${(dump.length / 1024 / 1024).toFixed(1)} MB, ${tables} tables) + ${small.length} stored files under 1 MB, ${keys.length} Redis keys`,
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
