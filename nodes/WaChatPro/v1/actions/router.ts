import type { OperationTable } from '../../../shared/execution/router';
import { routerFor } from '../../../shared/execution/router';
import * as campaign from './campaign';
import * as chat from './chat';
import * as contact from './contact';
import * as message from './message';

/** Every resource and operation the node offers, and the code that runs it (test/nodes/operations.test.ts checks it
 * against the Operation options). */
export const operations = {
	message: {
		sendText: message.sendText.execute,
		sendFile: message.sendFile.execute,
		sendFileFromUrl: message.sendFileFromUrl.execute,
		sendAndWaitForReply: message.sendAndWaitForReply.execute,
	},
	chat: { getAll: chat.getAll.execute, getMessages: chat.getMessages.execute },
	contact: { getAll: contact.getAll.execute },
	campaign: { report: campaign.report.execute },
} satisfies OperationTable;

export const router = routerFor(operations);
