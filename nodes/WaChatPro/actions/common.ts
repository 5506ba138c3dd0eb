/** Fields and list reading shared by the WAChatPro operations. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { extractList } from '../../shared/lists';
import type { GatewayContext } from '../../shared/transport';
import { GatewayError } from '../../shared/transport';
import { waChatPro, waChatProRequest } from '../transport';

/** Who a message goes to: `recipient`, the name every node of the package uses for it (CONTRIBUTING.md, "The contract"). */
export function recipientProperty(description: string): INodeProperties {
	return {
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+62 812-3456-7890',
		description,
	};
}

/** Whose record or chat is read: `mobile`, as Sobot's customer operations name it (CONTRIBUTING.md, "The contract"). */
export function mobileProperty(description: string): INodeProperties {
	return {
		displayName: 'Phone Number',
		name: 'mobile',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+62 812-3456-7890',
		description,
	};
}

export const captionProperty: INodeProperties = {
	displayName: 'Caption',
	name: 'caption',
	type: 'string',
	default: '',
	typeOptions: { rows: 2 },
	description: 'Text shown with the file. Leave empty for none.',
};

/**
 * What "Return All" asks for. WAChatPro documents `limit` (default 100) but no paging, so the only way to
 * get everything is to ask for more than any account has and accept what comes back.
 */
export const RETURN_ALL_LIMIT = 100_000;

/**
 * POSTs a list request and returns its elements, at most `limit`. The reply's shape is undocumented: a bare
 * array or an object wrapping one is accepted; a reply without a list is an error, not an empty result.
 */
export async function fetchList(
	ctx: GatewayContext,
	path: string,
	body: IDataObject,
	listField: string,
	limit: number,
): Promise<IDataObject[]> {
	const { body: reply } = await waChatProRequest(ctx, path, body);
	const list = extractList(reply, ['data', listField]);
	if (!list) {
		throw new GatewayError(
			ctx.getNode(),
			`WAChatPro's reply to ${path} holds no list of ${listField} (looked for an array, or one under "data" or "${listField}")`,
			{ service: waChatPro.displayName, body: reply, retry: 'never' },
		);
	}
	return Number.isFinite(limit) ? list.slice(0, limit) : list;
}
