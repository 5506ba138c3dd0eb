/**
 * The polling triggers in real n8n (the examples, polling every 15 s here): WAChatPro Trigger fires once per new
 * incoming message and Sobot Template Trigger once per review decision, never twice across polls and across an n8n
 * restart. They are published here through the REST API, as the editor's Publish button does, and unpublished at the
 * end, so that their polls do not mix into the requests the other checks count.
 *
 * Why the restart matters, from n8n 2.41.1's code (packages/cli TriggerExecutionContextFactory.getExecutePollFunctions,
 * WorkflowStaticDataService.saveStaticData; n8n-core PollTriggerExecutor): the poll's static data lives in the
 * Workflow object n8n built at activation. n8n writes it to the database (the workflow row's `staticData`) only
 * (a) after the activation poll, which n8n runs at once on every activation, also at startup, and (b) when a poll
 * returns items, in `__emit`, before the execution starts (not awaited). A poll that returns nothing changes memory
 * that stays in that process and is lost on a restart (unless n8n's durable poll cursors are enabled, which this
 * package does not rely on). So what survives a restart is the memory as of the last poll that fired, and the
 * triggers are built so that this is enough: everything they emitted is in it.
 */
import { randomBytes } from 'crypto';

import type { RecordedRequest } from '../../sandbox/http';
import type { E2eContext } from '../context';
import { adminPost } from '../context';
import { expect, expectFields, fail, sleep, waitFor } from '../harness';
import type { Item, TriggerRun } from '../n8n';
import { WACHATPRO_BURST_TRIGGER, WACHATPRO_BURSTS } from '../workflows';

const WACHATPRO = { workflowId: 'exWaChatProTrig1', node: 'WAChatPro Trigger' };
const TEMPLATES = { workflowId: 'exSobotTmplTrig1', node: 'Sobot Template Trigger' };

const isMessagePoll = (r: RecordedRequest) => r.vendor === 'wachatpro' && r.path === '/wa/chats';
/** A template poll lists pending, approved, then rejected templates: the last listing ends it. */
const isTemplatePoll = (r: RecordedRequest) =>
	r.vendor === 'sobot' &&
	r.method === 'GET' &&
	r.path === '/api/template/' &&
	r.query.status === '2';

interface Found {
	run: TriggerRun;
	item: Item;
}

function allItems(runs: TriggerRun[]): Found[] {
	return runs.flatMap((run) => run.items.map((item) => ({ run, item })));
}

/** Waits for `count` polls that began after request `mark` (judged by the requests the sandbox recorded). */
async function pollsAfter(
	ctx: E2eContext,
	isPoll: (r: RecordedRequest) => boolean,
	mark: number,
	count: number,
	what: string,
): Promise<void> {
	await waitFor(
		`${count} ${what} poll(s)`,
		async () =>
			ctx.sandbox.requests.filter((r) => r.id > mark && isPoll(r)).length >= count
				? true
				: undefined,
		90_000,
		500,
	);
}

/** Waits until the trigger's stored executions hold an item matching each of `matches`. */
async function waitForItems(
	ctx: E2eContext,
	trigger: typeof WACHATPRO,
	what: string,
	matches: Array<(item: Item) => boolean>,
): Promise<Found[]> {
	return await ctx.stored.waitForItems(
		what,
		trigger.workflowId,
		trigger.node,
		(runs) => {
			const items = allItems(runs);
			const found = matches.map((match) => items.find(({ item }) => match(item)));
			return found.every(Boolean) ? (found as Found[]) : undefined;
		},
		90_000,
	);
}

function lastRequestId(ctx: E2eContext): number {
	return ctx.sandbox.requests.at(-1)?.id ?? 0;
}

/**
 * After two more polls, every stored execution of the trigger: exactly one item per expected key, no other items,
 * and every execution successful and run through the whole workflow.
 */
async function expectExactly(
	ctx: E2eContext,
	trigger: typeof WACHATPRO,
	isPoll: (r: RecordedRequest) => boolean,
	key: (item: Item) => string,
	expected: string[],
): Promise<TriggerRun[]> {
	await pollsAfter(ctx, isPoll, lastRequestId(ctx), 2, trigger.node);
	await ctx.stored.settle(trigger.workflowId);
	const runs = await ctx.stored.items(trigger.workflowId, trigger.node);
	const keys = allItems(runs)
		.map(({ item }) => key(item))
		.sort();
	expect(
		JSON.stringify(keys) === JSON.stringify([...expected].sort()),
		`expected one item each for ${JSON.stringify(expected)}, the stored executions hold ${JSON.stringify(keys)}`,
	);
	for (const run of runs) {
		expect(run.status === 'success', `execution ${run.executionId} has status ${run.status}`);
		expect(run.ran.length > 1, `execution ${run.executionId} ran only ${run.ran.join(', ')}`);
	}
	return runs;
}

async function createTemplate(ctx: E2eContext, name: string): Promise<void> {
	const { accessKey, secretKey } = ctx.sandbox.credentials.sobot;
	const response = await fetch(`${ctx.sandbox.baseUrl('sobot')}/api/template/`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-api-key': accessKey,
			'x-api-secret': secretKey,
		},
		body: JSON.stringify({
			category: 'MARKETING',
			entity_name: name,
			template_type: 'TEXT',
			lang_code: 'en',
			body: `E2E template ${name}`,
		}),
	});
	if (response.status !== 201)
		fail(`creating template ${name}: HTTP ${response.status} ${await response.text()}`);
}

async function review(
	ctx: E2eContext,
	name: string,
	status: 'approved' | 'rejected',
	reason?: string,
): Promise<void> {
	await adminPostTo(ctx, `${ctx.sandbox.baseUrl('sobot')}/__sandbox/templates/${name}/review`, {
		status,
		reason,
	});
}

async function adminPostTo(ctx: E2eContext, url: string, body: unknown): Promise<void> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!response.ok)
		fail(
			`POST ${url.replace(ctx.sandbox.url, '<sandbox>')} -> ${response.status}: ${await response.text()}`,
		);
}

async function customerWrites(
	ctx: E2eContext,
	from: string,
	text: string,
	name?: string,
): Promise<string> {
	const message = await adminPost(ctx, '/incoming', { vendor: 'wachatpro', from, text, name });
	if (typeof message.id !== 'string')
		fail(`the sandbox stored no WAChatPro message: ${JSON.stringify(message)}`);
	return message.id;
}

/** The editor's Publish: `POST /rest/workflows/:id/activate` with the current version. */
async function publish(ctx: E2eContext, workflowId: string): Promise<void> {
	const workflow = await ctx.rest.get<{ versionId?: string }>(`/rest/workflows/${workflowId}`);
	if (!workflow.versionId) fail(`workflow ${workflowId} has no versionId`);
	await ctx.rest.post(`/rest/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
}

export async function pollingChecks(ctx: E2eContext): Promise<void> {
	const { suite } = ctx;
	const published = await suite.check(
		'the polling trigger examples are published in the running n8n (REST, as the editor does)',
		async () => {
			const mark = lastRequestId(ctx);
			for (const { workflowId } of [WACHATPRO, TEMPLATES]) await publish(ctx, workflowId);
			// n8n 2.41 publishes through its outbox, after the request returns; activation then polls at once (the
			// first-activation baseline, which fires nothing). Wait for that poll, so the checks below start after it.
			await pollsAfter(ctx, isMessagePoll, mark, 1, 'WAChatPro activation');
			await pollsAfter(ctx, isTemplatePoll, mark, 1, 'Sobot template activation');
		},
	);
	if (!published) return;
	try {
		await triggerChecks(ctx);
	} finally {
		for (const { workflowId } of [WACHATPRO, TEMPLATES])
			await ctx.rest.post(`/rest/workflows/${workflowId}/deactivate`, {}).catch(() => undefined);
	}
	await waChatProBurstChecks(ctx);
}

const BURSTS = { workflowId: WACHATPRO_BURSTS.id, node: WACHATPRO_BURST_TRIGGER.node };

const textsOf = (item: Item) =>
	((item.json.messages ?? [item.json]) as Array<Record<string, unknown>>).map((m) => m.text);

/**
 * Group Bursts on the WAChatPro Trigger (docs/triggers.md, "Bursts"). A poll sees a chat's new messages together and
 * holds a burst whose last message is younger than the Quiet Period by not remembering it, so the next poll reads it
 * again: in n8n that is the poll's static data, saved only when a poll fires, which the engine tests do not have.
 * Here: 5 messages of one customer within 3 s come as one item, another customer's message in between as its own,
 * and a burst cut by an n8n restart is neither lost nor emitted twice.
 */
async function waChatProBurstChecks(ctx: E2eContext): Promise<void> {
	const { suite } = ctx;
	const mark = lastRequestId(ctx);
	const published = await suite.check(
		'WAChatPro Trigger with Group Bursts (Quiet Period 3 s) is published',
		async () => {
			await publish(ctx, BURSTS.workflowId);
			await pollsAfter(ctx, isMessagePoll, mark, 1, 'WAChatPro burst trigger activation');
		},
	);
	if (!published) return;
	const everyMessage: string[] = [];
	try {
		await suite.check(
			'WAChatPro Group Bursts: 5 messages of one customer within 3 s come as one item with all 5 in order; a message of another customer in between is an item of its own',
			async () => {
				const texts = ['halo', 'saya butuh bantuan', 'pesanan saya', '123', 'terlambat'];
				const asha = '6281211120001';
				const ravi = '6281211120002';
				for (const [index, text] of texts.entries()) {
					everyMessage.push(await customerWrites(ctx, asha, text, 'Asha'));
					if (index === 1) everyMessage.push(await customerWrites(ctx, ravi, 'hello', 'Ravi'));
					if (index < texts.length - 1) await sleep(500);
				}
				await waitForItems(ctx, BURSTS, "Asha's burst and Ravi's message", [
					(item) => item.json.from === asha && item.json.messageCount === texts.length,
					(item) => item.json.from === ravi,
				]);
				const runs = await expectExactly(
					ctx,
					BURSTS,
					isMessagePoll,
					(item) => String(item.json.from),
					[asha, ravi],
				);
				const items = allItems(runs);
				const ashaItem = items.find(({ item }) => item.json.from === asha)!.item;
				const raviItem = items.find(({ item }) => item.json.from === ravi)!.item;
				expect(
					JSON.stringify(textsOf(ashaItem)) === JSON.stringify(texts) &&
						ashaItem.json.text === texts.join('\n'),
					`Asha's item: messages ${JSON.stringify(textsOf(ashaItem))}, text ${JSON.stringify(ashaItem.json.text)}`,
				);
				expect(
					JSON.stringify(textsOf(raviItem)) === JSON.stringify(['hello']),
					`Ravi's item carries ${JSON.stringify(textsOf(raviItem))}`,
				);
				suite.note(
					`executions ${runs.map((r) => `${r.executionId} (${r.items.map((i) => i.json.messageCount ?? 1).join('+')} message(s))`).join(', ')}; two later polls added none`,
				);
			},
		);
		await suite.check(
			'WAChatPro Group Bursts across an n8n restart: a burst being written when n8n stops is emitted once, nothing lost',
			async () => {
				const kiran = '6281211120003';
				const before = ['first', 'second'];
				const ids: string[] = [];
				for (const text of before) {
					ids.push(await customerWrites(ctx, kiran, text, 'Kiran'));
					await sleep(300);
				}
				let whileDown = '';
				const startupMs = await ctx.restartN8n({
					whileStopped: async () => {
						whileDown = await customerWrites(ctx, kiran, 'written while n8n was stopped', 'Kiran');
					},
				});
				ids.push(whileDown);
				everyMessage.push(...ids);
				const wanted = [...before, 'written while n8n was stopped'];
				await ctx.stored.waitForItems(
					"Kiran's messages",
					BURSTS.workflowId,
					BURSTS.node,
					(runs) => {
						const seen = allItems(runs)
							.filter(({ item }) => item.json.from === kiran)
							.flatMap(({ item }) => textsOf(item));
						return wanted.every((text) => seen.includes(text)) ? runs : undefined;
					},
					90_000,
				);
				await pollsAfter(ctx, isMessagePoll, lastRequestId(ctx), 2, BURSTS.node);
				await ctx.stored.settle(BURSTS.workflowId);
				const runs = await ctx.stored.items(BURSTS.workflowId, BURSTS.node);
				const kiranItems = allItems(runs).filter(({ item }) => item.json.from === kiran);
				const seen = kiranItems.flatMap(({ item }) => textsOf(item));
				expect(
					JSON.stringify([...seen].sort()) === JSON.stringify([...wanted].sort()),
					`Kiran's messages in stored executions: ${JSON.stringify(seen)} (each once expected: ${JSON.stringify(wanted)})`,
				);
				suite.note(
					`n8n restarted in ${(startupMs / 1000).toFixed(1)} s; Kiran's items: ${kiranItems.map(({ item }) => JSON.stringify(textsOf(item))).join(', ')}`,
				);
			},
		);
	} finally {
		await ctx.rest
			.post(`/rest/workflows/${BURSTS.workflowId}/deactivate`, {})
			.catch(() => undefined);
	}
}

async function triggerChecks(ctx: E2eContext): Promise<void> {
	const { suite } = ctx;
	const messageIds: string[] = [];
	const templateNames: string[] = [];
	const suffix = randomBytes(3).toString('hex');

	await suite.check(
		'WAChatPro Trigger (published, polling): no execution for history or our own sends; each new message starts one execution, once',
		async () => {
			const before = await ctx.stored.settle(WACHATPRO.workflowId);
			expect(
				before.length === 0,
				`the trigger started ${before.length} execution(s) before any customer wrote (history or our own sends replayed)`,
			);
			const andi = await customerWrites(ctx, '6281211110001', 'Halo, pesanan saya sudah dikirim?');
			const dewi = await customerWrites(ctx, '6289912340001', 'Hi, first time here', 'Dewi');
			messageIds.push(andi, dewi);
			const [first, second] = await waitForItems(ctx, WACHATPRO, 'both incoming messages', [
				(item) => item.json.messageId === andi,
				(item) => item.json.messageId === dewi,
			]);
			expectFields('item of the seeded chat', first.item.json, {
				service: 'wachatpro',
				event: 'message',
				status: 'received',
				from: '6281211110001',
				name: 'Andi',
				messageType: 'text',
				text: 'Halo, pesanan saya sudah dikirim?',
				media: null,
				timestamp: /^\d{4}-\d\d-\d\dT/,
			});
			expectFields('item of the new chat', second.item.json, {
				from: '6289912340001',
				name: 'Dewi',
				text: 'Hi, first time here',
			});
			const runs = await expectExactly(
				ctx,
				WACHATPRO,
				isMessagePoll,
				(item) => String(item.json.messageId),
				messageIds,
			);
			suite.note(
				`executions ${runs.map((r) => `${r.executionId} (${r.items.length} item(s))`).join(', ')}; two later polls added none`,
			);
		},
	);

	await suite.check(
		'Sobot Template Trigger (published, polling): no execution for templates approved before; approval and rejection start one execution each, once',
		async () => {
			const before = await ctx.stored.settle(TEMPLATES.workflowId);
			expect(
				before.length === 0,
				`the trigger started ${before.length} execution(s) for templates reviewed before activation`,
			);
			const approved = `e2e_poll_ok_${suffix}`;
			const rejected = `e2e_poll_no_${suffix}`;
			templateNames.push(approved, rejected);
			const mark = lastRequestId(ctx);
			await createTemplate(ctx, approved);
			await createTemplate(ctx, rejected);
			await pollsAfter(ctx, isTemplatePoll, mark, 1, TEMPLATES.node); // seen as pending: no execution
			await review(ctx, approved, 'approved');
			await review(ctx, rejected, 'rejected', 'Uses a URL shortener');
			const [ok, no] = await waitForItems(ctx, TEMPLATES, 'both review decisions', [
				(item) => item.json.name === approved,
				(item) => item.json.name === rejected,
			]);
			expectFields('approved template item', ok.item.json, {
				service: 'sobot',
				event: 'template',
				status: 'approved',
				previousStatus: 'pending',
				rejectedReason: null,
				language: 'en',
			});
			expectFields('rejected template item', no.item.json, {
				status: 'rejected',
				previousStatus: 'pending',
				rejectedReason: 'Uses a URL shortener',
			});
			expect(
				ok.run.ran.includes('Start the Campaign'),
				`the approval went to ${ok.run.ran.join(', ')}`,
			);
			expect(
				no.run.ran.includes('Fix the Template (see rejectedReason)'),
				`the rejection went to ${no.run.ran.join(', ')}`,
			);
			const runs = await expectExactly(
				ctx,
				TEMPLATES,
				isTemplatePoll,
				(item) => String(item.json.name),
				templateNames,
			);
			suite.note(
				`executions ${runs.map((r) => r.executionId).join(', ')}; two later polls added none`,
			);
		},
	);

	await suite.check(
		'both polling triggers across an n8n restart: nothing fires again; what happened while n8n was down fires once',
		async () => {
			if (messageIds.length !== 2 || templateNames.length !== 2)
				fail('the checks before this one failed: nothing to compare with');
			const stored = await ctx.rest.get<{ staticData?: Record<string, unknown> }>(
				`/rest/workflows/${WACHATPRO.workflowId}`,
			);
			const memoryBytes = JSON.stringify(stored.staticData ?? {}).length;
			expect(
				memoryBytes > 2,
				`n8n's database holds no static data for ${WACHATPRO.workflowId}: ${JSON.stringify(stored.staticData)}`,
			);
			const whileDown = `e2e_poll_down_${suffix}`;
			let downMessage = '';
			const startupMs = await ctx.restartN8n({
				whileStopped: async () => {
					downMessage = await customerWrites(ctx, '6281211110002', 'Written while n8n was stopped');
					await createTemplate(ctx, whileDown);
					await review(ctx, whileDown, 'approved');
				},
			});
			messageIds.push(downMessage);
			templateNames.push(whileDown);
			await waitForItems(ctx, WACHATPRO, 'the message written while n8n was down', [
				(item) => item.json.messageId === downMessage,
			]);
			await waitForItems(ctx, TEMPLATES, 'the template approved while n8n was down', [
				(item) => item.json.name === whileDown,
			]);
			await expectExactly(
				ctx,
				WACHATPRO,
				isMessagePoll,
				(item) => String(item.json.messageId),
				messageIds,
			);
			await expectExactly(
				ctx,
				TEMPLATES,
				isTemplatePoll,
				(item) => String(item.json.name),
				templateNames,
			);
			suite.note(
				`n8n restarted in ${(startupMs / 1000).toFixed(1)} s; WAChatPro memory in n8n's database: ${memoryBytes} bytes of static data`,
			);
			suite.note(
				`stored: ${messageIds.length} message items and ${templateNames.length} template items, one each, after polls before and after the restart`,
			);
		},
	);
}
