/**
 * Campaign › Report in a real n8n (single mode, and on a worker in queue mode with binary data in PostgreSQL): the
 * example examples/sobot-campaign-report.json sends a campaign through the sandbox and reports on it. The report
 * item's counts are judged against the campaign's own lines and the sandbox's record; its chart is fetched from n8n's
 * binary-data endpoint (what the editor's output panel shows) and decoded by the tests' independent PNG reader.
 */
import { CHART_HEIGHT, CHART_WIDTH } from '../../nodes/shared/report/chart';
import { decodePng } from '../../test/report/decodePng';
import type { E2eContext } from '../context';
import { expect, expectFields, fail } from '../harness';
import { nodeOutput } from '../n8n';
import { storedFile } from './queue-binary';
import type { QueueE2eContext } from '../queue-tools';
import { startRun, waitForExecution, workerOf } from '../queue-tools';

const WORKFLOW = 'exSobotReport001';
const CAMPAIGN = 'order_update/report-demo';

/** The chart as n8n's REST API serves it to the editor (`action=view` is what the output panel's image loads). */
async function viewBinary(
	ctx: E2eContext,
	id: string,
): Promise<{ bytes: Buffer; contentType: string | null }> {
	const response = await fetch(
		`${ctx.n8n.url}/rest/binary-data?id=${encodeURIComponent(id)}&action=view`,
		{ headers: { cookie: ctx.rest.cookieHeader ?? '' } },
	);
	const bytes = Buffer.from(await response.arrayBuffer());
	if (!response.ok)
		fail(
			`GET /rest/binary-data?action=view answered HTTP ${response.status}: ${bytes.toString().slice(0, 200)}`,
		);
	return { bytes, contentType: response.headers.get('content-type') };
}

export async function reportChecks(ctx: E2eContext | QueueE2eContext): Promise<void> {
	const { suite, sandbox } = ctx;
	await suite.check(
		'Campaign › Report: the example campaign and its report, counts as the sandbox saw them, the chart served by n8n as a PNG',
		async () => {
			const sentBefore = sandbox.sobot.sent.length;
			const executionId = await startRun(ctx.rest, WORKFLOW);
			const execution = await waitForExecution(ctx.stored, executionId);
			expect(
				execution.summary.status === 'success',
				`execution ${executionId} ended ${String(execution.summary.status)}: ${execution.run.data?.resultData?.error?.message ?? ''}`,
			);
			const lines = nodeOutput(execution.run, 'Campaign');
			const reports = nodeOutput(execution.run, 'Campaign Report');
			expect(reports.length === 1, `${reports.length} report items for ${lines.length} lines`);
			const [report] = reports;

			// What the sandbox accepted in this run is what the report calls accepted.
			const accepted = sandbox.sobot.sent.slice(sentBefore);
			const status = (word: string) => lines.filter((line) => line.json.status === word).length;
			expect(
				accepted.length === status('sent') &&
					lines.every(
						(line) =>
							line.json.status !== 'sent' || accepted.some((m) => m.id === line.json.messageId),
					),
				`the sandbox accepted ${accepted.length}, the campaign says ${status('sent')} sent`,
			);
			expectFields('report', report.json, {
				title: CAMPAIGN,
				campaigns: [CAMPAIGN],
				recipients: lines.length,
				attempted: status('sent') + status('failed') + status('uncertain'),
				accepted: accepted.length,
				failed: status('failed'),
				skipped: status('skipped'),
				delivered: null,
				other: 0,
			});
			// The example's design (docs in its Recipients): 9 customers, one listed twice, two numbers refused.
			expectFields('report counts', report.json, {
				recipients: 9,
				accepted: 6,
				failed: 2,
				skipped: 1,
			});
			expect(
				JSON.stringify(report.pairedItem) === JSON.stringify(lines.map((_, item) => ({ item }))),
				`the report's pairedItem ${JSON.stringify(report.pairedItem)} does not list the ${lines.length} lines`,
			);

			const binary = report.binary?.data;
			expect(
				binary?.id,
				`the report item has no stored binary "data": ${JSON.stringify(report.binary)}`,
			);
			expectFields('binary', binary, {
				mimeType: 'image/png',
				fileName: 'campaign-report.png',
				fileExtension: 'png',
			});
			const served = await viewBinary(ctx, binary.id!);
			expect(
				served.contentType?.startsWith('image/png'),
				`n8n served the chart as ${served.contentType}`,
			);
			const png = decodePng(served.bytes);
			expect(
				png.width === CHART_WIDTH && png.height === CHART_HEIGHT,
				`the chart is ${png.width}×${png.height}`,
			);
			if ('stack' in ctx) {
				// Queue mode: the worker stored it in PostgreSQL, under the execution (not a webhook's "temp").
				const row = await storedFile(ctx, binary.id);
				expect(
					row.size === served.bytes.length && row.sourceType === 'execution',
					`binary_data row ${JSON.stringify(row)} for ${served.bytes.length} bytes served`,
				);
			}
			const where =
				'stack' in ctx
					? `on ${(await workerOf(ctx.stack, executionId)).name}, binary ${binary.id!.split(':')[0]}`
					: `binary ${binary.id!.split(':')[0]}`;
			suite.note(
				`execution ${executionId} ${where}: ${lines.length} lines → 1 report (accepted ${String(report.json.accepted)}, failed ${String(report.json.failed)}, skipped ${String(report.json.skipped)}); chart ${served.bytes.length} bytes, ${png.width}×${png.height}, served as ${served.contentType}`,
			);
		},
	);
}
