import type { OperationTable } from '../../../shared/execution/router';
import { routerFor } from '../../../shared/execution/router';
import * as campaign from './campaign';
import * as message from './message';

/** Every resource and operation the node offers, and the code that runs it (test/nodes/operations.test.ts checks it
 * against the Operation options). */
export const operations = {
	campaign: { report: campaign.report.execute },
	message: {
		sendText: message.sendText.execute,
		sendAndWaitForReply: message.sendAndWaitForReply.execute,
	},
} satisfies OperationTable;

export const router = routerFor(operations);
