// n8n-core writes its instance settings into the user folder: keep tests out of the home folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-wa-test-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
