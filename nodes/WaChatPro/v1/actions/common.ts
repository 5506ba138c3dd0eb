/** Fields shared by the WAChatPro operations. */
import type { INodeProperties } from 'n8n-workflow';

import { phoneNumberLocator } from '../../../shared/parameters/resourceLocator';

/**
 * Who a message goes to: `recipient`, the name every node of the package uses for it (CONTRIBUTING.md, "The
 * contract"), typed (first: numbers mostly come from expressions) or picked from the account's contacts.
 */
export function recipientProperty(description: string): INodeProperties {
	return phoneNumberLocator({
		displayName: 'Recipient',
		name: 'recipient',
		description,
		searchListMethod: 'searchContacts',
		listPlaceholder: 'Select a contact...',
		firstMode: 'typed',
		typedMode: 'phone',
		placeholder: '+62 812-3456-7890',
	});
}

/** Whose chat is read: `mobile`, as Sobot's customer operations name it (CONTRIBUTING.md, "The contract"). */
export function chatProperty(description: string): INodeProperties {
	return phoneNumberLocator({
		displayName: 'Chat',
		name: 'mobile',
		description,
		searchListMethod: 'searchChats',
		listPlaceholder: 'Select a chat...',
		firstMode: 'list',
		typedMode: 'phone',
		placeholder: '+62 812-3456-7890',
	});
}

export const captionProperty: INodeProperties = {
	displayName: 'Caption',
	name: 'caption',
	type: 'string',
	default: '',
	typeOptions: { rows: 2 },
	description: 'Text shown with the file. Leave empty for none.',
};
