/**
 * The documentation links n8n shows (a node's codex "Docs" link, a credential's "Open docs") go to the package's npm
 * page, which shows README.md, and to a heading README really has. The project has no public repository or site yet
 * (scripts/release-metadata.ts), so no link may name one.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const PAGE = 'https://www.npmjs.com/package/n8n-nodes-whatsapp-gateways';

/** The anchors of README's headings, as npm and GitHub make them (lower case, punctuation dropped, spaces → -). */
const anchors = readFileSync(join(ROOT, 'README.md'), 'utf8')
	.split('\n')
	.filter((line) => /^#{1,4} /.test(line))
	.map((line) =>
		line
			.replace(/^#+ /, '')
			.toLowerCase()
			.replace(/[^\p{L}\p{N} -]/gu, '')
			.replace(/ /g, '-'),
	);

function links(): Array<[string, string]> {
	const found: Array<[string, string]> = [];
	for (const folder of readdirSync(join(ROOT, 'nodes'))) {
		for (const file of readdirSync(join(ROOT, 'nodes', folder)).filter((f) =>
			f.endsWith('.node.json'),
		)) {
			const text = readFileSync(join(ROOT, 'nodes', folder, file), 'utf8');
			for (const [, url] of text.matchAll(/"url": "([^"]+)"/g))
				found.push([`nodes/${folder}/${file}`, url]);
		}
	}
	for (const file of readdirSync(join(ROOT, 'credentials')).filter((f) => f.endsWith('.ts'))) {
		const text = readFileSync(join(ROOT, 'credentials', file), 'utf8');
		for (const [, url] of text.matchAll(/documentationUrl\s*=\s*'([^']+)'/g))
			found.push([`credentials/${file}`, url]);
	}
	return found;
}

describe('documentation links', () => {
	test('every node and credential has one', () => {
		expect(links().length).toBeGreaterThanOrEqual(7 * 2 + 6);
	});

	test.each(links())('%s: %s is the npm page at a README heading', (_, url) => {
		const [page, anchor] = url.split('#');
		expect(page).toBe(PAGE);
		expect(anchors).toContain(anchor);
	});
});
