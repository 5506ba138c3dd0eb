// n8n's official community-node lint (the same config `n8n-node lint` uses), strictest variant (n8n Cloud rules).
// Only the published code is linted with it: tests, the sandbox and scripts run in Node, not inside n8n.
import { config } from '@n8n/node-cli/eslint';

export default config;
