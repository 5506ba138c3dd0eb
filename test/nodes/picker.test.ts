/**
 * What a user sees of the nodes before using them: n8n's node picker (search and merged entries) and the canvas
 * subtitle. The picker rules are n8n 2.41's editor's, read in n8n-editor-ui's code: search matches the query against
 * each entry's displayName and codex `alias`; a trigger whose type name without "Trigger" names another node of the
 * package is merged into that node's entry, which then shows the trigger's description; the canvas evaluates
 * `subtitle` as an expression over the node's parameters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { PackageNodeType } from '../harness/engine';
import { PACKAGE, nodeTypeAt, nodeTypesFor } from '../harness/engine';

const ROOT = join(__dirname, '..', '..');

interface Listed {
	description: INodeTypeDescription;
	alias: string[];
}

/** Every node of package.json, with the codex file n8n reads next to it. */
const nodes: Listed[] = (
	JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } }
).n8n.nodes.map((file) => {
	const source = join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, ''));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(source) as Record<string, new () => PackageNodeType>;
	// The picker shows a versioned node's default version.
	const { description } = nodeTypeAt(new (Object.values(exported)[0])());
	const codex = JSON.parse(readFileSync(`${source}.json`, 'utf8')) as { alias?: string[] };
	return { description, alias: codex.alias ?? [] };
});

const byName = (name: string) => nodes.find((n) => n.description.name === name) as Listed;

/** The picker's entries: action nodes (with the description of a merged trigger) and triggers not merged. */
function pickerEntries(): Array<{
	displayName: string;
	description: string;
	alias: string[];
	merged?: string;
}> {
	const actions = nodes.filter((n) => !n.description.group.includes('trigger'));
	const entries = actions.map((n) => ({
		displayName: n.description.displayName,
		description: n.description.description,
		alias: n.alias,
		name: n.description.name,
		merged: undefined as string | undefined,
	}));
	for (const trigger of nodes.filter((n) => n.description.group.includes('trigger'))) {
		const into = entries.find((e) => e.name === trigger.description.name.replace('Trigger', ''));
		if (into) {
			into.description = trigger.description.description;
			into.merged = trigger.description.displayName;
		} else {
			entries.push({
				displayName: trigger.description.displayName,
				description: trigger.description.description,
				alias: trigger.alias,
				name: trigger.description.name,
				merged: undefined,
			});
		}
	}
	return entries;
}

/** Found, and found well: the query is a whole word run of the display name or an alias (n8n's fuzzy match needs less). */
function found(query: string): string[] {
	const words = (text: string) =>
		` ${text.toLowerCase()} `.includes(` ${query.toLowerCase()} `) ||
		text.toLowerCase().startsWith(query.toLowerCase());
	return pickerEntries()
		.filter((entry) => words(entry.displayName) || entry.alias.some(words))
		.map((entry) => entry.displayName)
		.sort();
}

describe("n8n's node picker", () => {
	test('merges the three webhook/poll triggers into their nodes, so the picker has four entries', () => {
		expect(pickerEntries().map((e) => [e.displayName, e.merged ?? null])).toEqual([
			['Profilora', 'Profilora Trigger'],
			['WAChatPro', 'WAChatPro Trigger'],
			['Sobot', 'Sobot Trigger'],
			['Sobot Template Trigger', null],
		]);
	});

	test.each([
		['WhatsApp', ['Profilora', 'Sobot', 'Sobot Template Trigger', 'WAChatPro']],
		['WA', ['Profilora', 'Sobot', 'Sobot Template Trigger', 'WAChatPro']],
		['whatsapp gateway', ['Profilora', 'Sobot', 'Sobot Template Trigger', 'WAChatPro']],
		['message', ['Profilora', 'Sobot', 'Sobot Template Trigger', 'WAChatPro']], // the last by "message template"
		['send message', ['Profilora', 'Sobot', 'WAChatPro']],
		['incoming message', ['Profilora', 'Sobot', 'WAChatPro']],
		['delivery status', ['Profilora', 'Sobot']],
		['campaign', ['Sobot']],
		['broadcast', ['Sobot']],
		['template', ['Sobot', 'Sobot Template Trigger']],
		['customer', ['Sobot']],
		['send file', ['WAChatPro']],
	])('searching %j finds %j', (query, entries) => {
		expect(found(query)).toEqual(entries);
	});

	test("a merged entry reads right for its actions and its triggers (it shows the trigger's description)", () => {
		for (const entry of pickerEntries().filter((e) => e.merged)) {
			expect(entry.description).toMatch(/^Send WhatsApp messages/);
			expect(entry.description).toMatch(/start workflows on/);
			expect(entry.description).toContain(entry.displayName);
		}
	});

	test('the merged panel lists the trigger events as actions a person would say', () => {
		const events = byName('sobotTrigger').description.properties.find(
			(p) => p.name === 'events',
		) as INodeProperties;
		expect(events.displayName).toBe('Events'); // the name n8n's picker looks for
		expect(events.options?.map((o) => ('action' in o ? o.action : undefined))).toEqual([
			'On a delivery status or an incoming message',
			'On a delivery status',
			'On an incoming message',
		]);
	});
});

/** The canvas subtitle of a node with these parameters, evaluated as n8n's editor does. */
function subtitle(listed: Listed, parameters: Record<string, unknown>): unknown {
	const type = `${PACKAGE}.${listed.description.name}`;
	const node = {
		id: 'n',
		name: 'N',
		type,
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: parameters as never,
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesFor({ [type]: { description: listed.description } as INodeType }),
	});
	return workflow.expression.getSimpleParameterValue(
		node,
		listed.description.subtitle as string,
		'internal',
		{},
	);
}

/** [resource value, resource name, operation value, operation name] of every operation of a node. */
function operations(description: INodeTypeDescription): Array<[string, string, string, string]> {
	const resources = (description.properties.find((p) => p.name === 'resource')?.options ??
		[]) as Array<{ name: string; value: string }>;
	return description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) =>
			((p.displayOptions?.show?.resource ?? []) as string[]).flatMap((resource) =>
				(p.options as Array<{ name: string; value: string }>).map(
					(o) =>
						[
							resource,
							resources.find((r) => r.value === resource)?.name ?? resource,
							o.value,
							o.name,
						] as [string, string, string, string],
				),
			),
		);
}

describe('canvas subtitles', () => {
	test.each(['sobot', 'waChatPro'])(
		'%s: "Resource: Operation" in words for every operation',
		(name) => {
			const listed = byName(name);
			const all = operations(listed.description);
			expect(all.length).toBeGreaterThan(3);
			for (const [resource, resourceName, operation, operationName] of all) {
				expect(subtitle(listed, { resource, operation })).toBe(`${resourceName}: ${operationName}`);
			}
		},
	);

	test('Profilora (one resource): the operation alone', () => {
		expect(subtitle(byName('profilora'), { resource: 'message', operation: 'sendText' })).toBe(
			'Send Text',
		);
	});

	test('the campaign, as in the issue: "Campaign: Send", not "send: campaign"', () => {
		expect(subtitle(byName('sobot'), { resource: 'campaign', operation: 'send' })).toBe(
			'Campaign: Send',
		);
	});

	test.each(['profiloraTrigger', 'sobotTrigger'])('%s: the chosen events in words', (name) => {
		expect(
			['all', 'status', 'message'].map((events) => subtitle(byName(name), { events })),
		).toEqual(['Statuses and messages', 'Delivery statuses', 'Incoming messages']);
	});
});

describe('size fields in MB', () => {
	// n8n shows a number field with numberPrecision 3 as 100.000, which reads as a hundred thousand in many locales.
	const sizes = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((p) => [
			...(/MB\)$/.test(p.displayName) ? [p] : []),
			...sizes((p.options ?? []).filter((o): o is INodeProperties => 'type' in o)),
		]);

	test('show their value as typed (no fixed decimals), and still take fractions', () => {
		const found = nodes.flatMap((n) => sizes(n.description.properties));
		expect(found.map((p) => p.displayName).sort()).toEqual([
			'Max Body Size (MB)',
			'Max Body Size (MB)',
			'Max File Size (MB)',
			// The Sobot Trigger's media download, and Send and Wait for Reply's in each action node.
			'Max Size (MB)',
			'Max Size (MB)',
			'Max Size (MB)',
			'Max Size (MB)',
		]);
		for (const property of found) {
			expect(property.typeOptions?.numberPrecision).toBeUndefined();
			expect(property.typeOptions?.minValue).toBeLessThan(1);
		}
	});
});
