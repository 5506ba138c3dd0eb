/**
 * The routing `npm run dev` sets up (scripts/dev/provision.ts) on a real sandbox, over its admin API: Sobot's webhooks
 * reach the examples that only record, never the ones that answer the customer (the AI agent, Send and Wait) until
 * the user points them there by name.
 */
import axios from 'axios';

import {
	DEV_WEBHOOK_SECRETS,
	loadExamples,
	nameReceivers,
	wireWebhookCopies,
	wireWebhooks,
} from '../../scripts/dev/provision';
import { startReceiver } from '../harness/receiver';
import { useSandbox } from '../harness/sandbox';

const ctx = useSandbox();
const examples = loadExamples();
const webhookIdOf = (key: string) => {
	const trigger = examples.find((e) => e.key === key)?.trigger;
	if (!trigger) throw new Error(`example ${key} has no webhook trigger`);
	return trigger.webhookId;
};

async function devWiring() {
	const receiver = await startReceiver();
	// The receiver stands in for n8n: every example trigger's production URL lands on it, told apart by its path.
	const n8nUrl = receiver.url.replace(/\/hook$/, '');
	wireWebhooks(ctx.sandbox, examples, n8nUrl, DEV_WEBHOOK_SECRETS);
	wireWebhookCopies(ctx.sandbox, examples, n8nUrl, DEV_WEBHOOK_SECRETS);
	const names = nameReceivers(ctx.sandbox, examples, n8nUrl, DEV_WEBHOOK_SECRETS);
	ctx.sandbox.webhooks.stepDelayMs = 1;
	/** The examples a customer's message reached, by their trigger's webhook id. */
	const reachedBy = async (text: string) => {
		const before = receiver.received.length;
		await axios.post(`${ctx.sandbox.url}/__admin/incoming`, {
			vendor: 'sobot',
			from: '919812345678',
			text,
		});
		await ctx.sandbox.webhooks.idle();
		return examples
			.filter((e) => e.trigger?.vendor === 'sobot')
			.filter((e) =>
				receiver.received
					.slice(before)
					.some((r) => r.url.startsWith(`/webhook/${webhookIdOf(e.key)}/`)),
			)
			.map((e) => e.key);
	};
	return { receiver, names, reachedBy };
}

describe('npm run dev: which example gets the sandbox webhooks', () => {
	test('by default a customer message reaches the recording examples, not the AI agent or Send and Wait', async () => {
		const { receiver, names, reachedBy } = await devWiring();
		try {
			expect(names.sobot).toEqual(
				expect.arrayContaining(['sobot-ai-agent', 'sobot-send-and-wait', 'sobot-trigger']),
			);
			expect(await reachedBy('Hi')).toEqual([
				'sobot-delivery-2-statuses',
				'sobot-optout-1-capture',
				'sobot-trigger',
			]);
			const routes = (await axios.get(`${ctx.sandbox.url}/__admin/webhooks/routes`)).data;
			expect(routes.now).toEqual({ profilora: 'default', sobot: 'default' });
			expect(routes.named['sobot-ai-agent']).toBe('sobot');
		} finally {
			await receiver.stop();
		}
	});

	test('pointed at by name, the agent (or Send and Wait) gets them instead of the Sobot Trigger example; "default" undoes it', async () => {
		const { receiver, reachedBy } = await devWiring();
		try {
			const pointed = await axios.post(`${ctx.sandbox.url}/__admin/webhooks`, {
				sobot: 'sobot-ai-agent',
			});
			expect(pointed.status).toBe(200);
			expect(await reachedBy('Where is my order?')).toEqual([
				'sobot-ai-agent',
				'sobot-delivery-2-statuses',
				'sobot-optout-1-capture',
			]);
			expect((await axios.get(`${ctx.sandbox.url}/__admin/webhooks/routes`)).data.now.sobot).toBe(
				'sobot-ai-agent',
			);

			// A recording example pointed at by name gets each event once, not once more as a copy.
			await axios.post(`${ctx.sandbox.url}/__admin/webhooks`, { sobot: 'sobot-optout-1-capture' });
			const before = receiver.received.length;
			await reachedBy('STOP');
			const optOutId = webhookIdOf('sobot-optout-1-capture');
			expect(receiver.received.slice(before).filter((r) => r.url.includes(optOutId))).toHaveLength(
				1,
			);

			await axios.post(`${ctx.sandbox.url}/__admin/webhooks`, { sobot: 'sobot-send-and-wait' });
			expect(await reachedBy('Hello')).toContain('sobot-send-and-wait');

			await axios.post(`${ctx.sandbox.url}/__admin/webhooks`, { sobot: 'default' });
			expect(await reachedBy('Thanks')).toEqual([
				'sobot-delivery-2-statuses',
				'sobot-optout-1-capture',
				'sobot-trigger',
			]);
		} finally {
			await receiver.stop();
		}
	});

	test('an unknown name is refused with the names it knows, and the routing stays as it was', async () => {
		const { receiver, reachedBy } = await devWiring();
		try {
			const refused = await axios.post(
				`${ctx.sandbox.url}/__admin/webhooks`,
				{ sobot: 'sobot-ai-agnet' },
				{ validateStatus: () => true },
			);
			expect(refused.status).toBe(400);
			expect(refused.data.message).toContain('no sobot receiver named "sobot-ai-agnet"');
			expect(refused.data.message).toContain('sobot-ai-agent');
			// A name of another vendor's receiver is refused too.
			const wrongVendor = await axios.post(
				`${ctx.sandbox.url}/__admin/webhooks`,
				{ sobot: 'profilora-trigger' },
				{ validateStatus: () => true },
			);
			expect(wrongVendor.status).toBe(400);
			expect(await reachedBy('Hi')).toContain('sobot-trigger');
		} finally {
			await receiver.stop();
		}
	});

	test('a URL still works as before', async () => {
		const other = await startReceiver();
		try {
			await axios.post(`${ctx.sandbox.url}/__admin/webhooks`, { sobot: other.url });
			await axios.post(`${ctx.sandbox.url}/__admin/incoming`, {
				vendor: 'sobot',
				from: '919812345678',
				text: 'Hi',
			});
			await ctx.sandbox.webhooks.idle();
			expect(other.received).toHaveLength(1);
		} finally {
			await other.stop();
		}
	});
});
