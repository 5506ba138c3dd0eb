/** What a successful `/message/` reply becomes in the output item. */
import type { IDataObject } from 'n8n-workflow';

export function sendResult(body: unknown, extra: IDataObject): IDataObject {
	const reply = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const data = (reply.data && typeof reply.data === 'object' ? reply.data : {}) as IDataObject;
	return {
		// The wamid: status webhooks carry it as `id`.
		messageId: data.id ?? reply.id,
		status: data.status ?? 'submitted',
		message: reply.message,
		...extra,
	};
}
