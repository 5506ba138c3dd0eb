/**
 * The package's published contract, read from the node and credential descriptions: what a saved workflow or a
 * stored credential refers to by name. For every node and version: each parameter (name → type, default, option
 * values, child names of collections and fixed collections), and the fields the triggers put on their items.
 * n8n saves a workflow's parameters by name, leaves out those equal to their default, and matches option values
 * as text: renaming any of them, or changing a default, changes what saved workflows do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
	ICredentialType,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';

import type { GatewayEvent } from '../../nodes/shared/webhook/event';
import { toItemJson } from '../../nodes/shared/webhook/event';

const ROOT = join(__dirname, '..', '..');

export interface Parameter {
	type: string;
	default?: unknown;
	options?: string[];
	loadOptionsMethod?: string;
	/** A resource locator's modes (a saved value names its mode) and the list search each "From List" mode calls. */
	modes?: string[];
	searchListMethods?: string[];
	children?: Record<string, Parameter>;
}

export interface Contract {
	nodes: Record<string, Record<string, Parameter>>;
	credentials: Record<string, Record<string, Parameter>>;
	/** The fields of every trigger item (Profilora, Sobot, WAChatPro Trigger; Send and Wait for Reply's answer). */
	triggerItemFields: string[];
}

function isCollection(option: unknown): option is INodePropertyCollection {
	return typeof option === 'object' && option !== null && 'values' in option;
}

function isProperty(option: unknown): option is INodeProperties {
	return typeof option === 'object' && option !== null && 'type' in option && 'name' in option;
}

type VersionCondition = number | { _cnd: Record<string, number> };

function versionMatches(condition: VersionCondition, version: number): boolean {
	if (typeof condition === 'number') return condition === version;
	return Object.entries(condition._cnd).every(([op, value]) =>
		op === 'gte'
			? version >= value
			: op === 'lte'
				? version <= value
				: op === 'gt'
					? version > value
					: op === 'lt'
						? version < value
						: version === value,
	);
}

/** Whether a parameter is shown on this node version (n8n's `@version` display condition; none means always). */
function shownAt(property: INodeProperties, version: number | undefined): boolean {
	if (version === undefined) return true;
	const show = property.displayOptions?.show?.['@version'] as VersionCondition[] | undefined;
	const hide = property.displayOptions?.hide?.['@version'] as VersionCondition[] | undefined;
	if (show && !show.some((condition) => versionMatches(condition, version))) return false;
	return !hide?.some((condition) => versionMatches(condition, version));
}

function parameter(property: INodeProperties, version?: number): Parameter {
	const described: Parameter = { type: property.type };
	// Notices carry no value: only their name is part of the contract.
	if (property.type !== 'notice') described.default = property.default;
	const options = property.options ?? [];
	if (property.type === 'options' || property.type === 'multiOptions') {
		described.options = (options as INodePropertyOptions[]).map((option) => String(option.value));
		if (property.typeOptions?.loadOptionsMethod)
			described.loadOptionsMethod = property.typeOptions.loadOptionsMethod;
	} else if (property.type === 'resourceLocator') {
		described.modes = (property.modes ?? []).map((mode) => mode.name);
		const methods = (property.modes ?? []).flatMap((mode) =>
			mode.typeOptions?.searchListMethod ? [mode.typeOptions.searchListMethod] : [],
		);
		if (methods.length > 0) described.searchListMethods = methods;
	} else if (property.type === 'collection') {
		described.children = parameters(options.filter(isProperty), false, version);
	} else if (property.type === 'fixedCollection') {
		described.children = Object.fromEntries(
			options
				.filter(isCollection)
				.map((group) => [
					group.name,
					{ type: 'fixedCollectionValues', children: parameters(group.values, false, version) },
				]),
		);
	}
	return described;
}

/** Where a parameter shows: its resource and operation (the same name may be declared once per operation). */
function placeOf(property: INodeProperties): string {
	const show = property.displayOptions?.show ?? {};
	const place = ['resource', 'operation']
		.filter((key) => show[key] !== undefined)
		.map((key) => (show[key] as unknown[]).map(String).join('|'));
	return place.length > 0 ? `${place.join(':')} › ` : '';
}

function parameters(
	properties: INodeProperties[],
	placed = false,
	version?: number,
): Record<string, Parameter> {
	const described: Record<string, Parameter> = {};
	for (const property of properties) {
		if (!shownAt(property, version)) continue;
		const key = `${placed ? placeOf(property) : ''}${property.name}`;
		const current = parameter(property, version);
		const earlier = described[key];
		// The same name declared twice in one place (shown for different message types): one parameter, union of values.
		if (
			earlier &&
			JSON.stringify(earlier) !== JSON.stringify(current) &&
			earlier.options &&
			current.options
		) {
			earlier.options = [...new Set([...earlier.options, ...current.options])];
		} else {
			described[key] = earlier ?? current;
		}
	}
	return Object.fromEntries(Object.entries(described).sort(([a], [b]) => a.localeCompare(b)));
}

function load<T>(file: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(join(ROOT, file)) as Record<string, new () => T>;
	return new (Object.values(exported)[0])();
}

/**
 * Every version a node offers with the description n8n shows for it: a versioned node (VersionedNodeType) keeps one
 * description per version; a node with `version: [1, 2, 3]` shares one, which `@version` conditions vary.
 */
function versionsOf(type: INodeType | IVersionedNodeType): Array<[number, INodeTypeDescription]> {
	if ('nodeVersions' in type)
		return Object.entries(type.nodeVersions).map(([version, node]) => [
			Number(version),
			node.description,
		]);
	const { version } = type.description;
	return (Array.isArray(version) ? version : [version]).map((v) => [v, type.description]);
}

export function publishedContract(): Contract {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const source = (file: string) => file.replace(/^dist\//, '').replace(/\.js$/, '');
	const nodes: Contract['nodes'] = {};
	for (const file of pkg.n8n.nodes) {
		for (const [version, description] of versionsOf(
			load<INodeType | IVersionedNodeType>(source(file)),
		))
			nodes[`${description.name}@${version}`] = parameters(description.properties, true, version);
	}
	const credentials: Contract['credentials'] = {};
	for (const file of pkg.n8n.credentials) {
		const type = load<ICredentialType>(source(file));
		credentials[type.name] = parameters(type.properties);
	}
	const sample: GatewayEvent = {
		service: 'sobot',
		event: 'message',
		messageId: null,
		status: 'received',
		from: null,
		to: null,
		name: null,
		timestamp: null,
		messageType: null,
		text: null,
		media: null,
	};
	// The webhook triggers add `conversation` (nodes/shared/webhookTrigger/handler.ts).
	const triggerItemFields = [...Object.keys(toItemJson(sample, '', {}, true)), 'conversation'];
	return {
		nodes: Object.fromEntries(Object.entries(nodes).sort(([a], [b]) => a.localeCompare(b))),
		credentials,
		triggerItemFields,
	};
}
