/**
 * Runs one of this package's nodes inside n8n-core's real `WorkflowExecute`, fed by a source node that
 * emits the given items (binary data stored through n8n's BinaryDataService, in memory or on disk), with
 * the real credential classes applied by TestCredentialsHelper. Requests go over loopback HTTP.
 */
import { Container } from '@n8n/di';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	BinaryDataConfig,
	BinaryDataService,
	ExecutionLifecycleHooks,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials';
import type { ProcessedDataStore } from './processedData';
import { useProcessedDataStore } from './processedData';

export const PACKAGE = 'n8n-nodes-whatsapp-gateways';

/** Every credential class of the package, found the way n8n finds them: by file. */
export function loadCredentialTypes(): Record<string, ICredentialType> {
	const dir = join(__dirname, '..', '..', 'credentials');
	const types: Record<string, ICredentialType> = {};
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.credentials.ts'))) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(join(dir, file)) as Record<string, new () => ICredentialType>;
		for (const Class of Object.values(exported)) {
			const type = new Class();
			types[type.name] = type;
		}
	}
	return types;
}

export interface TestBinary {
	data: Buffer;
	fileName?: string;
	mimeType?: string;
}

export interface TestItem {
	json: IDataObject;
	binary?: Record<string, TestBinary>;
}

/** A node class as the package exports it: a plain node type or a versioned one (nodes/<Node>/<Node>.node.ts). */
export type PackageNodeType = INodeType | IVersionedNodeType;

/** The node type n8n runs for a node of this version (the default version when none is given), as n8n resolves it. */
export function nodeTypeAt(node: PackageNodeType, version?: number): INodeType {
	return NodeHelpers.getVersionedNodeType(node, version) as INodeType;
}

export interface RunNodeOptions {
	node: PackageNodeType;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	items?: TestItem[];
	/** n8n's "On Error" setting: Continue (regular output) ≙ continueOnFail. */
	continueOnFail?: boolean;
	binaryMode?: 'default' | 'filesystem';
	/** Node settings such as retryOnFail, maxTries, waitBetweenTries. */
	nodeSettings?: Partial<INode>;
	/**
	 * n8n's processed-data store as it stands before the run; pass the same one to several runs to play
	 * executions of one workflow one after the other. A fresh, empty one by default.
	 */
	processedData?: ProcessedDataStore;
	/** Execution mode, `manual` by default (`webhook`, `trigger` for production runs). */
	mode?: WorkflowExecuteMode;
	/** The workflow's static data as n8n would load it from its database. */
	staticData?: IDataObject;
}

export interface RunNodeResult {
	items: INodeExecutionData[];
	error?: ExecutionError;
	run: IRun;
	/** Every main output of the node's run (`items` is the first). */
	outputs: INodeExecutionData[][];
	/** How often the run read (in n8n: queried and decrypted) a credential. */
	credentialReads: number;
}

let binaryModeReady: string | undefined;

/** n8n keeps binary data in memory ("default") or on disk ("filesystem"); nodes must work with both. */
export async function useBinaryMode(mode: 'default' | 'filesystem'): Promise<void> {
	if (binaryModeReady === mode) return;
	const config = Container.get(BinaryDataConfig);
	config.availableModes = ['default', 'filesystem'];
	config.mode = mode;
	config.localStoragePath = mkdtempSync(join(tmpdir(), 'n8n-wa-binary-'));
	await Container.get(BinaryDataService).init();
	binaryModeReady = mode;
}

function sourceNodeType(items: TestItem[]): INodeType {
	return {
		description: {
			displayName: 'Test Source',
			name: 'testSource',
			group: ['input'],
			version: 1,
			description: 'Emits the test items',
			defaults: { name: 'Test Source' },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const output: INodeExecutionData[] = [];
			for (const item of items) {
				const out: INodeExecutionData = { json: item.json };
				if (item.binary) {
					out.binary = {};
					for (const [key, file] of Object.entries(item.binary)) {
						out.binary[key] = await this.helpers.prepareBinaryData(
							file.data,
							file.fileName,
							file.mimeType,
						);
					}
				}
				output.push(out);
			}
			return [output];
		},
	};
}

export function makeAdditionalData(
	credentialsHelper: TestCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('executeWorkflow is not available in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}

export function nodeTypesFor(entries: Record<string, PackageNodeType>): INodeTypes {
	return {
		getByName: (type: string) => {
			const found = entries[type];
			if (!found) throw new Error(`Unknown node type ${type}`);
			return found;
		},
		getByNameAndVersion: (type: string, version?: number) => {
			const found = entries[type];
			if (!found) throw new Error(`Unknown node type ${type}`);
			return NodeHelpers.getVersionedNodeType(found, version);
		},
		getKnownTypes: () => ({}),
	} as INodeTypes;
}

/** The package's node as a workflow node, with credential references for each type it is given. */
export function nodeUnderTest(
	packageNode: PackageNodeType,
	parameters: INodeParameters,
	credentials: Record<string, ICredentialDataDecryptedObject> = {},
	position: [number, number] = [0, 0],
): INode {
	const { name, version } = nodeTypeAt(packageNode).description;
	return {
		id: 'node-under-test',
		name: 'Node Under Test',
		type: `${PACKAGE}.${name}`,
		typeVersion: Array.isArray(version) ? Math.max(...version) : version,
		position,
		parameters,
		credentials: Object.fromEntries(
			Object.keys(credentials).map((type) => [type, { id: `${type}-id`, name: `${type} test` }]),
		),
	};
}

/** Runs the node once over the items and returns its first output. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	await useBinaryMode(options.binaryMode ?? 'default');
	await useProcessedDataStore(options.processedData);
	const mode = options.mode ?? 'manual';
	const nodeType = options.node;
	const source: INode = {
		id: 'source',
		name: 'Test Source',
		type: 'test.source',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const underTest: INode = {
		...nodeUnderTest(nodeType, options.parameters, options.credentials, [200, 0]),
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...options.nodeSettings,
	};
	const nodeTypes = nodeTypesFor({
		'test.source': sourceNodeType(options.items ?? [{ json: {} }]),
		[underTest.type]: nodeType,
	});
	const workflowData: IWorkflowBase = {
		id: 'test-workflow',
		name: 'Test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [source, underTest],
		connections: { [source.name]: { main: [[{ node: underTest.name, type: 'main', index: 0 }]] } },
		settings: {},
		activeVersionId: null,
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		settings: {},
		staticData: options.staticData
			? (JSON.parse(JSON.stringify(options.staticData)) as IDataObject)
			: undefined,
	});

	const credentialsHelper = new TestCredentialsHelper(
		loadCredentialTypes(),
		options.credentials ?? {},
	);
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', workflowData);
	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));
	const additionalData = makeAdditionalData(credentialsHelper, hooks);
	additionalData.executionId = 'test-execution';

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: source, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const execute = new WorkflowExecute(additionalData, mode, runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await done;

	const task = run.data.resultData.runData[underTest.name]?.[0];
	return {
		items: task?.data?.main?.[0] ?? [],
		outputs: (task?.data?.main ?? []).map((output) => output ?? []),
		error: task?.error ?? run.data.resultData.error,
		run,
		credentialReads: credentialsHelper.reads,
	};
}
