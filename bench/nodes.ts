/**
 * The package's node classes for scripts run by tsx. Each node folder holds `X.node.ts` and its codex
 * `X.node.json`; tsx resolves an extensionless `X.node` to the JSON, so the TypeScript file is named in full.
 */
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
export const { Profilora } = require(
	join(__dirname, '..', 'nodes', 'Profilora', 'Profilora.node.ts'),
) as typeof import('../nodes/Profilora/Profilora.node');

export function loadWaChatPro(): typeof import('../nodes/WaChatPro/WaChatPro.node').WaChatPro {
	return (
		require(
			join(__dirname, '..', 'nodes', 'WaChatPro', 'WaChatPro.node.ts'),
		) as typeof import('../nodes/WaChatPro/WaChatPro.node')
	).WaChatPro;
}
