/**
 * Downloading the media of an incoming message, guarded so that a forged webhook cannot make n8n fetch
 * internal addresses (SSRF). Every URL, and every redirect hop, must:
 * - use https (http only when the owner switches it on);
 * - name a host on the allow-list (exact name, `*.domain`, or an IP literal);
 * - not be an internal IP literal unless that very IP is on the allow-list;
 * - for host names, not resolve to an internal address: checked through n8n's egress filter in its
 *   strict mode where the n8n version offers one (node code cannot resolve names itself).
 * Size and time are capped while streaming, so an endless or slow body cannot exhaust memory or hold the
 * webhook open.
 */
import type {
	IBinaryData,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';

import { ipLiteral } from './address';
import type { HostRule } from './hosts';
import { findHostRule, parseHostList } from './hosts';

/** What a download needs of n8n: a trigger's or an action's execution, or a resume webhook (waitForReply.ts). */
export type MediaContext = Pick<IExecuteFunctions | IWebhookFunctions, 'helpers'>;

export interface MediaPolicy {
	hosts: HostRule[];
	allowHttp: boolean;
	maxBytes: number;
	timeoutMs: number;
}

/** A URL or a reply the guard will not accept; the message says why, for the output item. */
export class MediaRefused extends Error {}

const MAX_REDIRECTS = 3;
const MB = 1024 * 1024;

export function mediaDownloadProperties(defaultHosts: string, vendor: string): INodeProperties[] {
	return [
		{
			displayName: 'Download Media',
			name: 'downloadMedia',
			type: 'boolean',
			default: false,
			description: `Whether to download the image, video, audio or document of incoming messages into a binary field (from ${vendor}'s media URL)`,
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			displayOptions: { show: { downloadMedia: [true] } },
			hint: 'The name of the output binary field to put the file in',
		},
		{
			displayName: 'Media Download Options',
			name: 'mediaOptions',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show: { downloadMedia: [true] } },
			options: [
				{
					displayName: 'Allow HTTP',
					name: 'allowHttp',
					type: 'boolean',
					default: false,
					description: 'Whether to accept plain http:// media URLs too. Off: https only.',
				},
				{
					displayName: 'Allowed Hosts',
					name: 'allowedHosts',
					type: 'string',
					default: defaultHosts,
					description:
						'Hosts media may come from, comma-separated: exact names, *.domain for any subdomain, or IP addresses. Internal addresses are refused unless the address itself is listed.',
					hint: 'A refused download leaves the message in the output with media.downloadError naming the host to add here (media.url shows the whole address)',
				},
				{
					displayName: 'Max Size (MB)',
					name: 'maxSizeMb',
					type: 'number',
					// No numberPrecision: n8n would show 25 as "25.000", a thousand times more in many locales.
					typeOptions: { minValue: 0.001 },
					default: 25,
					description: 'Larger files are not downloaded; the item says why',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeoutSeconds',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 30,
					description: 'Longest time one download may take, redirects included',
				},
			],
		},
	];
}

/** The options of `mediaDownloadProperties` as the node read them (`mediaOptions`). */
export interface MediaOptions {
	allowHttp?: boolean;
	allowedHosts?: string;
	maxSizeMb?: number;
	timeoutSeconds?: number;
}

export function readMediaPolicy(ctx: IExecuteFunctions, defaultHosts: string): MediaPolicy {
	return mediaPolicy(ctx.getNodeParameter('mediaOptions', 0, {}) as MediaOptions, defaultHosts);
}

/** A webhook reads parameters without an item index: the same options, read by the caller. */
export function mediaPolicy(options: MediaOptions, defaultHosts: string): MediaPolicy {
	return {
		hosts: parseHostList(options.allowedHosts ?? defaultHosts),
		allowHttp: options.allowHttp === true,
		maxBytes: Math.max(1, Math.floor((options.maxSizeMb ?? 25) * MB)),
		timeoutMs: Math.max(1000, Math.floor((options.timeoutSeconds ?? 30) * 1000)),
	};
}

/**
 * Resolves when `urlText` may be fetched under `policy`; throws MediaRefused saying why not (after a redirect, from
 * where to where).
 */
export async function checkMediaUrl(
	ctx: MediaContext,
	urlText: string,
	policy: MediaPolicy,
	redirectedFrom?: URL,
): Promise<URL> {
	const url = URL.canParse(urlText) ? new URL(urlText) : undefined;
	const refused = (why: string) =>
		new MediaRefused(
			redirectedFrom
				? `${redirectedFrom.hostname} redirected to ${url?.hostname ?? urlText}: ${why}`
				: why,
		);
	if (!url) throw refused(`"${urlText}" is not a valid URL`);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
		throw refused(
			`${url.protocol.replace(':', '')} URLs are not downloaded (only https${policy.allowHttp ? ' and http' : ''})`,
		);
	}
	if (url.username !== '' || url.password !== '')
		throw refused('URLs with a user name or password are not downloaded');
	const rule = findHostRule(policy.hosts, url.hostname);
	const literal = ipLiteral(url.hostname.replace(/^\[|\]$/g, ''));
	if (!rule) throw refused(notAllowed(url, literal?.internal === true));
	if (literal) {
		if (literal.internal && !rule.isIp) throw refused(`${url.hostname} is an internal address`);
		return url;
	}
	const resolved = await resolvedProblem(ctx, url);
	if (resolved) throw refused(resolved);
	return url;
}

/** Names the host to add: where a vendor's media really lives is undocumented, so this is how users find out. */
function notAllowed(url: URL, internal: boolean): string {
	const host = url.hostname.replace(/^\[|\]$/g, '');
	if (internal) {
		return `The host ${host} is not in the allowed media hosts (an internal address: downloaded from only when that very address is in Allowed Hosts)`;
	}
	return `The host ${host} is not in the allowed media hosts: if it is your gateway's media host, add ${host} to Allowed Hosts in Media Download Options`;
}

/**
 * n8n 2.x offers its SSRF guard to nodes; 'enforced' applies it even where the instance leaves SSRF
 * protection off. Older n8n has no such helper: there the allow-list alone decides (docs/triggers.md, "Sobot media download").
 */
async function resolvedProblem(ctx: MediaContext, url: URL): Promise<string | undefined> {
	const helpers = ctx.helpers as Partial<IExecuteFunctions['helpers']>;
	if (typeof helpers.getSecureEgressFilter !== 'function') return undefined;
	const result = await helpers.getSecureEgressFilter('enforced').validateUrl(url);
	return result.ok
		? undefined
		: `${url.hostname} resolves to an internal address (${result.error.message})`;
}

interface StreamingResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: AsyncIterable<unknown> & { destroy?: () => void };
}

function header(response: StreamingResponse, name: string): string | undefined {
	const value = response.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

async function readCapped(body: StreamingResponse['body'], maxBytes: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
		size += buffer.length;
		if (size > maxBytes) {
			body.destroy?.();
			throw new MediaRefused(`The file is larger than ${maxBytes} bytes`);
		}
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

/** Downloads one media URL under the policy and stores it as n8n binary data. */
export async function downloadMedia(
	ctx: MediaContext,
	urlText: string,
	policy: MediaPolicy,
	file: { fileName?: string; mimeType?: string },
): Promise<IBinaryData> {
	let url = await checkMediaUrl(ctx, urlText, policy);
	const signal = AbortSignal.timeout(policy.timeoutMs);
	for (let hop = 0; ; hop++) {
		const response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url: url.toString(),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Redirects are followed here, one checked hop at a time, never by the HTTP client.
			disableFollowRedirect: true,
			timeout: policy.timeoutMs,
			abortSignal: signal,
		})) as StreamingResponse;
		const location = header(response, 'location');
		if (response.statusCode >= 300 && response.statusCode < 400 && location) {
			response.body.destroy?.();
			if (hop >= MAX_REDIRECTS) throw new MediaRefused(`More than ${MAX_REDIRECTS} redirects`);
			url = await checkMediaUrl(ctx, new URL(location, url).toString(), policy, url);
			continue;
		}
		if (response.statusCode < 200 || response.statusCode >= 300) {
			response.body.destroy?.();
			throw new MediaRefused(`The media host answered HTTP ${response.statusCode}`);
		}
		const declared = Number(header(response, 'content-length'));
		if (Number.isFinite(declared) && declared > policy.maxBytes) {
			response.body.destroy?.();
			throw new MediaRefused(
				`The file is ${declared} bytes, more than the ${policy.maxBytes} allowed`,
			);
		}
		const data = await readCapped(response.body, policy.maxBytes);
		const mimeType = file.mimeType ?? header(response, 'content-type')?.split(';')[0].trim();
		return await ctx.helpers.prepareBinaryData(data, file.fileName, mimeType);
	}
}

/**
 * Downloads the media of every message item into its binary field `property`. A failed or refused download does
 * not drop the message (the vendor sends it only once): the item carries `media.downloadError` instead of a
 * binary. A file belongs to the execution whose context stores it: callers download where n8n knows that
 * execution's id (handler.ts, waitForReply.ts).
 */
export async function attachMedia(
	ctx: MediaContext,
	items: INodeExecutionData[],
	policy: MediaPolicy,
	property: string,
): Promise<void> {
	for (const item of items) {
		const media = item.json.media as Record<string, unknown> | null | undefined;
		if (item.json.event !== 'message' || !media) continue;
		if (typeof media.url !== 'string' || media.url === '') {
			media.downloadError = 'The payload has no media URL';
			continue;
		}
		try {
			const binary = await downloadMedia(ctx, media.url, policy, {
				fileName: typeof media.fileName === 'string' ? media.fileName : undefined,
				mimeType: typeof media.mimeType === 'string' ? media.mimeType : undefined,
			});
			item.binary = { ...item.binary, [property]: binary };
			media.binaryProperty = property;
		} catch (error) {
			media.downloadError = error instanceof Error ? error.message : String(error);
		}
	}
}
