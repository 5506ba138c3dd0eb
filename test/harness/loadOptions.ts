/**
 * Calls a node's `loadOptions` method the way n8n's editor does (the CLI's DynamicNodeParametersService):
 * a real n8n-core `LoadOptionsContext` over a one-node workflow, with the node's current parameters in
 * `additionalData.currentNodeParameters` and credentials applied by TestCredentialsHelper.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials';
import { PACKAGE, loadCredentialTypes, makeAdditionalData, nodeTypesFor, nodeUnderTest } from './engine';

export interface LoadOptionsRequest {
	node: INodeType;
	method: string;
	parameters?: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The parameter whose options are loaded, as the editor passes it. */
	path?: string;
}

export async function loadNodeOptions(request: LoadOptionsRequest): Promise<INodePropertyOptions[]> {
	const nodeType = request.node;
	const method = nodeType.methods?.loadOptions?.[request.method];
	if (!method) throw new Error(`${nodeType.description.name} has no loadOptions method ${request.method}`);
	const typeName = `${PACKAGE}.${nodeType.description.name}`;
	const node: INode = nodeUnderTest(nodeType, request.parameters ?? {}, request.credentials);
	const workflow = new Workflow({
		id: 'load-options',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesFor({ [typeName]: nodeType }),
	});
	const hooks = new ExecutionLifecycleHooks('internal', 'load-options', {
		id: 'load-options',
		name: 'Load Options',
		nodes: [node],
		connections: {},
	} as unknown as IWorkflowBase);
	const additionalData = makeAdditionalData(new TestCredentialsHelper(loadCredentialTypes(), request.credentials ?? {}), hooks);
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, request.path ?? `parameters.${request.method}`);
	return await method.call(context);
}
