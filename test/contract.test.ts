/**
 * The published contract (CONTRIBUTING.md, "The contract"): parameter names, option values and defaults of every node
 * version, credential field names, and the fields of trigger items, compared with test/contract/published.json.
 * A saved workflow refers to all of them by name, so a change breaks it unless the node's version is bumped (a
 * versioned node keeps the old version's description). `npm run contract:update` rewrites the file, on purpose.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Contract } from './contract/describe';
import { publishedContract } from './contract/describe';

const FILE = join(__dirname, 'contract', 'published.json');
const UPDATE = process.env.CONTRACT_UPDATE === '1';

const current = publishedContract();

if (UPDATE) writeFileSync(FILE, `${JSON.stringify(current, null, '\t')}\n`);

const published = JSON.parse(readFileSync(FILE, 'utf8')) as Contract;

const HOW =
	'bump the node version or update the contract on purpose (npm run contract:update); a bumped node keeps its old version as it was (a versioned node), so saved workflows keep working';

/** Every leaf of a contract section as "path = value", so a difference names the exact parameter. */
function flatten(value: unknown, path: string, into: Map<string, string>): Map<string, string> {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, child] of Object.entries(value))
			flatten(child, path ? `${path} / ${key}` : key, into);
	} else {
		into.set(path, JSON.stringify(value));
	}
	return into;
}

function differences(
	before: unknown,
	after: unknown,
): { changed: string[]; removed: string[]; added: string[] } {
	const old = flatten(before, '', new Map());
	const now = flatten(after, '', new Map());
	return {
		changed: [...old]
			.filter(([path, value]) => now.has(path) && now.get(path) !== value)
			.map(([path, value]) => `${path}: ${value} → ${now.get(path)}`),
		removed: [...old.keys()].filter((path) => !now.has(path)),
		added: [...now.keys()].filter((path) => !old.has(path)),
	};
}

describe('the published contract (test/contract/published.json)', () => {
	test('is not empty: every node, every credential and the trigger item fields are in it', () => {
		expect(Object.keys(published.nodes)).toEqual(
			expect.arrayContaining([
				'profilora@1',
				'sobot@1',
				'waChatPro@1',
				'profiloraTrigger@1',
				'sobotTrigger@1',
				'waChatProTrigger@1',
				'sobotTemplateTrigger@1',
			]),
		);
		expect(Object.keys(published.credentials)).toHaveLength(6);
		expect(published.triggerItemFields).toEqual(
			expect.arrayContaining(['from', 'to', 'fromRaw', 'toRaw', 'raw']),
		);
	});

	test.each(Object.keys(published.nodes))(
		'node %s: no published parameter name, option value or default changed or vanished',
		(node) => {
			const { changed, removed } = differences(published.nodes[node], current.nodes[node] ?? {});
			const problems = [
				...changed.map((c) => `changed ${c}`),
				...removed.map((r) => `removed ${r}`),
			];
			if (current.nodes[node] === undefined)
				problems.unshift(`node version ${node} is gone: saved workflows use it`);
			if (problems.length > 0) throw new Error(`${node}: ${problems.join('; ')}. ${HOW}`);
		},
	);

	test.each(Object.keys(published.credentials))(
		'credential %s: no field name or default changed or vanished',
		(credential) => {
			const { changed, removed } = differences(
				published.credentials[credential],
				current.credentials[credential] ?? {},
			);
			const problems = [
				...changed.map((c) => `changed ${c}`),
				...removed.map((r) => `removed ${r}`),
			];
			if (problems.length > 0)
				throw new Error(
					`${credential}: ${problems.join('; ')}. Stored credentials use these names: keep them, or update the contract on purpose (npm run contract:update)`,
				);
		},
	);

	test('no trigger item field vanished', () => {
		const gone = published.triggerItemFields.filter(
			(field) => !current.triggerItemFields.includes(field),
		);
		if (gone.length > 0)
			throw new Error(`trigger items lost ${gone.join(', ')}: workflows read them. ${HOW}`);
	});

	test('everything new is recorded (additions break nothing, but the contract must say what is published)', () => {
		const added = [
			...Object.keys(current.nodes).flatMap((node) =>
				differences(published.nodes[node] ?? {}, current.nodes[node]).added.map(
					(a) => `${node} / ${a}`,
				),
			),
			...Object.keys(current.credentials).flatMap((c) =>
				differences(published.credentials[c] ?? {}, current.credentials[c]).added.map(
					(a) => `${c} / ${a}`,
				),
			),
			...current.triggerItemFields
				.filter((field) => !published.triggerItemFields.includes(field))
				.map((f) => `trigger item field ${f}`),
		];
		if (added.length > 0)
			throw new Error(
				`not yet in the contract: ${added.join('; ')}. Record them on purpose: npm run contract:update`,
			);
	});
});
