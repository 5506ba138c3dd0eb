/**
 * Runs a polling trigger's `poll()` the way n8n-core does: inside n8n-core's real `PollContext` (the same
 * request helpers, credentials and static-data access n8n gives a poll), over a `Workflow` built afresh for
 * every poll from the static data saved after the previous one, as n8n loads it from its database.
 *
 * Saving imitates n8n: after a poll in trigger mode the static data is kept (as JSON) when the poll changed it;
 * a poll that throws keeps nothing; manual polls ("Fetch Test Event") never save. That this is really what n8n
 * does, and across a restart, is proven in a real n8n by e2e/checks/polling.ts, not here.
 */
import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWorkflowBase,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials';
import { loadCredentialTypes, makeAdditionalData, nodeTypesFor, nodeUnderTest } from './engine';

export interface PollHarnessOptions {
	node: INodeType;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Static data saved by an earlier "process" (to imitate a restart). */
	staticData?: IDataObject;
	/** Poll as in n8n 1.x, whose PollContext has no `getPollBudgetMs` (the one 2.x poll method the nodes call). */
	withoutPollBudget?: boolean;
}

export class PollHarness {
	/** What n8n would hold in its database: the workflow's static data as saved after the last poll. */
	saved: string;

	/** How many polls saved static data. */
	saves = 0;

	constructor(private readonly options: PollHarnessOptions) {
		this.saved = JSON.stringify(options.staticData ?? {});
	}

	get staticData(): IDataObject {
		return JSON.parse(this.saved) as IDataObject;
	}

	/** The node's own static data (what `getWorkflowStaticData('node')` returns to it). */
	get nodeStaticData(): IDataObject {
		return (this.staticData[`node:${nodeUnderTest(this.options.node, {}).name}`] ??
			{}) as IDataObject;
	}

	/** One poll; `manual` is the editor's "Fetch Test Event". Returns what poll() returned. */
	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[][] | null> {
		const node = nodeUnderTest(
			this.options.node,
			this.options.parameters,
			this.options.credentials,
		);
		const workflowData = {
			id: 'poll-workflow',
			name: 'Poll test',
			active: mode === 'trigger',
			nodes: [node],
			connections: {},
			settings: {},
		} as unknown as IWorkflowBase;
		const workflow = new Workflow({
			id: workflowData.id,
			name: workflowData.name,
			nodes: [node],
			connections: {},
			active: mode === 'trigger',
			nodeTypes: nodeTypesFor({ [node.type]: this.options.node }),
			staticData: JSON.parse(this.saved) as IDataObject,
			settings: {},
		});
		const executeMode: WorkflowExecuteMode = mode;
		const activation: WorkflowActivateMode = mode === 'manual' ? 'manual' : 'activate';
		const hooks = new ExecutionLifecycleHooks(executeMode, 'poll', workflowData);
		const credentialsHelper = new TestCredentialsHelper(
			loadCredentialTypes(),
			this.options.credentials,
		);
		const context = new PollContext(
			workflow,
			workflow.getNode(node.name)!,
			makeAdditionalData(credentialsHelper, hooks),
			executeMode,
			activation,
		);
		if (this.options.withoutPollBudget)
			Object.defineProperty(context, 'getPollBudgetMs', { value: undefined });
		const result = await this.options.node.poll!.call(context);
		if (mode === 'trigger' && workflow.staticData.__dataChanged === true) {
			this.saved = JSON.stringify(workflow.staticData);
			this.saves++;
		}
		return result;
	}

	/** The items of one poll as plain JSON (and a check that every item is an object). */
	async pollItems(mode: 'trigger' | 'manual' = 'trigger'): Promise<IDataObject[] | null> {
		const result = await this.poll(mode);
		if (result === null) return null;
		return result[0].map((item) => item.json);
	}
}
