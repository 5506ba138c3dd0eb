/**
 * Calls a node's `listSearch` method (a resource locator's "From List") the way n8n's editor does (the CLI's DynamicNodeParametersService):
 * a real n8n-core `LoadOptionsContext` over a one-node workflow, with the node's current parameters in
 * `additionalData.currentNodeParameters` and credentials applied by TestCredentialsHelper.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeParameters,
	INodeListSearchResult,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials';
import {
	PACKAGE,
	loadCredentialTypes,
	makeAdditionalData,
	nodeTypeAt,
	nodeTypesFor,
	nodeUnderTest,
} from './engine';
import type { PackageNodeType } from './engine';

export interface LoadOptionsRequest {
	node: PackageNodeType;
	method: string;
	parameters?: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The parameter whose options are loaded, as the editor passes it. */
	path?: string;
}

/** The context n8n builds for a method of the editor: a one-node workflow with the node's current parameters. */
function loadOptionsContext(request: LoadOptionsRequest): LoadOptionsContext {
	const nodeType = request.node;
	const typeName = `${PACKAGE}.${nodeTypeAt(nodeType).description.name}`;
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
	const additionalData = makeAdditionalData(
		new TestCredentialsHelper(loadCredentialTypes(), request.credentials ?? {}),
		hooks,
	);
	additionalData.currentNodeParameters = node.parameters;
	return new LoadOptionsContext(
		workflow,
		node,
		additionalData,
		request.path ?? `parameters.${request.method}`,
	);
}

/** A resource locator's "From List" search, as the editor calls it while the user types and scrolls. */
export async function searchNodeList(
	request: LoadOptionsRequest & { filter?: string; paginationToken?: string },
): Promise<INodeListSearchResult> {
	const nodeType = nodeTypeAt(request.node);
	const method = nodeType.methods?.listSearch?.[request.method];
	if (!method)
		throw new Error(`${nodeType.description.name} has no listSearch method ${request.method}`);
	return await method.call(loadOptionsContext(request), request.filter, request.paginationToken);
}
