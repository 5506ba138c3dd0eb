/** What both triggers must show in real n8n: stored executions for real webhooks, none for refused ones. */
import type { WebhookDelivery } from '../../sandbox/webhooks';
import type { E2eContext } from '../context';
import { expect, expectFields, sleep } from '../harness';
import type { Item, TriggerRun } from '../n8n';

export interface TriggerUnderTest {
	vendor: 'profilora' | 'sobot';
	workflowId: string;
	node: string;
}

/**
 * Waits until the trigger's stored executions hold one item per expected status of `messageId`, then checks that
 * each status came exactly once, every item has `fields`, and the whole workflow ran (not only the trigger).
 */
export async function expectStatusExecutions(
	ctx: E2eContext,
	trigger: TriggerUnderTest,
	messageId: string,
	statuses: string[],
	fields: Record<string, unknown>,
): Promise<void> {
	const mine = (runs: TriggerRun[]) =>
		runs.flatMap((run) =>
			run.items.filter((item) => item.json.messageId === messageId).map((item) => ({ run, item })),
		);
	await ctx.stored.waitForItems(
		`${statuses.join('/')} of ${messageId}`,
		trigger.workflowId,
		trigger.node,
		(runs) => {
			const found = mine(runs).map(({ item }) => item.json.status);
			return statuses.every((status) => found.includes(status)) ? true : undefined;
		},
	);
	await ctx.sandbox.webhooks.idle();
	await ctx.stored.settle(trigger.workflowId);
	const found = mine(await ctx.stored.items(trigger.workflowId, trigger.node));
	const counts = found.map(({ item }) => String(item.json.status)).sort();
	expect(
		JSON.stringify(counts) === JSON.stringify([...statuses].sort()),
		`expected statuses ${JSON.stringify(statuses)} once each, stored ${JSON.stringify(counts)}`,
	);
	for (const { run, item } of found) {
		expect(run.status === 'success', `execution ${run.executionId} has status ${run.status}`);
		expect(run.ran.length > 1, `execution ${run.executionId} ran only ${run.ran.join(', ')}`);
		expectFields(`stored item (${String(item.json.status)})`, item.json, fields);
	}
	ctx.suite.note(
		`executions ${found.map(({ run, item }) => `${run.executionId}:${String(item.json.status)}`).join(', ')}`,
	);
}

/** Waits for the stored execution whose trigger item satisfies `match`; returns it and the item. */
export async function expectMessageExecution(
	ctx: E2eContext,
	trigger: TriggerUnderTest,
	what: string,
	match: (item: Item) => boolean,
): Promise<{ run: TriggerRun; item: Item }> {
	const found = await ctx.stored.waitForItems(what, trigger.workflowId, trigger.node, (runs) => {
		for (const run of runs) {
			const item = run.items.find(match);
			if (item) return { run, item };
		}
		return undefined;
	});
	expect(
		found.run.status === 'success',
		`execution ${found.run.executionId} has status ${found.run.status}`,
	);
	expect(
		found.run.ran.length > 1,
		`execution ${found.run.executionId} ran only ${found.run.ran.join(', ')}`,
	);
	return found;
}

export interface RefusedCase {
	label: string;
	target: { url: string; headers?: Record<string, string> };
	/** Defaults to an incoming-message webhook posted as the vendor would. */
	method?: string;
	expectStatus: number;
}

/** Points the sandbox's webhook at wrong targets one by one, and checks each answer and that n8n stored nothing. */
export async function expectRefusedStoreNothing(
	ctx: E2eContext,
	trigger: TriggerUnderTest,
	cases: RefusedCase[],
): Promise<void> {
	const { sandbox } = ctx;
	await sandbox.webhooks.idle();
	const before = (await ctx.stored.settle(trigger.workflowId)).length;
	const saved = sandbox.webhooks.targets[trigger.vendor];
	const wrong: string[] = [];
	try {
		for (const refused of cases) {
			sandbox.webhooks.targets[trigger.vendor] = refused.target;
			let delivery: WebhookDelivery | undefined;
			if (refused.method)
				delivery = await sandbox.webhooks.postRaw(trigger.vendor, '', { method: refused.method });
			else if (trigger.vendor === 'profilora')
				delivery = await sandbox.profilora.incoming({ from: '6281200000009', text: 'forged' });
			else delivery = await sandbox.sobot.incoming({ from: '919800000009', text: 'forged' });
			ctx.suite.note(`${refused.label}: HTTP ${delivery?.status ?? delivery?.error}`);
			if (delivery?.status !== refused.expectStatus)
				wrong.push(
					`${refused.label}: expected HTTP ${refused.expectStatus}, got ${delivery?.status ?? delivery?.error}`,
				);
		}
	} finally {
		sandbox.webhooks.targets[trigger.vendor] = saved;
	}
	await sleep(2000);
	const after = (await ctx.stored.settle(trigger.workflowId)).length;
	expect(wrong.length === 0, wrong.join('\n'));
	expect(
		after === before,
		`n8n stored ${after - before} execution(s) for refused requests (before ${before}, after ${after})`,
	);
	ctx.suite.note(`stored executions of ${trigger.workflowId}: ${before} before, ${after} after`);
}
