/** Sobot payload shapes beyond what the sandbox posts, checked on the parser itself. */
import { sobotPayload } from '../../nodes/SobotTrigger/payload';
import { PayloadError } from '../../nodes/shared/webhook/event';

const change = (value: object) => ({ field: 'messages', value });

describe('Sobot payload', () => {
	it('reads a flat status with any status string, in lower case', () => {
		expect(
			sobotPayload.parse({ id: 'wamid.1', status: 'DELIVERED', timestamp: '1692947519' }),
		).toEqual([
			expect.objectContaining({
				event: 'status',
				messageId: 'wamid.1',
				status: 'delivered',
				timestamp: '2023-08-25T07:11:59.000Z',
			}),
		]);
		expect(
			sobotPayload.parse({ id: 'wamid.1', status: 'deleted', recipient_id: '9198' })[0],
		).toMatchObject({
			status: 'deleted',
			to: '9198',
		});
	});

	it('accepts a change object not wrapped in an array, and Meta-style statuses inside a change', () => {
		const events = sobotPayload.parse(
			change({
				metadata: { display_phone_number: '919000000001' },
				statuses: [
					{ id: 'wamid.2', status: 'read', recipient_id: '919811111111', timestamp: 1692947519 },
				],
			}),
		);
		expect(events).toEqual([
			expect.objectContaining({
				event: 'status',
				status: 'read',
				from: '919000000001',
				to: '919811111111',
			}),
		]);
	});

	it('reads button and list replies as text', () => {
		const events = sobotPayload.parse([
			change({
				messages: [
					{ id: 'a', from: '1', type: 'button', button: { text: 'Yes' } },
					{
						id: 'b',
						from: '1',
						type: 'interactive',
						interactive: { button_reply: { title: 'Track' } },
					},
					{
						id: 'c',
						from: '1',
						type: 'interactive',
						interactive: { list_reply: { title: 'Row 2' } },
					},
					{ id: 'd', from: '1', type: 'location', location: { latitude: 1 } },
				],
			}),
		]);
		expect(events.map((event) => [event.messageType, event.text, event.media])).toEqual([
			['button', 'Yes', null],
			['interactive', 'Track', null],
			['interactive', 'Row 2', null],
			['location', null, null],
		]);
	});

	it('takes media from the key named by the type, else from "image"', () => {
		const [audio, video] = sobotPayload.parse([
			change({
				messages: [
					{
						id: 'a',
						type: 'audio',
						audio: { id: 'm1', mime_type: 'audio/ogg', url: 'https://media.sobot.in/m1' },
					},
					{
						id: 'v',
						type: 'video',
						image: { id: 'm2', mime_type: 'video/mp4', link: 'https://media.sobot.in/m2' },
					},
				],
			}),
		]);
		expect(audio.media).toMatchObject({
			type: 'audio',
			id: 'm1',
			url: 'https://media.sobot.in/m1',
		});
		expect(video.media).toMatchObject({
			type: 'video',
			id: 'm2',
			mimeType: 'video/mp4',
			url: 'https://media.sobot.in/m2',
		});
	});

	it('names the sender from the contact with the same wa_id', () => {
		const events = sobotPayload.parse([
			change({
				contacts: [
					{ wa_id: '1', profile: { name: 'One' } },
					{ wa_id: '2', profile: { name: 'Two' } },
				],
				messages: [
					{ id: 'x', from: '2', type: 'text', text: { body: 'hi' } },
					{ id: 'y', from: '3', type: 'text', text: { body: 'hi' } },
				],
			}),
		]);
		expect(events.map((event) => event.name)).toEqual(['Two', null]);
	});

	it("reads the customer's choice: a button, a list row, a template's quick-reply button, and what they answer", () => {
		const context = { from: '919000000000', id: 'wamid.ASKED' };
		const events = sobotPayload.parse([
			change({
				messages: [
					{
						id: 'a',
						from: '1',
						type: 'interactive',
						context,
						interactive: { type: 'button_reply', button_reply: { id: 'b-1', title: 'Yes' } },
					},
					{
						id: 'b',
						from: '1',
						type: 'interactive',
						context,
						interactive: {
							type: 'list_reply',
							list_reply: { id: 'row-2', title: 'Friday', description: 'after 5' },
						},
					},
					{
						id: 'c',
						from: '1',
						type: 'button',
						context,
						button: { payload: 'ref-42', text: 'Confirm' },
					},
					{ id: 'd', from: '1', type: 'text', text: { body: 'just text' } },
				],
			}),
		]);
		expect(events.map(({ text, choice, replyTo }) => ({ text, choice, replyTo }))).toEqual([
			{ text: 'Yes', choice: { id: 'b-1', title: 'Yes' }, replyTo: 'wamid.ASKED' },
			{ text: 'Friday', choice: { id: 'row-2', title: 'Friday' }, replyTo: 'wamid.ASKED' },
			{ text: 'Confirm', choice: { id: 'ref-42', title: 'Confirm' }, replyTo: 'wamid.ASKED' },
			{ text: 'just text', choice: null, replyTo: null },
		]);
	});

	it.each([
		[null],
		['text'],
		[5],
		[{}],
		[[1]],
		[[{ field: 'messages', value: 'x' }]],
		[[change({ contacts: {} })]],
	])('refuses %j', (body) => {
		expect(() => sobotPayload.parse(body)).toThrow(PayloadError);
	});
});
