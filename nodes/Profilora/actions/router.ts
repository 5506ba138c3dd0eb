import { routerFor } from '../../shared/execution/router';
import * as campaign from './campaign';
import * as message from './message';

export const router = routerFor({
	campaign: { report: campaign.report.execute },
	message: {
		sendText: message.sendText.execute,
		sendAndWaitForReply: message.sendAndWaitForReply.execute,
	},
});
