/** `npm run release` refuses to publish stand-in metadata (scripts/release-metadata.ts). */
import * as fs from 'fs';
import * as path from 'path';

import { normaliseRepositoryUrl, releaseMetadataProblems } from '../../scripts/release-metadata';

const real = {
	name: 'n8n-nodes-whatsapp-gateways',
	homepage: 'https://github.com/acme/wa-nodes#readme',
	repository: { type: 'git', url: 'git+https://github.com/acme/wa-nodes.git' },
	author: { name: 'Acme', email: 'dev@acme.example.com' },
};

describe('release metadata', () => {
	it("refuses this repository's package.json as it stands: no repository, stand-in homepage and e-mail", () => {
		const pkg = JSON.parse(
			fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
		) as Record<string, unknown>;
		const problems = releaseMetadataProblems(pkg, 'git@github.com:acme/wa-nodes.git');
		expect(problems.map((p) => p.split(' ')[0])).toEqual([
			'"repository"',
			'"homepage"',
			'"author"',
		]);
	});

	it('accepts real values whose repository is the origin remote, in any URL spelling', () => {
		expect(releaseMetadataProblems(real, 'git@github.com:Acme/wa-nodes.git')).toEqual([]);
		expect(releaseMetadataProblems(real, 'https://github.com/acme/wa-nodes')).toEqual([]);
		expect(normaliseRepositoryUrl('ssh://git@github.com/acme/wa-nodes.git')).toBe(
			'github.com/acme/wa-nodes',
		);
	});

	it('refuses a repository that is not the origin remote, and a string author without e-mail', () => {
		const problems = releaseMetadataProblems(
			{ ...real, author: 'Acme' },
			'https://github.com/someone-else/fork.git',
		);
		expect(problems).toHaveLength(2);
		expect(problems[0]).toMatch(/not the origin remote/);
		expect(problems[1]).toMatch(/no e-mail/);
	});
});
