/** The WAChatPro Trigger's window comparison on reply shapes the sandbox does not produce (no ids, no times, deletions). */
import type { IDataObject } from 'n8n-workflow';

import { boundMemory, readWindow } from '../../nodes/WaChatProTrigger/memory';
import { isFromMe, readChat, toEvent } from '../../nodes/WaChatPro/transport/message';

const PHONE = '6281234567890';

describe('WAChatPro Trigger memory', () => {
	it('recognises messages without id or time by their content, and emits only the added one', () => {
		const window = [{ body: 'second' }, { body: 'first' }];
		const baseline = readWindow(PHONE, window, undefined, 0, undefined, true);
		expect(baseline.fresh).toEqual([]);
		const again = readWindow(PHONE, window, baseline.memory, 0, undefined, false);
		expect(again.fresh).toEqual([]);
		const added = readWindow(
			PHONE,
			[{ body: 'third' }, ...window],
			again.memory,
			0,
			undefined,
			false,
		);
		expect(added.fresh).toEqual([{ body: 'third' }]);
	});

	it('does not emit an old message that slides into the window when a newer one is deleted', () => {
		const all = [5, 4, 3, 2, 1].map((t) => ({
			id: `m${t}`,
			timestamp: 1_700_000_000 + t,
			body: `m${t}`,
		}));
		const baseline = readWindow(PHONE, all.slice(0, 3), undefined, 0, undefined, true);
		const withoutM4 = [all[0], all[2], all[3]]; // m4 deleted: m2 enters the 3-message window
		expect(readWindow(PHONE, withoutM4, baseline.memory, 0, undefined, false).fresh).toEqual([]);
	});

	it('emits several new messages oldest first, and never our own', () => {
		const previous = readWindow(PHONE, [{ id: 'a', t: 10 }], undefined, 0, undefined, true).memory;
		const window: IDataObject[] = [
			{ id: 'd', t: 13, fromMe: true },
			{ id: 'c', t: 12, key: { fromMe: false } },
			{ id: 'b', t: 11, direction: 'incoming' },
			{ id: 'a', t: 10 },
		];
		expect(readWindow(PHONE, window, previous, 0, undefined, false).fresh.map((m) => m.id)).toEqual(
			['b', 'c'],
		);
		expect(isFromMe({ key: { fromMe: true } })).toBe(true);
		expect(isFromMe({ from_me: 1 })).toBe(true);
		expect(isFromMe({ direction: 'outgoing' })).toBe(true);
		expect(isFromMe({ direction: 'inbound' })).toBe(false);
	});

	it('in a chat it has no memory of, emits only what is newer than the horizon', () => {
		const window = [
			{ id: 'new', timestamp: 200 },
			{ id: 'old', timestamp: 100 },
		];
		expect(
			readWindow(PHONE, window, undefined, 150_000, undefined, false).fresh.map((m) => m.id),
		).toEqual(['new']);
	});

	it('forgets the least recently active chats past the cap and raises the horizon to them', () => {
		const memory = {
			v: 1 as const,
			horizon: 0,
			chats: { a: { k: [], n: 3000 }, b: { k: [], n: 1000 }, c: { k: [], n: 2000 } },
		};
		const bounded = boundMemory(memory, 2);
		expect(Object.keys(bounded.chats).sort()).toEqual(['a', 'c']);
		expect(bounded.horizon).toBe(1000);
	});

	it("reads chats and messages in other gateways' shapes", () => {
		expect(
			readChat({ id: { _serialized: '6281234567890@c.us' }, name: 'Andi', t: 5 }),
		).toMatchObject({ phone: PHONE, name: 'Andi' });
		expect(readChat({ id: '120363025246125486@g.us', name: 'A group' })).toBeUndefined();
		expect(readChat({ jid: '6281234567890@s.whatsapp.net' })).toMatchObject({
			phone: PHONE,
			activity: undefined,
		});
		const event = toEvent(PHONE, 'Andi', {
			id: { _serialized: 'false_6281234567890@c.us_ABC' },
			type: 'ptt',
			mediaUrl: 'https://example.com/voice.ogg',
			mimetype: 'audio/ogg',
			body: 'T2dnUwACAAAAAAAAAAA=',
			timestamp: 1_700_000_000,
			notifyName: 'Andi W.',
		});
		expect(event).toMatchObject({
			messageId: 'false_6281234567890@c.us_ABC',
			messageType: 'audio',
			text: null, // a media message's body is the file, not text
			name: 'Andi W.',
			timestamp: '2023-11-14T22:13:20.000Z',
			media: { type: 'audio', url: 'https://example.com/voice.ogg', mimeType: 'audio/ogg' },
		});
		expect(toEvent(PHONE, null, { type: 'chat', body: 'halo' })).toMatchObject({
			messageType: 'text',
			text: 'halo',
			name: null,
		});
	});
});
