/**
 * Send and Wait for Reply: the customer answers with a file (an image, a document, a voice note) and the Reply item
 * carries it as binary data, downloaded under the triggers' rules. Sobot and Profilora: a real trigger endpoint
 * hands the answer to the node's own resume `webhook()` (served by a second endpoint standing in for n8n's
 * waiting-webhook server); WAChatPro: the node reads the chat in its execution. That n8n keeps the file with the
 * resumed execution (every binary mode, queue mode) is proven in a real n8n: e2e/checks/replies.ts.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { sign } from '../../nodes/shared/conversation/inbox';
import { Profilora } from '../../nodes/Profilora/Profilora.node';
import { ProfiloraTrigger } from '../../nodes/ProfiloraTrigger/ProfiloraTrigger.node';
import { Sobot } from '../../nodes/Sobot/Sobot.node';
import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { WaChatPro } from '../../nodes/WaChatPro/WaChatPro.node';
import type { PackageNodeType } from '../harness/engine';
import { runNode } from '../harness/engine';
import { useSandbox } from '../harness/sandbox';
import { TriggerEndpoint } from '../triggers/endpoint';
import { CREDENTIALS, SECRET } from '../triggers/helpers';
import { waChatProCredentials } from '../wachatpro/helpers';

const ctx = useSandbox();
const INBOX_SECRET = 'inbox-secret-for-tests-0123456789abcdef';
const LOOPBACK = { allowedHosts: '127.0.0.1', allowHttp: true };
const PDF = Buffer.from('%PDF-1.4 the signed delivery note '.repeat(50));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const endpoints: TriggerEndpoint[] = [];
afterEach(async () => {
	await Promise.all(endpoints.splice(0).map(async (e) => await e.stop()));
});

async function started(endpoint: TriggerEndpoint): Promise<TriggerEndpoint> {
	endpoints.push(await endpoint.start());
	return endpoint;
}

type Vendor = 'sobot' | 'profilora';
const GATEWAYS: Record<
	Vendor,
	{ node: () => PackageNodeType; trigger: () => INodeType; customer: string }
> = {
	sobot: { node: () => new Sobot(), trigger: () => new SobotTrigger(), customer: '919812300501' },
	profilora: {
		node: () => new Profilora(),
		trigger: () => new ProfiloraTrigger(),
		customer: '6281234567501',
	},
};

/**
 * The node's resume webhook, waiting for `customer`: registered with a published trigger that can reach it, as
 * the node's `execute()` registers (sendAndWait.test.ts proves that part).
 */
async function waitingFor(vendor: Vendor, media: IDataObject) {
	const { node, trigger: triggerNode, customer } = GATEWAYS[vendor];
	const resume = await started(
		new TriggerEndpoint({
			node: node(),
			parameters: { resource: 'message', operation: 'sendAndWaitForReply', ...media },
		}),
	);
	const trigger = await started(
		new TriggerEndpoint({
			node: triggerNode(),
			parameters: { authentication: 'queryAuth', events: 'message' },
			credentials: CREDENTIALS.queryAuth,
			query: `?token=${SECRET}`,
			webhookBaseUrl: new URL(resume.url).origin + '/webhook',
		}),
	);
	trigger.staticData = {
		global: {
			replyInboxes: {
				'Trigger Under Test': { service: vendor, url: trigger.url, secret: INBOX_SECRET },
			},
		},
	};
	ctx.sandbox.webhooks.targets[vendor] = {
		url: trigger.url,
		settled: async () => await trigger.idle(),
	};
	const key = `${vendor}:${customer}`;
	const payload = JSON.stringify({
		action: 'register',
		key,
		wait: {
			url: resume.url,
			until: Date.now() + 60_000,
			executionId: 'test-execution',
			askedMessageId: 'asked-1',
		},
		at: Date.now(),
	});
	const registered = await fetch(trigger.url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			n8nWaitForReply: payload,
			signature: sign(sign(INBOX_SECRET, key), payload),
		}),
	});
	expect(registered.status).toBe(200);
	return { resume, trigger, customer };
}

/** What n8n puts on the node's Reply output: the resume webhook's answer item, once `webhook()` has returned. */
async function replyItem(resume: TriggerEndpoint): Promise<INodeExecutionData> {
	await resume.idle();
	expect(resume.handled.map((h) => [h.status, h.response])).toEqual([[200, { resumed: true }]]);
	const [noReply, reply] = resume.handled[0].returned ?? [];
	expect(noReply).toEqual([]);
	expect(reply).toHaveLength(1);
	expect(reply[0].pairedItem).toEqual({ item: 0 });
	return reply[0];
}

function mediaRequests(vendor: Vendor | 'wachatpro') {
	return ctx.sandbox.requestsTo(vendor).filter((r) => r.path.startsWith('/media/'));
}

const ANSWERS = {
	image: {
		sobot: { type: 'image', mime_type: 'image/png', caption: 'the parcel' },
		profilora: { type: 'image', mimetype: 'image/png', caption: 'the parcel' },
		expect: { mimeType: 'image/png', fileName: undefined, text: 'the parcel' },
	},
	document: {
		sobot: {
			type: 'document',
			mime_type: 'application/pdf',
			filename: 'note.pdf',
			data: PDF.toString('base64'),
		},
		profilora: {
			type: 'document',
			mimetype: 'application/pdf',
			fileName: 'note.pdf',
			data: PDF.toString('base64'),
		},
		expect: { mimeType: 'application/pdf', fileName: 'note.pdf', text: null },
	},
	'voice note': {
		sobot: { type: 'audio', voice: true },
		profilora: { type: 'audio', ptt: true },
		expect: { mimeType: 'audio/ogg; codecs=opus', fileName: undefined, text: null },
	},
} as const;

describe.each(['sobot', 'profilora'] as const)(
	'Send and Wait for Reply (%s): an answer with a file',
	(vendor) => {
		it.each(Object.keys(ANSWERS) as Array<keyof typeof ANSWERS>)(
			'%s answer: the file arrives as binary data on the Reply item',
			async (kind) => {
				const { resume, customer } = await waitingFor(vendor, {
					downloadMedia: true,
					binaryPropertyName: 'answerFile',
					mediaOptions: LOOPBACK,
				});
				const answer = ANSWERS[kind];
				await ctx.sandbox[vendor].incoming({
					from: customer,
					media: answer[vendor] as never,
				});
				const item = await replyItem(resume);
				const stored = ctx.sandbox[vendor].media.list();
				expect(stored).toHaveLength(1);
				expect(item.json).toMatchObject({
					from: customer,
					askedMessageId: 'asked-1',
					messageType: answer[vendor].type,
					answer: answer.expect.text,
					media: { binaryProperty: 'answerFile', mimeType: answer.expect.mimeType },
				});
				expect((item.json.media as IDataObject).downloadError).toBeUndefined();
				const binary = item.binary?.answerFile;
				expect(binary?.mimeType).toBe(answer.expect.mimeType);
				expect(binary?.fileName).toBe(answer.expect.fileName);
				const bytes = Buffer.from(String(binary?.data), 'base64');
				expect(sha256(bytes)).toBe(stored[0].sha256);
				if (kind === 'document') expect(bytes).toEqual(PDF);
				expect(mediaRequests(vendor)).toHaveLength(1);
			},
		);

		it("a host the allow-list refuses: the same media.downloadError as the trigger's, the answer still resumes, nothing is fetched", async () => {
			const { resume, customer } = await waitingFor(vendor, {
				downloadMedia: true,
				mediaOptions: { allowHttp: true },
			});
			await ctx.sandbox[vendor].incoming({
				from: customer,
				media: ANSWERS.image[vendor] as never,
			});
			const item = await replyItem(resume);
			expect(item.binary).toBeUndefined();
			const error = (item.json.media as IDataObject).downloadError;
			expect(error).toBe(
				'The host 127.0.0.1 is not in the allowed media hosts (an internal address: downloaded from only when that very address is in Allowed Hosts)',
			);
			// The Sobot Trigger's own download (the trigger that downloads media), same message, same options.
			if (vendor === 'sobot') {
				const alone = await started(
					new TriggerEndpoint({
						node: new SobotTrigger(),
						parameters: {
							authentication: 'queryAuth',
							events: 'message',
							downloadMedia: true,
							mediaOptions: { allowHttp: true },
						},
						credentials: CREDENTIALS.queryAuth,
						query: `?token=${SECRET}`,
					}),
				);
				ctx.sandbox.webhooks.targets.sobot = {
					url: alone.url,
					settled: async () => await alone.idle(),
				};
				await ctx.sandbox.sobot.incoming({ from: customer, media: ANSWERS.image.sobot });
				expect((alone.executions[0][0].json.media as IDataObject).downloadError).toBe(error);
			}
			expect(mediaRequests(vendor)).toHaveLength(0);
		});

		it('Download Media off (the default): the Reply item is JSON only, as before', async () => {
			const { resume, customer } = await waitingFor(vendor, {});
			await ctx.sandbox[vendor].incoming({
				from: customer,
				media: ANSWERS.image[vendor] as never,
			});
			// Answered as before (n8n, not the node, answers then); n8n continues the execution with this item.
			await resume.idle();
			const [, [item]] = resume.handled[0].returned ?? [[], []];
			expect(item.json.media).toMatchObject({ type: 'image' });
			expect(item.binary).toBeUndefined();
			expect(mediaRequests(vendor)).toHaveLength(0);
		});
	},
);

describe('Send and Wait for Reply (WAChatPro): an answer with a file, read from the chat', () => {
	const PHONE = '6281211119501';

	async function ask(
		media: IDataObject,
		answer: Parameters<typeof ctx.sandbox.wachatpro.incoming>[0]['media'],
		continueOnFail = false,
	) {
		const run = runNode({
			node: new WaChatPro(),
			credentials: waChatProCredentials(ctx.sandbox),
			continueOnFail,
			parameters: {
				resource: 'message',
				operation: 'sendAndWaitForReply',
				recipient: `+${PHONE}`,
				text: 'Kirim foto paketnya?',
				waitMinutes: 1,
				checkEverySeconds: 5,
				...media,
			},
		});
		// The answer comes after the question went out (the sandbox records the send first).
		for (let i = 0; i < 200 && !ctx.sandbox.requestsTo('wachatpro', '/wa/send').length; i++)
			await new Promise((r) => setTimeout(r, 50));
		ctx.sandbox.wachatpro.incoming({ from: PHONE, media: answer });
		return await run;
	}

	it.each([
		['image', { type: 'image', mimetype: 'image/png', caption: 'ini paketnya' }, 'image/png'],
		[
			'document',
			{
				type: 'document',
				mimetype: 'application/pdf',
				filename: 'nota.pdf',
				data: PDF.toString('base64'),
			},
			'application/pdf',
		],
		['voice note', { type: 'audio', ptt: true }, 'audio/ogg; codecs=opus'],
	] as const)(
		'%s answer: the file arrives as binary data on the Reply item',
		async (_kind, answer, mime) => {
			const result = await ask({ downloadMedia: true, mediaOptions: LOOPBACK }, answer);
			expect(result.error).toBeUndefined();
			expect(result.outputs[0]).toEqual([]);
			const [item] = result.outputs[1];
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.json).toMatchObject({
				from: PHONE,
				messageType: answer.type,
				media: { binaryProperty: 'data' },
			});
			const [stored] = ctx.sandbox.wachatpro.media.list();
			const bytes = Buffer.from(String(item.binary?.data.data), 'base64');
			expect(item.binary?.data.mimeType).toBe(mime);
			expect(sha256(bytes)).toBe(stored.sha256);
			if (answer.type === 'document') {
				expect(bytes).toEqual(PDF);
				expect(item.binary?.data.fileName).toBe('nota.pdf');
			}
		},
	);

	it.each([false, true])(
		'a refused host (Continue On Fail %s): the answer on Reply with media.downloadError, no binary, no error item',
		async (continueOnFail) => {
			const result = await ask(
				{ downloadMedia: true, mediaOptions: { allowHttp: true } },
				{ type: 'image', mimetype: 'image/png' },
				continueOnFail,
			);
			expect(result.error).toBeUndefined();
			const [item] = result.outputs[1];
			expect(item.json.error).toBeUndefined();
			expect(item.binary).toBeUndefined();
			expect((item.json.media as IDataObject).downloadError).toBe(
				'The host 127.0.0.1 is not in the allowed media hosts (an internal address: downloaded from only when that very address is in Allowed Hosts)',
			);
			expect(mediaRequests('wachatpro')).toHaveLength(0);
		},
	);
});
