/** Fields shared by the WAChatPro operations. */
import type { INodeProperties } from 'n8n-workflow';

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
