/**
 * The chats and contacts of the WhatsApp account, for the fields that name a phone number. WAChatPro documents
 * neither the shape of a chat or contact nor a search: the whole list is read and filtered here, and the number
 * is taken from the first field that holds one (`phone`, `number`, `wa_id`, then a JID in `id`, `jid`, `remoteJid`).
 */
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { normaliseNumber } from '../../../shared/parameters/phone';
import { searchEntries } from '../../../shared/parameters/resourceLocator';
import { fetchList, RETURN_ALL_LIMIT } from '../../transport';

const NUMBER_FIELDS = ['phone', 'number', 'wa_id', 'id', 'jid', 'remoteJid', 'chatId'];

/** The person's digits; undefined for a group, an @lid id or an entry without a number. */
function digitsOf(entry: IDataObject): string | undefined {
	for (const field of NUMBER_FIELDS) {
		const value = entry[field];
		if (typeof value !== 'string' && typeof value !== 'number') continue;
		try {
			const number = normaliseNumber(String(value));
			// Only international forms: a listed number is never guessed into a country.
			if (number.kind === 'user' && !String(value).trim().startsWith('0')) return number.digits;
		} catch {
			// Not a number: try the next field.
		}
	}
	return undefined;
}

function asEntries(list: IDataObject[]): INodeListSearchItems[] {
	const seen = new Set<string>();
	const entries: INodeListSearchItems[] = [];
	for (const entry of list) {
		const digits = digitsOf(entry);
		if (digits === undefined || seen.has(digits)) continue;
		seen.add(digits);
		const label = [entry.name, entry.pushName, entry.notify].find(
			(name) => typeof name === 'string' && name.trim() !== '',
		);
		entries.push({ name: label ? `${String(label)} (+${digits})` : `+${digits}`, value: digits });
	}
	return entries;
}

/** The account's chats, for Chat › Get Messages. */
export async function searchChats(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const chats = await fetchList(this, '/wa/chats', { limit: RETURN_ALL_LIMIT }, 'chats', Infinity);
	return searchEntries(asEntries(chats), filter);
}

/** The account's contacts, for the Recipient of the send operations. */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const contacts = await fetchList(this, '/wa/contacts', {}, 'contacts', Infinity);
	return searchEntries(asEntries(contacts), filter);
}
