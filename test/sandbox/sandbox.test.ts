import axios from 'axios';

import { DEFAULT_CREDENTIALS } from '../../sandbox/server';
import { startReceiver } from '../harness/receiver';
import { useSandbox } from '../harness/sandbox';

const ctx = useSandbox();
const { apiKey, apiSecret, agents } = DEFAULT_CREDENTIALS.profilora;
const auth = { username: apiKey, password: apiSecret };

function send(to: string, message = 'hi') {
	return axios.post(
		`${ctx.sandbox.baseUrl('profilora')}/whatsapp/send-message`,
		{ sender: agents[0], to, message },
		{ auth, validateStatus: () => true },
	);
}

describe('sandbox gateway', () => {
	test('Profilora: validates like the vendor and posts sent/delivered/read webhooks carrying the eventId', async () => {
		const receiver = await startReceiver();
		try {
			await axios.post(`${ctx.sandbox.url}/__admin/webhooks`, {
				profilora: receiver.url,
				stepDelayMs: 1,
			});
			const missing = await send('');
			expect(missing.status).toBe(400);
			expect(missing.data).toEqual({ message: '"to" is required' });

			const ok = await send('6281234567890@s.whatsapp.net', 'Halo');
			expect(ok.status).toBe(200);
			expect(ok.data).toEqual({
				eventId: expect.stringMatching(/^[\w-]{21}$/),
				message: 'Message will be processed',
			});

			const deliveries = (await axios.get(`${ctx.sandbox.url}/__admin/webhooks`)).data as Array<{
				status: number;
			}>;
			expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
			expect(
				receiver.received.map((r) => (r.body as { waData: { type: string } }).waData.type),
			).toEqual(['MESSAGE_SENT', 'MESSAGE_DELIVERED', 'MESSAGE_READ']);
			for (const r of receiver.received) {
				expect(r.body).toMatchObject({
					eventId: ok.data.eventId,
					waData: {
						waInfo: {
							fromMe: true,
							peer: '6281234567890@s.whatsapp.net',
							message: { conversation: 'Halo' },
						},
					},
				});
			}
		} finally {
			await receiver.stop();
		}
	});

	test('Profilora: a number ending in 999 fails after being sent; incoming messages can be simulated', async () => {
		const receiver = await startReceiver();
		try {
			ctx.sandbox.webhooks.targets.profilora = { url: receiver.url };
			ctx.sandbox.webhooks.stepDelayMs = 1;
			ctx.sandbox.profilora.eventIdPlacement = 'waData';
			await send('6281234567999@s.whatsapp.net');
			await axios.post(`${ctx.sandbox.url}/__admin/incoming`, {
				vendor: 'profilora',
				from: '6285700000001',
				text: 'Mau pesan',
			});
			await ctx.sandbox.webhooks.idle();
			const bodies = receiver.received.map(
				(r) => r.body as { eventId?: string; waData: Record<string, unknown> },
			);
			expect(bodies.map((b) => b.waData.type).sort()).toEqual([
				'MESSAGE_FAILED',
				'MESSAGE_RECEIVED',
				'MESSAGE_SENT',
			]);
			const status = bodies.find((b) => b.waData.type === 'MESSAGE_FAILED');
			expect(status?.eventId).toBeUndefined();
			expect(status?.waData.eventId).toBe(ctx.sandbox.profilora.sent[0].eventId);
			const incoming = bodies.find((b) => b.waData.type === 'MESSAGE_RECEIVED');
			expect(incoming?.waData.waInfo).toMatchObject({
				fromMe: false,
				peer: '6285700000001@s.whatsapp.net',
				message: { conversation: 'Mau pesan' },
			});
		} finally {
			await receiver.stop();
		}
	});

	test('faults repeat exactly for a seed, and say whether the gateway acted before failing', async () => {
		const run = async () => {
			ctx.sandbox.reset();
			ctx.sandbox.faults.configure({
				rate: 0.5,
				seed: 99,
				kinds: { '429': 1, '503': 1, drop: 1 },
				retryAfterSeconds: 3,
			});
			const outcomes: string[] = [];
			for (let i = 0; i < 30; i++) {
				try {
					const response = await send(`62812000${String(i).padStart(5, '0')}@s.whatsapp.net`);
					outcomes.push(String(response.status));
					if (response.status === 429) expect(response.headers['retry-after']).toBe('3');
				} catch (error) {
					outcomes.push((error as { code?: string }).code ?? 'error');
				}
			}
			return {
				outcomes,
				accepted: ctx.sandbox.accepted.length,
				injected: { ...ctx.sandbox.faults.injected },
			};
		};
		const first = await run();
		const second = await run();
		expect(second).toEqual(first);
		expect(new Set(first.outcomes)).toEqual(new Set(['200', '429', '503', 'ECONNRESET']));
		// 429 and 503 are refused before acting; a dropped connection happens after the message was accepted.
		const ok = first.outcomes.filter((o) => o === '200').length;
		const dropped = first.outcomes.filter((o) => o === 'ECONNRESET').length;
		expect(first.accepted).toBe(ok + dropped);
	});

	test('admin API: records requests per vendor, resets state, rejects bad fault settings', async () => {
		await send('6281234567890@s.whatsapp.net');
		const records = (await axios.get(`${ctx.sandbox.url}/__admin/requests?vendor=profilora`))
			.data as Array<{ path: string; status: number }>;
		expect(records.map((r) => [r.path, r.status])).toEqual([['/whatsapp/send-message', 200]]);
		expect(
			(
				await axios.post(
					`${ctx.sandbox.url}/__admin/faults`,
					{ rate: 2 },
					{ validateStatus: () => true },
				)
			).status,
		).toBe(400);
		await axios.post(`${ctx.sandbox.url}/__admin/reset`);
		expect((await axios.get(`${ctx.sandbox.url}/__admin/requests`)).data).toEqual([]);
		expect(
			(await axios.get(`${ctx.sandbox.url}/nowhere`, { validateStatus: () => true })).status,
		).toBe(404);
	});
});
