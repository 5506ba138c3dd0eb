import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { sobotPage } from '../../transport';

/** Pages read for one search at most: a filter over thousands of customers pages on as the user scrolls. */
const PAGES_PER_SEARCH = 10;

function asEntry(customer: IDataObject): INodeListSearchItems | undefined {
	const mobile = typeof customer.mobile === 'number' ? String(customer.mobile) : customer.mobile;
	if (typeof mobile !== 'string' || mobile.trim() === '') return undefined;
	const fullName = [customer.first_name, customer.last_name]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(' ');
	const name =
		typeof customer.name === 'string' && customer.name !== '' ? customer.name : fullName || mobile;
	return { name: `${name} (+${mobile.replace(/^\+/, '')})`, value: mobile };
}

/**
 * Sobot's customers, for the Mobile field of Customer › Update. Sobot documents no search: pages of 20 are read
 * and filtered here by name or number; the pagination token is Sobot's own `next` link.
 */
export async function searchCustomers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').trim().toLowerCase();
	const digits = wanted.replace(/\D/g, '');
	const results: INodeListSearchItems[] = [];
	let next = paginationToken || undefined;
	for (let page = 0; page < PAGES_PER_SEARCH; page++) {
		const listed = await sobotPage(this, '/api/customer', next);
		for (const customer of listed.items) {
			const entry = asEntry(customer);
			if (!entry) continue;
			const matches =
				wanted === '' ||
				entry.name.toLowerCase().includes(wanted) ||
				(digits !== '' && String(entry.value).includes(digits));
			if (matches) results.push(entry);
		}
		next = listed.next;
		// Without a filter one page is a screenful; with one, read on until something is found.
		if (!next || wanted === '' || results.length > 0) break;
	}
	return { results, paginationToken: next };
}
