/**
 * Duplicate suppression of both triggers in a real n8n, where static data and n8n's processed-data store are saved
 * by n8n's own code (the engine harness only imitates that). Repeats are posted at the published triggers as the
 * vendors would, and judged by the executions n8n stored: how many carry the event, and how many the repeats
 * started at all (a repeat that gets past webhook()'s first look starts an execution that ends at the trigger).
 */
import type { Vendor } from '../../sandbox/http';
import type { E2eContext } from '../context';
import { expect, sleep } from '../harness';
import type { TriggerRun } from '../n8n';
import type { TriggerUnderTest } from './triggers';

const SOBOT: TriggerUnderTest = {
	vendor: 'sobot',
	workflowId: 'exSobotTrigger01',
	node: 'Sobot Trigger',
};
const PROFILORA: TriggerUnderTest = {
	vendor: 'profilora',
	workflowId: 'exProfiloraTrig1',
	node: 'Profilora Trigger',
};

/** Items of every stored execution of the trigger that `match` picks, as `[executionId, item]` pairs. */
async function itemsMatching(
	ctx: E2eContext,
	trigger: TriggerUnderTest,
	match: (json: Record<string, unknown>) => boolean,
) {
	const runs: TriggerRun[] = await ctx.stored.items(trigger.workflowId, trigger.node);
	return runs.flatMap((run) =>
		run.items.filter((item) => match(item.json)).map((item) => ({ run, item })),
	);
}

async function settledCount(ctx: E2eContext, trigger: TriggerUnderTest): Promise<number> {
	await ctx.sandbox.webhooks.idle();
	return (await ctx.stored.settle(trigger.workflowId)).length;
}

async function post(ctx: E2eContext, vendor: Vendor, body: unknown): Promise<void> {
	const delivery = await ctx.sandbox.webhooks.post(vendor, body);
	expect(
		delivery?.status === 200,
		`${vendor} webhook answered ${delivery?.status ?? delivery?.error}`,
	);
}

/** Posts every body, a few at a time, as a busy vendor would. */
async function postAll(
	ctx: E2eContext,
	vendor: Vendor,
	bodies: unknown[],
	parallel = 8,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < bodies.length) await post(ctx, vendor, bodies[next++]);
	};
	await Promise.all(Array.from({ length: parallel }, worker));
}

/** What the checks before a restart remember, for the check after it. */
export interface SeenEvents {
	sobotStatus?: Record<string, unknown>;
	profiloraStatus?: Record<string, unknown>;
}

/** `bulk: false` leaves out the 200-status run (the 1.123 subset's time budget; 2.x runs it in single and queue mode). */
export async function duplicateChecks(
	ctx: E2eContext,
	{ bulk = true }: { bulk?: boolean } = {},
): Promise<SeenEvents> {
	const { suite, sandbox } = ctx;
	const seen: SeenEvents = {};

	await suite.check(
		'Sobot Trigger: the same status posted twice, a second apart, gives one execution with the event',
		async () => {
			const before = await settledCount(ctx, SOBOT);
			const status = sandbox.sobot.statusPayload('wamid.E2E-DUP-ONE', 'delivered');
			await post(ctx, 'sobot', status);
			await ctx.stored.waitForItems('the first copy', SOBOT.workflowId, SOBOT.node, (runs) =>
				runs.some((run) => run.items.some((item) => item.json.messageId === status.id))
					? true
					: undefined,
			);
			await sleep(1000);
			await post(ctx, 'sobot', status);
			const after = await settledCount(ctx, SOBOT);
			const found = await itemsMatching(ctx, SOBOT, (json) => json.messageId === status.id);
			expect(
				found.length === 1,
				`expected one execution with ${String(status.id)}, found ${found.length}`,
			);
			suite.note(
				`executions started: ${after - before} for 2 copies (the repeat ${after - before === 1 ? 'was answered without one' : 'started one that ended at the trigger'})`,
			);
			seen.sobotStatus = status;
		},
	);

	await suite.check(
		'Sobot Trigger: an array where one message was seen yields only the new one; a new status is not a duplicate',
		async () => {
			await sandbox.sobot.incoming({ from: '919800000101', text: 'first message' });
			const first = sandbox.webhooks.log.at(-1)?.body as Array<{
				value: { messages: Array<Record<string, unknown>> };
			}>;
			const seenMessage = first[0].value.messages[0];
			await ctx.stored.waitForItems('the first message', SOBOT.workflowId, SOBOT.node, (runs) =>
				runs.some((run) => run.items.some((item) => item.json.messageId === seenMessage.id))
					? true
					: undefined,
			);
			const mixed = structuredClone(first);
			mixed[0].value.messages.push({
				...seenMessage,
				id: 'wamid.E2E-DUP-NEW',
				text: { body: 'second message' },
			});
			await post(ctx, 'sobot', mixed);
			await post(ctx, 'sobot', sandbox.sobot.statusPayload('wamid.E2E-DUP-ONE', 'read'));
			await settledCount(ctx, SOBOT);

			const firstCopies = await itemsMatching(
				ctx,
				SOBOT,
				(json) => json.messageId === seenMessage.id,
			);
			const newOne = await itemsMatching(
				ctx,
				SOBOT,
				(json) => json.messageId === 'wamid.E2E-DUP-NEW',
			);
			expect(
				firstCopies.length === 1,
				`the seen message is in ${firstCopies.length} executions, expected 1`,
			);
			expect(
				newOne.length === 1,
				`the new message of the array is in ${newOne.length} executions, expected 1`,
			);
			expect(
				newOne[0].run.items.length === 1,
				`the array's execution has ${newOne[0].run.items.length} items, expected only the new message`,
			);
			const statuses = (
				await itemsMatching(ctx, SOBOT, (json) => json.messageId === 'wamid.E2E-DUP-ONE')
			)
				.map(({ item }) => item.json.status)
				.sort();
			expect(
				JSON.stringify(statuses) === '["delivered","read"]',
				`statuses of wamid.E2E-DUP-ONE: ${JSON.stringify(statuses)}`,
			);
		},
	);

	if (bulk) await bulkDuplicateCheck(ctx);

	return await profiloraDuplicateCheck(ctx, seen);
}

async function bulkDuplicateCheck(ctx: E2eContext): Promise<void> {
	const { suite, sandbox } = ctx;
	await suite.check(
		'Sobot Trigger: 200 distinct statuses, then the same 200 again: 200 executions with events, no repeat among them',
		async () => {
			const before = await settledCount(ctx, SOBOT);
			const statuses = Array.from({ length: 200 }, (_, i) =>
				sandbox.sobot.statusPayload(`wamid.E2E-BULK-${i}`, 'delivered'),
			);
			await postAll(ctx, 'sobot', statuses);
			const middle = await settledCount(ctx, SOBOT);
			await postAll(ctx, 'sobot', statuses);
			const after = await settledCount(ctx, SOBOT);
			const found = await itemsMatching(ctx, SOBOT, (json) =>
				String(json.messageId).startsWith('wamid.E2E-BULK-'),
			);
			const distinct = new Set(found.map(({ item }) => item.json.messageId));
			expect(
				found.length === 200 && distinct.size === 200,
				`${found.length} items (${distinct.size} distinct ids) in stored executions, expected 200 once each`,
			);
			suite.note(
				`first pass started ${middle - before} executions; the 200 repeats started ${after - middle}`,
			);
		},
	);
}

async function profiloraDuplicateCheck(ctx: E2eContext, seen: SeenEvents): Promise<SeenEvents> {
	const { suite, sandbox } = ctx;
	await suite.check(
		'Profilora Trigger: the same status posted twice gives one execution with the event',
		async () => {
			const status = sandbox.profilora.statusPayload(
				{ eventId: 'e2eDupProfilora01', to: '6281200000201@s.whatsapp.net', message: 'hi' },
				'read',
			);
			await post(ctx, 'profilora', status);
			await ctx.stored.waitForItems(
				'the first copy',
				PROFILORA.workflowId,
				PROFILORA.node,
				(runs) =>
					runs.some((run) => run.items.some((item) => item.json.messageId === 'e2eDupProfilora01'))
						? true
						: undefined,
			);
			await sleep(1000);
			await post(ctx, 'profilora', status);
			await settledCount(ctx, PROFILORA);
			const found = await itemsMatching(
				ctx,
				PROFILORA,
				(json) => json.messageId === 'e2eDupProfilora01',
			);
			expect(
				found.length === 1,
				`expected one execution with e2eDupProfilora01, found ${found.length}`,
			);
			seen.profiloraStatus = status;
		},
	);
	return seen;
}

/** After n8n was stopped and started again: the events seen before are still duplicates. */
export async function duplicatesAfterRestartCheck(
	ctx: E2eContext,
	seen: SeenEvents,
): Promise<void> {
	await ctx.suite.check(
		'after an n8n restart, events seen before are still duplicates (both triggers)',
		async () => {
			expect(seen.sobotStatus && seen.profiloraStatus, 'the checks before the restart did not run');
			await post(ctx, 'sobot', seen.sobotStatus);
			await post(ctx, 'profilora', seen.profiloraStatus);
			await settledCount(ctx, SOBOT);
			await settledCount(ctx, PROFILORA);
			const sobot = await itemsMatching(
				ctx,
				SOBOT,
				(json) => json.messageId === seen.sobotStatus?.id && json.status === 'delivered',
			);
			const profilora = await itemsMatching(
				ctx,
				PROFILORA,
				(json) => json.messageId === 'e2eDupProfilora01',
			);
			expect(
				sobot.length === 1,
				`Sobot: the old status is in ${sobot.length} executions, expected 1`,
			);
			expect(
				profilora.length === 1,
				`Profilora: the old status is in ${profilora.length} executions, expected 1`,
			);
		},
	);
}
