/**
 * One list of operations per node: the Operation options the editor shows, the router's table (actions/router.ts)
 * and the canvas subtitle must name the same resource:operation pairs, so an operation added to one and forgotten in
 * another fails here, not in a user's workflow ("The operation ... is not supported").
 */
import type { INodeType } from 'n8n-workflow';

import { nodeTypeAt } from '../harness/engine';

import { operations as profiloraOperations } from '../../nodes/Profilora/v1/actions/router';
import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { operations as sobotOperations } from '../../nodes/Sobot/v1/actions/router';
import { Sobot } from '../../nodes/Sobot/Sobot.node';
import { operations as waChatProOperations } from '../../nodes/WaChatPro/v1/actions/router';
import { WaChatPro } from '../../nodes/WaChatPro/WaChatPro.node';

/** `resource:operation` of every Operation option, per the resources its displayOptions show it for. */
function offered(node: INodeType): string[] {
	const { properties } = node.description;
	const resources = (properties.find((p) => p.name === 'resource')?.options ?? []) as Array<{
		value: string;
	}>;
	return properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => {
			const shownFor =
				(p.displayOptions?.show?.resource as string[] | undefined) ?? resources.map((r) => r.value);
			return shownFor.flatMap((resource) =>
				(p.options as Array<{ value: string }>).map((o) => `${resource}:${o.value}`),
			);
		})
		.sort();
}

const tabled = (table: Record<string, Record<string, unknown>>) =>
	Object.entries(table)
		.flatMap(([resource, ops]) => Object.keys(ops).map((operation) => `${resource}:${operation}`))
		.sort();

describe('operations: options, router and subtitle agree', () => {
	test.each([
		['Profilora', new Profilora(), profiloraOperations],
		['Sobot', new Sobot(), sobotOperations],
		['WAChatPro', new WaChatPro(), waChatProOperations],
	] as const)('%s v1', (_, versioned, table) => {
		const node = nodeTypeAt(versioned, 1);
		const pairs = tabled(table);
		expect(pairs.length).toBeGreaterThan(2);
		expect(offered(node)).toEqual(pairs);
		const { subtitle, properties } = node.description;
		const resources = properties.find((p) => p.name === 'resource')?.options ?? [];
		// A node with several resources shows "Resource: Operation" from a map keyed by the pair.
		if (resources.length > 1 && String(subtitle).includes('":"')) {
			for (const pair of pairs) expect(String(subtitle)).toContain(`"${pair}":`);
		}
	});
});
