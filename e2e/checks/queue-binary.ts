/**
 * Binary data in queue mode lives in PostgreSQL (N8N_DEFAULT_BINARY_DATA_MODE=database): a large file downloaded by
 * one node is stored there, and WAChatPro Send File on the worker reads it back and streams it as base64. The check
 * measures the worker's peak resident memory (VmHWM, reset before the run) for a download alone and for download +
 * Send File, and checks that the sandbox decoded exactly the bytes served.
 */
import { createHash, randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

import { expect, expectFields } from '../harness';
import { nodeOutput } from '../n8n';
import type { QueueE2eContext } from '../queue-tools';
import { memoryOf, resetPeak, startRun, waitForExecution, workerOf } from '../queue-tools';
import { QUEUE_IDS } from '../queue-workflows';

export interface FileServer {
	url: string;
	bytes: Buffer;
	sha256: string;
	fileName: string;
	close(): Promise<void>;
}

/** Serves one file of `mb` megabytes of random bytes on 127.0.0.1 (what a CRM or a storage bucket would serve). */
export async function startFileServer(mb: number): Promise<FileServer> {
	const bytes = randomBytes(Math.round(mb * 1024 * 1024));
	const fileName = `brochure-${mb}mb.pdf`;
	const server = http.createServer((request, response) => {
		response.writeHead(200, {
			'content-type': 'application/pdf',
			'content-length': bytes.length,
			'content-disposition': `attachment; filename="${fileName}"`,
		});
		response.end(bytes);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/${fileName}`,
		bytes,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		fileName,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** The `binary_data` row behind an n8n binary id (`database:<fileId>` in this mode). */
async function storedFile(
	ctx: QueueE2eContext,
	binaryId: string | undefined,
): Promise<{ fileId: string; size: number; sourceType: string; sourceId: string }> {
	expect(
		binaryId?.startsWith('database:'),
		`binary id ${binaryId} is not in the database binary mode`,
	);
	const fileId = binaryId!.slice('database:'.length);
	const rows = await ctx.stack.database.query(
		`SELECT "fileId", "fileSize", "sourceType", "sourceId" FROM binary_data WHERE "fileId" = '${fileId.replace(/'/g, "''")}'`,
	);
	expect(rows.length === 1, `binary_data has ${rows.length} rows for ${fileId}`);
	return { fileId, size: Number(rows[0][1]), sourceType: rows[0][2], sourceId: rows[0][3] };
}

/** The bytes of a stored file, read from PostgreSQL (what a worker's BinaryDataService reads). */
export async function readStoredFile(
	ctx: Pick<QueueE2eContext, 'stack'>,
	binaryId: string,
): Promise<Buffer> {
	const fileId = binaryId.slice(binaryId.indexOf(':') + 1);
	const rows = await ctx.stack.database.query(
		`SELECT encode(data, 'hex') FROM binary_data WHERE "fileId" = '${fileId.replace(/'/g, "''")}'`,
	);
	expect(rows.length === 1, `binary_data has ${rows.length} rows for ${binaryId}`);
	return Buffer.from(rows[0][0], 'hex');
}

export { storedFile };

const mb = (value: number) => `${value.toFixed(0)} MB`;

export async function queueBinaryChecks(ctx: QueueE2eContext, file: FileServer): Promise<void> {
	const { suite, stack } = ctx;
	const sizeMb = file.bytes.length / 1024 / 1024;

	/** Runs a workflow with every worker's peak reset first; returns the worker's memory figures. */
	const measured = async (workflowId: string) => {
		const baseline = new Map(stack.workers.map((w) => [w.pid, memoryOf(w.pid).rssMb]));
		for (const worker of stack.workers) resetPeak(worker.pid);
		const executionId = await startRun(ctx.rest, workflowId);
		const execution = await waitForExecution(ctx.stored, executionId);
		const worker = await workerOf(stack, executionId);
		const { peakMb } = memoryOf(worker.pid);
		const base = baseline.get(worker.pid)!;
		expect(
			execution.summary.status === 'success',
			`execution ${executionId} ended ${String(execution.summary.status)}: ${execution.run.data?.resultData?.error?.message ?? ''}`,
		);
		return { executionId, execution, worker, baseMb: base, peakMb, growthMb: peakMb - base };
	};

	await suite.check(
		`Send File from a ${mb(sizeMb)} binary in the database binary mode, on a worker (peak memory measured)`,
		async () => {
			const alone = await measured(QUEUE_IDS.download);
			const stored = nodeOutput(alone.execution.run, 'Download')[0]?.binary?.data;
			const row = await storedFile(ctx, stored?.id);
			expect(
				row.size === file.bytes.length,
				`binary_data holds ${row.size} bytes, the server sent ${file.bytes.length}`,
			);

			const filesBefore = ctx.sandbox.wachatpro.files.length;
			const sent = await measured(QUEUE_IDS.bigFile);
			const binary = nodeOutput(sent.execution.run, 'Download')[0]?.binary?.data;
			await storedFile(ctx, binary?.id);
			const received = ctx.sandbox.wachatpro.files.slice(filesBefore);
			expect(received.length === 1, `the sandbox received ${received.length} files`);
			expectFields('file the sandbox decoded', received[0], {
				phone: '6281211110004',
				filename: file.fileName,
				size: file.bytes.length,
				sha256: file.sha256,
			});
			expectFields('Send File output', nodeOutput(sent.execution.run, 'Send File')[0].json, {
				to: '6281211110004',
				fileName: file.fileName,
				fileSize: file.bytes.length,
				status: true,
			});

			suite.note(
				`download only (${alone.worker.name}): worker RSS ${mb(alone.baseMb)} before, peak ${mb(alone.peakMb)} (+${mb(alone.growthMb)})`,
			);
			suite.note(
				`download + Send File (${sent.worker.name}): worker RSS ${mb(sent.baseMb)} before, peak ${mb(sent.peakMb)} (+${mb(sent.growthMb)}) for a ${mb(sizeMb)} file (${(sent.growthMb / sizeMb).toFixed(2)}× its size; base64 of it is ${mb((sizeMb * 4) / 3)})`,
			);
			suite.note(`binary_data row ${row.fileId}: ${row.size} bytes, source ${row.sourceType}`);
		},
	);
}
