/** The first n8n install's progress line (scripts/n8n/install.ts): packages so far, scoped ones counted one by one. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { npmProgress } from '../../scripts/n8n/install';

test('counts the packages in node_modules as they arrive, scoped packages one by one', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'install-progress-'));
	try {
		const progress = npmProgress(dir);
		expect(progress()).toMatch(/^0 packages in node_modules(, \+\d+ MB on disk)?$/);
		for (const name of ['n8n', 'sqlite3', '@n8n/core', '@n8n/workflow', '.bin'])
			fs.mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
		expect(progress()).toMatch(/^4 packages in node_modules/);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
