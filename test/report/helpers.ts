/** Running Campaign › Report in the engine, and reading its chart back out of n8n's binary data. */
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Sobot } from '../../nodes/Sobot/Sobot.node';
import type { PackageNodeType, RunNodeOptions, RunNodeResult } from '../harness/engine';
import { runNode } from '../harness/engine';
import type { DecodedPng } from './decodePng';
import { decodePng } from './decodePng';

/** The report over the given lines, run as its own node (no credential: a report makes no request). */
export async function runReport(
	lines: Array<INodeExecutionData | { json: IDataObject }>,
	parameters: Record<string, unknown> = {},
	{ node = new Sobot(), ...extra }: Partial<RunNodeOptions> & { node?: PackageNodeType } = {},
): Promise<RunNodeResult> {
	return await runNode({
		node,
		parameters: { resource: 'campaign', operation: 'report', ...parameters } as never,
		items: lines.map((line) => ({ json: line.json })),
		...extra,
	});
}

export async function chartOf(
	result: RunNodeResult,
	property = 'data',
): Promise<{
	binary: IBinaryData;
	bytes: Buffer;
	png: DecodedPng;
}> {
	const binary = result.items[0]?.binary?.[property];
	if (!binary)
		throw new Error(`the report has no binary "${property}": ${JSON.stringify(result.items[0])}`);
	const bytes = await Container.get(BinaryDataService).getAsBuffer(binary);
	return { binary, bytes, png: decodePng(bytes) };
}
