import type { Icon } from 'n8n-workflow';

/**
 * The node's icon files, beside WaChatPro.node.ts. n8n resolves the icon of every version against the folder of the
 * entry file package.json lists, not the version's folder (test/nodes/icons.test.ts checks it that way).
 */
export const icon: Icon = { light: 'file:wachatpro.svg', dark: 'file:wachatpro.dark.svg' };
