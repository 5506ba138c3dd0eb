/**
 * The file of a customer's answer (an image, a document, a voice note…) as binary data on Send and Wait for
 * Reply's Reply item, downloaded under the triggers' own rules (webhook/media.ts: the allow-list, the SSRF checks,
 * the size and time caps) and with their fields, so a workflow reads an answer's file as it reads a trigger's.
 *
 * Where it is downloaded decides which execution the file belongs to: Sobot and Profilora in the resume webhook
 * (n8n gives it the waiting execution's id, so the file is that execution's in every binary mode); WAChatPro in
 * its own running execution.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';

import { isObject } from '../http/replies';
import type { MediaOptions } from '../webhook/media';
import { attachMedia, mediaDownloadProperties, mediaPolicy } from '../webhook/media';

export function replyMediaProperties(defaultHosts: string, vendor: string): INodeProperties[] {
	return mediaDownloadProperties(defaultHosts, vendor).map((property) =>
		property.name === 'downloadMedia'
			? {
					...property,
					description: `Whether to put the image, video, audio (a voice note) or document the customer answers with into a binary field of the Reply item (from ${vendor}'s media URL)`,
				}
			: property,
	);
}

/** A parameter of the node as either context reads it (a webhook has no item index). */
type ReadParameter = (name: string, fallback: unknown) => unknown;

async function attach(
	ctx: IExecuteFunctions | IWebhookFunctions,
	read: ReadParameter,
	item: INodeExecutionData,
	defaultHosts: string,
): Promise<void> {
	if (read('downloadMedia', false) !== true) return;
	const property = String(read('binaryPropertyName', 'data') || 'data');
	const policy = mediaPolicy(read('mediaOptions', {}) as MediaOptions, defaultHosts);
	await attachMedia(ctx, [item], policy, property);
}

/** True when the answer names a file and the node is set to download it. */
export function wantsReplyMedia(ctx: IWebhookFunctions, reply: IDataObject): boolean {
	return ctx.getNodeParameter('downloadMedia', false) === true && isObject(reply.media);
}

export async function attachReplyMediaInWebhook(
	ctx: IWebhookFunctions,
	item: INodeExecutionData,
	defaultHosts: string,
): Promise<void> {
	await attach(ctx, (name, fallback) => ctx.getNodeParameter(name, fallback), item, defaultHosts);
}

export async function attachReplyMediaInExecution(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	defaultHosts: string,
): Promise<void> {
	await attach(
		ctx,
		(name, fallback) => ctx.getNodeParameter(name, 0, fallback),
		item,
		defaultHosts,
	);
}
