import { routerFor } from '../../shared/execution/router';
import * as campaign from './campaign';
import * as chat from './chat';
import * as contact from './contact';
import * as message from './message';

export const router = routerFor({
	message: {
		sendText: message.sendText.execute,
		sendFile: message.sendFile.execute,
		sendFileFromUrl: message.sendFileFromUrl.execute,
		sendAndWaitForReply: message.sendAndWaitForReply.execute,
	},
	chat: { getAll: chat.getAll.execute, getMessages: chat.getMessages.execute },
	contact: { getAll: contact.getAll.execute },
	campaign: { report: campaign.report.execute },
});
