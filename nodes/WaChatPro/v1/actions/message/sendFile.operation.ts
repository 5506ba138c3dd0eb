import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { decodedLength, normaliseBase64 } from '../../../../shared/files/base64';
import type { BinaryFile } from '../../../../shared/files/binary';
import { formatBytes, readBinaryFile } from '../../../../shared/files/binary';
import {
	defaultCountryCodeProperty,
	readNumber,
	readString,
} from '../../../../shared/parameters/fields';
import { invalidField } from '../../../../shared/execution/items';
import { Base64Value, StreamingJsonBody } from '../../../../shared/files/jsonBody';
import { sendingOptionsProperty } from '../../../../shared/sending/options';
import { paceNoticeProperty } from '../../../../shared/sending/guardrails/properties';
import { runSends } from '../../../../shared/sending/runSends';
import { messageIdentity } from '../../../../shared/sending/identity';
import { waChatProRequest } from '../../../transport';
import { captionProperty, recipientProperty } from '../common';
import { sendResult } from './result';

const properties: INodeProperties[] = [
	recipientProperty(
		'A phone number in any common form (WAChatPro gets digits with the country code)',
	),
	{
		displayName: 'Input Data Mode',
		name: 'inputMode',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A file in a binary property of the input item',
			},
			{
				name: 'Base64 String',
				value: 'base64',
				description: 'The file as base64 text, e.g. from an expression',
			},
		],
		default: 'binary',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		displayOptions: { show: { inputMode: ['binary'] } },
		hint: 'The name of the input binary field containing the file to be sent',
	},
	{
		displayName: 'Base64 Data',
		name: 'base64Data',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { inputMode: ['base64'] } },
		description:
			'The file as base64. A "data:...;base64," prefix, line breaks and the URL-safe alphabet are accepted.',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'invoice.pdf',
		description:
			"Name the recipient sees. Required for base64 data; for a binary file, leave empty to use the file's own name.",
	},
	captionProperty,
	{
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		// No numberPrecision: n8n would show 100 as "100.000", a hundred thousand in many locales. Fractions still work.
		typeOptions: { minValue: 0.001 },
		default: 100,
		description:
			'Larger files are refused before anything is sent. WhatsApp takes documents up to 100 MB; the base64 request is a third larger than the file.',
	},
	defaultCountryCodeProperty,
	sendingOptionsProperty,
	paceNoticeProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendFile'] } },
	properties,
);

interface SendFileJob {
	phone: string;
	fileName: string;
	caption: string;
	file: Pick<BinaryFile, 'bytes' | 'source'>;
}

function readMaxBytes(ctx: IExecuteFunctions, itemIndex: number): number {
	const mb = Number(ctx.getNodeParameter('maxFileSizeMb', itemIndex, 100));
	if (!Number.isFinite(mb) || mb <= 0)
		throw invalidField(ctx, itemIndex, 'Max File Size (MB)', `"${mb}" must be a number above 0`);
	return Math.floor(mb * 1024 * 1024);
}

async function readFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<{ file: SendFileJob['file']; fileName: string; field: string }> {
	const override = readString(ctx, itemIndex, 'fileName', 'File Name', { required: false });
	if (ctx.getNodeParameter('inputMode', itemIndex, 'binary') === 'base64') {
		const raw = readString(ctx, itemIndex, 'base64Data', 'Base64 Data');
		let text: string;
		try {
			text = normaliseBase64(raw);
		} catch (error) {
			throw invalidField(ctx, itemIndex, 'Base64 Data', (error as Error).message);
		}
		if (override === '')
			throw invalidField(
				ctx,
				itemIndex,
				'File Name',
				'is required with base64 data (WAChatPro needs a file name)',
			);
		return {
			file: { bytes: decodedLength(text), source: { kind: 'base64', text } },
			fileName: override,
			field: 'Base64 Data',
		};
	}
	const property = readString(ctx, itemIndex, 'binaryPropertyName', 'Input Binary Field');
	const file = await readBinaryFile(ctx, itemIndex, property, 'Input Binary Field');
	const fileName =
		override || file.fileName || (file.fileExtension ? `file.${file.fileExtension}` : 'file');
	return { file, fileName, field: 'Input Binary Field' };
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runSends<SendFileJob>(this, {
		prepare: async (itemIndex) => {
			const phone = readNumber(this, itemIndex, 'recipient', 'Recipient', 'digits');
			const caption = readString(this, itemIndex, 'caption', 'Caption', {
				required: false,
				trim: false,
			});
			const maxBytes = readMaxBytes(this, itemIndex);
			const { file, fileName, field } = await readFile(this, itemIndex);
			if (file.bytes === 0)
				throw invalidField(this, itemIndex, field, 'the file is empty (0 bytes)');
			if (file.bytes > maxBytes) {
				throw invalidField(
					this,
					itemIndex,
					field,
					`the file is ${formatBytes(file.bytes)}, over the limit of ${formatBytes(maxBytes)} set in Max File Size (MB)`,
				);
			}
			return { phone, fileName, caption, file };
		},
		reportFields: ({ phone, fileName }) => ({ to: phone, fileName }),
		identity: ({ phone, fileName, caption, file }) =>
			messageIdentity(phone, fileName, caption, file.bytes),
		recipient: ({ phone }) => phone,
		send: async (job, _itemIndex, timeoutMs) => {
			// Built per attempt: a retry streams the file again instead of keeping it in memory.
			const body = new StreamingJsonBody([
				['phone', job.phone],
				['filename', job.fileName],
				['caption', job.caption.trim() === '' ? undefined : job.caption],
				['body', new Base64Value(job.file.source)],
			]);
			const { body: reply } = await waChatProRequest(this, '/wa/sendfile', body, timeoutMs);
			return sendResult(reply, { to: job.phone, fileName: job.fileName, fileSize: job.file.bytes });
		},
	});
}
