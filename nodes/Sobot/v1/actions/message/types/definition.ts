import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** One choice of "Message Type" and how an item becomes Sobot's `/message/` body (its fields are exported beside it). */
export interface MessageTypeDefinition {
	name: string;
	value: string;
	description: string;
	/** The type-specific part of the body (`type` and its fields), validated; recipient fields are added by the caller. */
	build: (ctx: IExecuteFunctions, itemIndex: number) => IDataObject;
}

/** Display options that show a field for some message types only, so each type shows just its own fields. */
export function forTypes(...types: string[]) {
	return { show: { messageType: types } };
}
