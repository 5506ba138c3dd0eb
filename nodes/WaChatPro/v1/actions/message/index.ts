import type { INodeProperties } from 'n8n-workflow';

import * as sendAndWaitForReply from './sendAndWaitForReply.operation';
import * as sendFile from './sendFile.operation';
import * as sendFileFromUrl from './sendFileFromUrl.operation';
import * as sendText from './sendText.operation';

export { sendAndWaitForReply, sendFile, sendFileFromUrl, sendText };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWaitForReply',
				action: 'Send a text and wait for the reply',
				description:
					'Ask one customer a question and continue with their answer, or after a short limit without one',
			},
			{
				name: 'Send File',
				value: 'sendFile',
				action: 'Send a file',
				description: 'Send a file from a binary property or base64 text, with an optional caption',
			},
			{
				name: 'Send File From URL',
				value: 'sendFileFromUrl',
				action: 'Send a file from a URL',
				description: 'Have WAChatPro download a file from a public URL and send it',
			},
			{
				name: 'Send Text',
				value: 'sendText',
				action: 'Send a text message',
				description: 'Send a WhatsApp text message',
			},
		],
		default: 'sendText',
	},
	...sendText.description,
	...sendFile.description,
	...sendFileFromUrl.description,
	...sendAndWaitForReply.description,
];
