/**
 * Lists served page by page with a `next` link (Sobot: `{count, size, next, previous, data}`): follow the
 * links for Return All, or stop as soon as a limit is reached so no page more than needed is fetched.
 */
import type { IDataObject } from 'n8n-workflow';
import { isObject } from './replies';

export interface LinkedPage {
	items: IDataObject[];
	/** Where the next page is; undefined, null or empty on the last page. */
	next?: string | null;
}

export interface FollowOptions {
	/** Stop once this many items are collected (`Infinity` for all). */
	limit?: number;
	/** Stop early, e.g. when the item looked for is found; the matching item is kept. */
	until?: (item: IDataObject) => boolean;
	/** A guard against a server whose `next` never ends. */
	maxPages?: number;
}

/**
 * Calls `fetchPage(undefined)` for the first page, then `fetchPage(next)` while there is a next link.
 * Throws when a link repeats or `maxPages` is reached, rather than silently returning a partial list.
 */
export async function followNextLinks(
	fetchPage: (next: string | undefined) => Promise<LinkedPage>,
	{ limit = Infinity, until, maxPages = 10_000 }: FollowOptions = {},
): Promise<IDataObject[]> {
	const collected: IDataObject[] = [];
	const seen = new Set<string>();
	let next: string | undefined;
	for (let page = 1; ; page++) {
		const { items, next: following } = await fetchPage(next);
		for (const item of items) {
			collected.push(item);
			if (collected.length >= limit || until?.(item)) return collected;
		}
		if (typeof following !== 'string' || following.trim() === '') return collected;
		if (seen.has(following))
			throw new Error(`The list's next-page link repeats (${following}): stopped to avoid a loop`);
		if (page >= maxPages) throw new Error(`The list has more than ${maxPages} pages: stopped`);
		seen.add(following);
		next = following;
	}
}

/** The `next` link of a reply body, when it has one. */
export function readNextLink(body: unknown): string | undefined {
	if (!isObject(body)) return undefined;
	const next = body.next;
	return typeof next === 'string' && next.trim() !== '' ? next.trim() : undefined;
}

/**
 * The request path for a `next` link. A link on the credential's own host is followed as it is; a link to any
 * other host (a vendor that prints its public host behind a proxy or the sandbox) keeps only its query on the
 * first page's path, so the credential is never sent to a host the user did not configure.
 */
export function nextLinkPath(link: string, baseUrl: string, firstPath: string): string {
	const ownPath = firstPath.split('?')[0];
	if (!/^https?:\/\//i.test(link)) {
		return ownPath + new URL(link, 'http://relative.invalid/').search;
	}
	const next = new URL(link);
	let base: URL | undefined;
	try {
		base = new URL(baseUrl);
	} catch {
		base = undefined;
	}
	const basePath = base?.pathname.replace(/\/+$/, '') ?? '';
	if (
		base &&
		next.origin === base.origin &&
		(next.pathname === basePath || next.pathname.startsWith(`${basePath}/`))
	) {
		return next.toString();
	}
	return ownPath + next.search;
}
