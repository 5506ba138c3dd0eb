/**
 * Imported first by every benchmark entry point: n8n-core reads these when it loads, and would otherwise
 * write its settings into the home folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-wa-bench-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
