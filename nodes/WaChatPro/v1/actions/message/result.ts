import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../../../../shared/http/replies';

/**
 * The output of a send: what the node knows (recipient, file) followed by the gateway's reply as it came,
 * unknown fields included (WAChatPro documents none). A non-object reply is kept under `response`.
 */
export function sendResult(reply: unknown, known: IDataObject): IDataObject {
	if (isObject(reply)) return { ...known, ...reply };
	return reply === undefined || reply === ''
		? known
		: { ...known, response: reply as IDataObject[string] };
}
