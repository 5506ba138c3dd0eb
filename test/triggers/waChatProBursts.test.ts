/**
 * Group Bursts in the WAChatPro Trigger (nodes/WaChatProTrigger/bursts.ts): a poll groups a chat's new messages whose
 * WAChatPro times are within the Quiet Period, and holds a burst still being written for the next poll, through the
 * static data n8n saves between polls (a restart included).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { WaChatProTrigger } from '../../nodes/WaChatProTrigger/WaChatProTrigger.node';
import type { Sandbox } from '../../sandbox/server';
import { PollHarness } from '../harness/poll';
import { useSandbox } from '../harness/sandbox';
import { waChatProCredentials } from '../wachatpro/helpers';

const ctx = useSandbox();
const ANDI = '6281211110001';
const BUDI = '6281211110002';

function trigger(sandbox: Sandbox, options: IDataObject, staticData?: IDataObject): PollHarness {
	return new PollHarness({
		node: new WaChatProTrigger(),
		parameters: { options } as INodeParameters,
		credentials: waChatProCredentials(sandbox),
		staticData,
	});
}

const textsOf = (item: IDataObject) =>
	(item.messages as IDataObject[]).map((message) => message.text);
/** Unix seconds, long enough ago that no burst is still open. */
const past = Math.floor(Date.now() / 1000) - 600;

describe('WAChatPro Trigger: Group Bursts', () => {
	it("emits a chat's messages written close together as one item, another chat's as its own", async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, { burstQuietSeconds: 5 });
		expect(await poller.poll()).toBeNull();
		sandbox.wachatpro.incoming({ from: ANDI, text: 'halo', at: past });
		sandbox.wachatpro.incoming({ from: BUDI, text: 'permisi', at: past + 1 });
		sandbox.wachatpro.incoming({ from: ANDI, text: 'saya perlu bantuan', at: past + 2 });
		sandbox.wachatpro.incoming({ from: ANDI, text: 'pesanan 123', at: past + 4 });

		const items = (await poller.pollItems()) ?? [];
		const byChat = Object.fromEntries(items.map((item) => [item.from, textsOf(item)]));
		expect(byChat).toEqual({
			[ANDI]: ['halo', 'saya perlu bantuan', 'pesanan 123'],
			[BUDI]: ['permisi'],
		});
		const andi = items.find((item) => item.from === ANDI) as IDataObject;
		expect(andi).toMatchObject({ text: 'halo\nsaya perlu bantuan\npesanan 123', messageCount: 3 });
		expect(await poller.poll()).toBeNull();
	});

	it('starts a new burst after a pause longer than the Quiet Period, and at Max Hold', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, { burstQuietSeconds: 5, burstMaxHoldSeconds: 10 });
		expect(await poller.poll()).toBeNull();
		// A pause of 20 s, then a customer who writes every 3 s for 15 s.
		for (const [offset, text] of [
			[0, 'a'],
			[1, 'b'],
			[21, 'c'],
			[24, 'd'],
			[27, 'e'],
			[30, 'f'],
			[33, 'g'],
			[36, 'h'],
		] as const)
			sandbox.wachatpro.incoming({ from: ANDI, text, at: past + offset });
		const items = (await poller.pollItems()) ?? [];
		expect(items.map(textsOf)).toEqual([
			['a', 'b'],
			['c', 'd', 'e', 'f'],
			['g', 'h'],
		]);
	});

	it('holds a burst still being written for the next poll, across a restart', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, { burstQuietSeconds: 3 });
		expect(await poller.poll()).toBeNull();
		const now = Math.floor(Date.now() / 1000);
		sandbox.wachatpro.incoming({ from: ANDI, text: 'halo', at: now });
		sandbox.wachatpro.incoming({ from: ANDI, text: 'masih di sana?', at: now });
		// Read while the customer may still be writing: nothing yet.
		expect(await poller.poll()).toBeNull();

		// n8n restarted: a new process with the static data it saved.
		const restarted = trigger(sandbox, { burstQuietSeconds: 3 }, poller.staticData);
		let items: IDataObject[] | null = null;
		for (let polls = 0; items === null && polls < 40; polls++) {
			await sleep(250);
			items = await restarted.pollItems();
		}
		expect(items?.map(textsOf)).toEqual([['halo', 'masih di sana?']]);
		expect(await restarted.poll()).toBeNull();
	});

	it("does not hold a burst whose time is far ahead of n8n's clock (the clocks differ)", async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, { burstQuietSeconds: 3 });
		expect(await poller.poll()).toBeNull();
		const ahead = Math.floor(Date.now() / 1000) + 3600;
		sandbox.wachatpro.incoming({ from: ANDI, text: 'dari masa depan', at: ahead });
		expect((await poller.pollItems())?.map(textsOf)).toEqual([['dari masa depan']]);
	});

	it('leaves the items as before when the option is off', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, {});
		expect(await poller.poll()).toBeNull();
		sandbox.wachatpro.incoming({ from: ANDI, text: 'satu', at: past });
		sandbox.wachatpro.incoming({ from: ANDI, text: 'dua', at: past + 1 });
		const items = (await poller.pollItems()) ?? [];
		expect(items.map((item) => [item.text, item.messages])).toEqual([
			['satu', undefined],
			['dua', undefined],
		]);
	});
});
