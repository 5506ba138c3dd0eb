/**
 * One memory measurement, alone in its own process (started by memory.ts with --expose-gc): WAChatPro
 * Send File with a file of `--mb` megabytes, n8n binary mode `--binary-mode`, through the real node
 * (`--path node`) or a naive node that builds the whole base64 JSON body in memory (`--path naive`).
 *
 * The baseline is taken when the WAChatPro node starts, after garbage collection: the input item (and in
 * "default" mode the file's base64 that n8n keeps inside it) is already there and is not the node's cost.
 * The peak is the kernel's resident-set high-water mark (VmHWM), reset at the baseline, so no short spike
 * is missed between samples. Heap + external memory is sampled as well, as a second view.
 * Prints one JSON line.
 */
import './env';

import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { sandboxCredentialData } from '../sandbox/credentials';
import { runNode } from '../test/harness/engine';
import { loadWaChatPro } from './nodes';

function arg(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
}

const binaryMode = arg('binary-mode', 'default') as 'default' | 'filesystem';
const path = arg('path', 'node') as 'node' | 'naive';
const sandboxUrl = arg('sandbox', '');
const megabytes = Number(arg('mb', '50'));
const PHONE = '6281211110001';

function statusKb(field: string): number {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
		readFileSync('/proc/self/status', 'utf8'),
	);
	if (!match) throw new Error(`no ${field} in /proc/self/status`);
	return Number(match[1]);
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

interface Measurement {
	baselineRssMb: number;
	peakRssGrowthMb: number;
	peakHeapExternalGrowthMb: number;
}

let measurement: Measurement | undefined;

/** The "before" picture: everything the node has not allocated yet, with garbage collected. */
async function measured<T>(run: () => Promise<T>): Promise<T> {
	gc?.();
	gc?.();
	const heapExternal = () => {
		const usage = process.memoryUsage();
		return usage.heapUsed + usage.external;
	};
	const baseHeap = heapExternal();
	const baseRssKb = statusKb('VmRSS');
	// Writing 5 to clear_refs resets the peak-RSS mark (Linux), so VmHWM afterwards is the peak of this run.
	writeFileSync('/proc/self/clear_refs', '5');
	let peakHeap = baseHeap;
	const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, heapExternal())), 2);
	try {
		return await run();
	} finally {
		clearInterval(sampler);
		peakHeap = Math.max(peakHeap, heapExternal());
		measurement = {
			baselineRssMb: baseRssKb / 1024,
			peakRssGrowthMb: (statusKb('VmHWM') - baseRssKb) / 1024,
			peakHeapExternalGrowthMb: (peakHeap - baseHeap) / 1024 / 1024,
		};
	}
}

/** What a node without streaming does: file → Buffer → base64 string → JSON body object → axios. */
async function naiveSendFile(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const buffer = await this.helpers.getBinaryDataBuffer(0, 'data');
	const credentials = await this.getCredentials('waChatProApi');
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'waChatProApi', {
		method: 'POST',
		url: `${String(credentials.baseUrl)}/wa/sendfile`,
		body: { phone: PHONE, filename: 'file.bin', body: buffer.toString('base64') },
		json: true,
	})) as INodeExecutionData['json'];
	return [[{ json: response, pairedItem: { item: 0 } }]];
}

async function sendFile(bytes: Buffer, measure: boolean): Promise<void> {
	const WaChatPro = loadWaChatPro();
	const real = NodeHelpers.getVersionedNodeType(new WaChatPro()) as INodeType;
	const execute = path === 'naive' ? naiveSendFile : (real.execute as typeof naiveSendFile);
	const node: INodeType = {
		description: real.description,
		async execute(this: IExecuteFunctions) {
			const run = async () => (await execute.call(this)) as INodeExecutionData[][];
			return measure ? await measured(run) : await run();
		},
	};
	const result = await runNode({
		node,
		credentials: { waChatProApi: sandboxCredentialData({ url: sandboxUrl }).waChatProApi },
		parameters: {
			resource: 'message',
			operation: 'sendFile',
			recipient: PHONE,
			inputMode: 'binary',
			binaryPropertyName: 'data',
			fileName: 'file.bin',
			sendingOptions: { timeoutMs: 300_000 },
		} as never,
		items: [
			{
				json: {},
				binary: {
					data: { data: bytes, fileName: 'file.bin', mimeType: 'application/octet-stream' },
				},
			},
		],
		binaryMode,
	});
	if (result.error || result.items.length !== 1 || result.items[0].json.error) {
		throw new Error(
			`send failed: ${result.error?.message ?? JSON.stringify(result.items[0]?.json)}`,
		);
	}
}

async function main() {
	// Warm-up with a small file: loading and compiling code is not what is measured.
	await sendFile(randomBytes(1024 * 1024), false);
	const size = megabytes * 1024 * 1024;
	await sendFile(randomBytes(size), true);
	const m = measurement as Measurement;
	const fileMb = size / 1024 / 1024;
	process.stdout.write(
		`${JSON.stringify({
			binaryMode,
			path,
			fileMb,
			...m,
			rssRatio: m.peakRssGrowthMb / fileMb,
			heapExternalRatio: m.peakHeapExternalGrowthMb / fileMb,
		})}\n`,
	);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
