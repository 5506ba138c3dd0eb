/**
 * A message's identity for the ledger and the durable record: who gets it, and a short hash of what it says, so
 * a re-run with the same key skips the same message to the same person but sends a changed one.
 */
import { createHash } from 'node:crypto';

export function messageIdentity(recipient: string, ...content: unknown[]): string {
	const digest = createHash('sha256')
		.update(JSON.stringify(content), 'utf8')
		.digest('base64url')
		.slice(0, 16);
	return `${recipient}|${digest}`;
}
