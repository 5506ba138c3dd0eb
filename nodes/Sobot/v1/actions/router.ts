import type { OperationTable } from '../../../shared/execution/router';
import { routerFor } from '../../../shared/execution/router';
import * as campaign from './campaign';
import * as customer from './customer';
import * as message from './message';
import * as template from './template';

/** Every resource and operation the node offers, and the code that runs it (test/nodes/operations.test.ts checks it
 * against the Operation options). */
export const operations = {
	customer: {
		add: customer.add.execute,
		update: customer.update.execute,
		getAll: customer.getAll.execute,
	},
	message: {
		send: message.send.execute,
		sendAndWaitForReply: message.sendAndWaitForReply.execute,
		sendTemplate: message.sendTemplate.execute,
	},
	template: {
		create: template.create.execute,
		get: template.get.execute,
		getAll: template.getAll.execute,
	},
	campaign: { send: campaign.send.execute, report: campaign.report.execute },
} satisfies OperationTable;

export const router = routerFor(operations);
