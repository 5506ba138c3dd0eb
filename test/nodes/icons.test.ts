/**
 * Every node's icon is found where n8n looks for it. n8n's loader resolves the icon of each version of a versioned
 * node against the folder of the entry file that package.json lists (n8n-core's DirectoryLoader `fixIconPaths`), not
 * against the version's own folder, which is where `n8n-node lint`'s icon check looks. The version classes therefore
 * take the icon from the node's shared description (nodes/<Node>/description.ts), and this test checks the path
 * the way n8n resolves it, for the entry and for every version.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { INodeType, INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';

const ROOT = join(__dirname, '..', '..');

const files = (
	JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } }
).n8n.nodes.map((file) => join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '')));

function iconPaths(description: INodeTypeBaseDescription): string[] {
	const { icon } = description;
	const values = typeof icon === 'string' ? [icon] : icon ? [icon.light, icon.dark] : [];
	return values.map((value) => value.replace(/^file:/, ''));
}

describe('node icons, resolved as n8n resolves them', () => {
	test.each(files.map((file) => [file.slice(ROOT.length + 1), file]))('%s', (_, file) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(file) as Record<string, new () => INodeType | IVersionedNodeType>;
		const type = new (Object.values(exported)[0])();
		const descriptions: INodeTypeBaseDescription[] = [
			type.description,
			...('nodeVersions' in type
				? Object.values(type.nodeVersions).map((node) => node.description)
				: []),
		];
		for (const description of descriptions) {
			const paths = iconPaths(description);
			expect(paths).toHaveLength(2);
			for (const path of paths)
				expect([path, existsSync(join(dirname(file), path))]).toEqual([path, true]);
		}
	});
});
