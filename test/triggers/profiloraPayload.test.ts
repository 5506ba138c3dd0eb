/**
 * The Profilora payload shapes the trigger tolerates beyond what the sandbox sends (docs/vendors.md:
 * the webhook body is undocumented), checked on the parser itself.
 */
import { profiloraPayload } from '../../nodes/ProfiloraTrigger/payload';
import { PayloadError } from '../../nodes/shared/webhook/event';

const parse = (body: unknown) => profiloraPayload.parse(body)[0];

describe('Profilora payload', () => {
	it.each([
		['MESSAGE_SENT', 'sent'],
		['MESSAGE_DELIVERED', 'delivered'],
		['MESSAGE_READ', 'read'],
		['MESSAGE_FAILED', 'failed'],
		['MESSAGE_PLAYED', 'played'],
		['message_deleted', 'deleted'],
		['DEVICE_DISCONNECTED', 'device_disconnected'],
	])('type %s is the status %s', (type, status) => {
		expect(parse({ waData: { type, waInfo: { fromMe: true } } })).toMatchObject({
			event: 'status',
			status,
		});
	});

	it('takes eventId from the top level first, then from waData', () => {
		expect(
			parse({ eventId: 'top', waData: { type: 'MESSAGE_SENT', eventId: 'inner' } }).messageId,
		).toBe('top');
		expect(parse({ waData: { type: 'MESSAGE_SENT', eventId: 'inner' } }).messageId).toBe('inner');
		expect(parse({ waData: { type: 'MESSAGE_SENT' } }).messageId).toBeNull();
	});

	it.each(['MESSAGE_RECEIVED', 'MESSAGE_INCOMING', 'INCOMING_MESSAGE'])(
		'type %s is an incoming message',
		(type) => {
			expect(parse({ waData: { type, waInfo: { peer: '62811@s.whatsapp.net' } } })).toMatchObject({
				event: 'message',
				status: 'received',
				from: '62811@s.whatsapp.net',
			});
		},
	);

	it('an unknown type from someone else (fromMe false) is an incoming message; a known status never is', () => {
		expect(parse({ waData: { type: 'NEW_CHAT', waInfo: { fromMe: false } } }).event).toBe(
			'message',
		);
		expect(parse({ waData: { type: 'MESSAGE_READ', waInfo: { fromMe: false } } }).event).toBe(
			'status',
		);
	});

	it('reads text from conversation, extendedTextMessage.text or a media caption', () => {
		const message = (content: object) =>
			parse({ waData: { type: 'MESSAGE_RECEIVED', waInfo: { fromMe: false, message: content } } });
		expect(message({ conversation: 'plain' })).toMatchObject({
			text: 'plain',
			messageType: 'text',
		});
		expect(message({ extendedTextMessage: { text: 'with a link https://x.y' } })).toMatchObject({
			text: 'with a link https://x.y',
			messageType: 'text',
		});
		expect(
			message({
				imageMessage: {
					caption: 'look',
					mimetype: 'image/jpeg',
					url: 'https://mmg.whatsapp.net/x',
					fileSha256: 'abc=',
				},
			}),
		).toMatchObject({
			text: 'look',
			messageType: 'image',
			media: {
				type: 'image',
				caption: 'look',
				mimeType: 'image/jpeg',
				url: 'https://mmg.whatsapp.net/x',
				sha256: 'abc=',
			},
		});
		expect(
			message({ documentMessage: { fileName: 'invoice.pdf', mimetype: 'application/pdf' } }),
		).toMatchObject({
			text: null,
			messageType: 'document',
			media: { type: 'document', fileName: 'invoice.pdf' },
		});
		expect(message({ locationMessage: { degreesLatitude: 1 } })).toMatchObject({
			messageType: 'locationMessage',
			text: null,
		});
	});

	it('reads the timestamp in seconds or milliseconds, from waData, the top level or waInfo.messageTimestamp', () => {
		const iso = '2023-08-25T07:11:59.000Z';
		expect(parse({ waData: { type: 'MESSAGE_SENT', timestamp: 1692947519 } }).timestamp).toBe(iso);
		expect(parse({ timestamp: '1692947519000', waData: { type: 'MESSAGE_SENT' } }).timestamp).toBe(
			iso,
		);
		expect(
			parse({ waData: { type: 'MESSAGE_SENT', waInfo: { messageTimestamp: 1692947519 } } })
				.timestamp,
		).toBe(iso);
		expect(parse({ waData: { type: 'MESSAGE_SENT', timestamp: 'soon' } }).timestamp).toBeNull();
	});

	it.each([
		[null],
		[[]],
		[{}],
		[{ waData: 'x' }],
		[{ waData: { type: '' } }],
		[{ waData: { type: 5 } }],
	])('refuses %j', (body) => {
		expect(() => profiloraPayload.parse(body)).toThrow(PayloadError);
	});
});
