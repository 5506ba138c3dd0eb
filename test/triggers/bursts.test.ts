/**
 * Group Bursts (nodes/shared/webhook/burst.ts, burstItems.ts) through the trigger endpoint: each message is its own
 * webhook request, posted by the sandbox while the earlier ones are still held, as a gateway does when a customer
 * writes several messages in a row. Judged by the executions that started and by what every request was answered.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { ProfiloraTrigger } from '../../nodes/ProfiloraTrigger/ProfiloraTrigger.node';
import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { openBursts } from '../../nodes/shared/webhook/burst';
import { FailingProcessedDataStore } from '../harness/processedData';
import { useSandbox } from '../harness/sandbox';
import { runSobot } from '../sobot/helpers';
import { listen } from './helpers';

const ctx = useSandbox();
const ASHA = '919800011111';
const RAVI = '919800022222';

/** Short, so the tests stay quick; gaps between posts stay well below it. */
const QUIET = { burstQuietSeconds: 1 };

/** Posts one Sobot message per text, `gapMs` apart, without waiting for the answers; resolves with every answer. */
async function writes(from: string, texts: string[], gapMs = 100) {
	const answers: Array<Promise<{ status?: number; error?: string } | undefined>> = [];
	for (const text of texts) {
		answers.push(ctx.sandbox.sobot.incoming({ from, name: 'Asha', text }));
		await sleep(gapMs);
	}
	return answers;
}

const textsOf = (item: IDataObject) =>
	(item.messages as IDataObject[]).map((message) => message.text);

describe('Group Bursts', () => {
	it('starts one execution for five messages of one customer, in order, text joined', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), { options: QUIET });
		const texts = ['hi', 'I need help', 'my order', '123', 'thanks'];
		const answers = await Promise.all(await writes(ASHA, texts));
		await endpoint.idle();

		expect(answers.map((answer) => answer?.status)).toEqual([200, 200, 200, 200, 200]);
		expect(endpoint.started).toBe(1);
		expect(endpoint.executions).toHaveLength(1);
		const [item] = endpoint.executions[0];
		expect(item.json).toMatchObject({
			event: 'message',
			from: ASHA,
			text: texts.join('\n'),
			messageCount: 5,
		});
		expect(textsOf(item.json)).toEqual(texts);
		// The last message's own fields are the item's.
		const messages = item.json.messages as IDataObject[];
		expect(item.json.messageId).toBe(messages[4].messageId);
		expect(new Set(messages.map((m) => m.messageId)).size).toBe(5);
		expect(item.pairedItem).toEqual([0, 1, 2, 3, 4].map((index) => ({ item: index })));
		expect(messages[0].conversation).toBeUndefined();
		expect(openBursts()).toBe(0);
	});

	it("keeps another customer's messages in their own execution", async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), { options: QUIET });
		const asha = await writes(ASHA, ['hi', 'I need help'], 100);
		const ravi = await writes(RAVI, ['hello from Ravi'], 100);
		asha.push(...(await writes(ASHA, ['my order 123'], 0)));
		const answers = await Promise.all([...asha, ...ravi]);
		await endpoint.idle();

		expect(answers.every((answer) => answer?.status === 200)).toBe(true);
		expect(endpoint.executions).toHaveLength(2);
		const byCustomer = Object.fromEntries(
			endpoint.executions.map((run) => [run[0].json.from, textsOf(run[0].json)]),
		);
		expect(byCustomer).toEqual({
			[ASHA]: ['hi', 'I need help', 'my order 123'],
			[RAVI]: ['hello from Ravi'],
		});
	});

	it('works the same for the Profilora Trigger', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger(), {
			options: QUIET,
		});
		const answers = await Promise.all([
			ctx.sandbox.profilora.incoming({ from: ASHA, text: 'halo' }),
			sleep(100).then(
				async () => await ctx.sandbox.profilora.incoming({ from: ASHA, text: 'tolong' }),
			),
		]);
		await endpoint.idle();
		expect(answers.map((answer) => answer?.status)).toEqual([200, 200]);
		expect(endpoint.executions).toHaveLength(1);
		expect(endpoint.executions[0][0].json).toMatchObject({ text: 'halo\ntolong', messageCount: 2 });
	});

	it('closes a burst at Max Hold even if the customer never pauses', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			options: { burstQuietSeconds: 1, burstMaxHoldSeconds: 1 },
		});
		// Twelve messages 200 ms apart: never a pause of a second, but 2.4 s in all.
		const texts = Array.from({ length: 12 }, (_, index) => `part ${index + 1}`);
		const answers = await Promise.all(await writes(ASHA, texts, 200));
		await endpoint.idle();

		expect(answers.every((answer) => answer?.status === 200)).toBe(true);
		expect(endpoint.executions.length).toBeGreaterThanOrEqual(2);
		// Every message once, in order, over the executions.
		expect(endpoint.executions.flatMap((run) => textsOf(run[0].json))).toEqual(texts);
	});

	it('adds a message the gateway posted twice within a burst only once', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), { options: QUIET });
		const first = await writes(ASHA, ['hi'], 50);
		const copy = ctx.sandbox.webhooks.post('sobot', ctx.sandbox.webhooks.log[0].body);
		await sleep(50);
		const rest = await writes(ASHA, ['my order 123'], 0);
		const answers = await Promise.all([...first, copy, ...rest]);
		await endpoint.idle();

		expect(answers.map((answer) => answer?.status)).toEqual([200, 200, 200]);
		expect(endpoint.executions).toHaveLength(1);
		expect(textsOf(endpoint.executions[0][0].json)).toEqual(['hi', 'my order 123']);
		// A copy posted after the burst's execution recorded it starts nothing.
		const late = await ctx.sandbox.webhooks.post('sobot', ctx.sandbox.webhooks.log[0].body);
		await endpoint.idle();
		expect(late?.status).toBe(200);
		expect(endpoint.executions).toHaveLength(1);
	});

	it("answers every message of the burst with an error when n8n could not start the burst's execution", async () => {
		let fail = true;
		const endpoint = await listen(
			ctx.sandbox,
			'sobot',
			new SobotTrigger(),
			{ options: QUIET },
			{
				startFails: () => fail,
			},
		);
		const answers = await Promise.all(await writes(ASHA, ['hi', 'I need help', 'order 9']));
		await endpoint.idle();
		expect(answers.map((answer) => answer?.status)).toEqual([503, 503, 500]);
		expect(endpoint.executions).toHaveLength(0);
		expect(openBursts()).toBe(0);

		// Nothing of the failed burst is left over: the next burst holds only its own messages.
		fail = false;
		await Promise.all(await writes(ASHA, ['again']));
		await endpoint.idle();
		expect(endpoint.executions.map((run) => textsOf(run[0].json))).toEqual([['again']]);
	});

	it("answers the other messages with an error when the gateway gave up on the last one's request while it was held", async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), { options: QUIET });
		const [first] = await writes(ASHA, ['hi'], 50);
		// The same customer's next message, posted by a gateway that stops waiting for the answer at once.
		const body = JSON.parse(
			JSON.stringify(ctx.sandbox.webhooks.log[0].body).replace(
				/wamid\.[A-Za-z0-9_-]+/,
				'wamid.GAVEUP',
			),
		) as unknown;
		const aborted = fetch(endpoint.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(200),
		}).catch((error: Error) => error.name);
		expect(await aborted).toBe('TimeoutError');
		expect((await first)?.status).toBe(503);
		await endpoint.idle();
		expect(openBursts()).toBe(0);
	});

	it("passes the burst whole, with no error item, when n8n's processed-data store does not answer", async () => {
		const endpoint = await listen(
			ctx.sandbox,
			'sobot',
			new SobotTrigger(),
			{ options: QUIET },
			{ processedData: new FailingProcessedDataStore(() => true) },
		);
		await Promise.all(await writes(ASHA, ['hi', 'are you there?']));
		await endpoint.idle();
		expect(endpoint.executions).toHaveLength(1);
		expect(endpoint.executions[0]).toHaveLength(1);
		const [item] = endpoint.executions[0];
		expect(item.json.error).toBeUndefined();
		expect(textsOf(item.json)).toEqual(['hi', 'are you there?']);
	});

	it('does not group statuses, and leaves the items as before when the option is off', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), { options: QUIET });
		await ctx.sandbox.sobot.incoming({ from: ASHA, name: 'Asha' });
		const { error } = await runSobot(ctx.sandbox, 'message', 'send', {
			recipient: ASHA,
			customerName: 'Asha',
			messageType: 'text',
			text: 'Your order has shipped',
		});
		expect(error).toBeUndefined();
		await ctx.sandbox.webhooks.idle();
		await endpoint.idle();
		const statuses = endpoint.executions.filter((run) => run[0].json.event === 'status');
		expect(statuses.map((run) => [run.length, run[0].json.status, run[0].json.messages])).toEqual([
			[1, 'sent', undefined],
			[1, 'delivered', undefined],
			[1, 'read', undefined],
		]);

		const plain = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		await Promise.all(await writes(ASHA, ['one', 'two']));
		await plain.idle();
		expect(
			plain.executions.map((run) => [run.length, run[0].json.text, run[0].json.messages]),
		).toEqual([
			[1, 'one', undefined],
			[1, 'two', undefined],
		]);
	});
});
