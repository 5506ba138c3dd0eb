/**
 * The send nodes' outputs as n8n computes them from the `outputs` expression (n8n-workflow's getNodeOutputs, which
 * the editor and the engine use): Sent and Held only when the Sending Options can hold.
 */
import type { INode } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { Sobot } from '../../nodes/Sobot/Sobot.node';
import { WaChatPro } from '../../nodes/WaChatPro/WaChatPro.node';
import type { PackageNodeType } from '../harness/engine';
import { nodeTypeAt, nodeTypesFor } from '../harness/engine';

function outputsOf(packageNode: PackageNodeType, parameters: INode['parameters']) {
	const nodeType = nodeTypeAt(packageNode);
	const { description } = nodeType;
	const node: INode = {
		id: 'n1',
		name: 'Send',
		type: description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesFor({ [description.name]: nodeType }),
	});
	return NodeHelpers.getNodeOutputs(workflow, node, description).map((output) =>
		typeof output === 'string' ? output : (output.displayName ?? output.type),
	);
}

describe('the Held output', () => {
	const sendText = { resource: 'message', operation: 'sendText' };
	const window = { sendWindow: { periods: [{ days: ['monday'], from: '09:00', to: '17:00' }] } };

	test.each([
		['Profilora', new Profilora()],
		['WAChatPro', new WaChatPro()],
	])(
		'%s: one output, or Sent and Held with a window or an hourly or daily limit',
		(_, description) => {
			expect(outputsOf(description, sendText)).toEqual(['main']);
			expect(
				outputsOf(description, { ...sendText, sendingOptions: { senderLimitPerMinute: 8 } }),
			).toEqual(['main']);
			expect(outputsOf(description, { ...sendText, sendingOptions: window })).toEqual([
				'Sent',
				'Held',
			]);
			expect(
				outputsOf(description, { ...sendText, sendingOptions: { senderLimitPerHour: 200 } }),
			).toEqual(['Sent', 'Held']);
			expect(
				outputsOf(description, {
					resource: 'message',
					operation: 'sendAndWaitForReply',
					sendingOptions: window,
				}),
			).toEqual(['No Reply', 'Reply']);
		},
	);

	test('Sobot campaign: Held with a daily limit', () => {
		const campaign = { resource: 'campaign', operation: 'send' };
		expect(outputsOf(new Sobot(), campaign)).toEqual(['main']);
		expect(
			outputsOf(new Sobot(), {
				...campaign,
				sendingOptions: { senderLimitPerDay: 1500 },
			}),
		).toEqual(['Sent', 'Held']);
	});
});
