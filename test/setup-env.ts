// n8n-core writes its instance settings into the user folder: keep tests out of the home folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-wa-test-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
// n8n-core's logger (winston, to the console) logs every error a node throws, and most tests make nodes fail on
// purpose: ~170 blocks, ~850 lines on a green run. A failing test still says why through Jest's own report (the
// assertion, the error items). To see n8n's log while debugging: `N8N_LOG_LEVEL=error npx jest test/<path>`.
process.env.N8N_LOG_LEVEL ??= 'silent';
