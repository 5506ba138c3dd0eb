import { routerFor } from '../../shared/execution/router';
import * as message from './message';

export const router = routerFor({
	message: {
		sendText: message.sendText.execute,
		sendAndWaitForReply: message.sendAndWaitForReply.execute,
	},
});
