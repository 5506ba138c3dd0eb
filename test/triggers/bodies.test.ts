/**
 * Trigger bodies as they really arrive: whatever n8n made an object of (form-encoded, XML, multipart) is judged by
 * the bytes that came, a body nested too deep for n8n to store is refused, and a started execution is answered with
 * a small JSON body. The endpoint parses bodies and answers as n8n 2.41 does (test/triggers/endpoint.ts).
 */
import { ProfiloraTrigger } from '../../nodes/ProfiloraTrigger/ProfiloraTrigger.node';
import { MAX_JSON_DEPTH } from '../../nodes/shared/webhook/request';
import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { useSandbox } from '../harness/sandbox';
import type { TriggerEndpoint } from './endpoint';
import { listen } from './helpers';

const ctx = useSandbox();

/** A Sobot status as Sobot posts it, with `extra` levels of nesting added below the top-level object. */
function sobotStatus(id: string, extra = 0): Record<string, unknown> {
	let nested: unknown = 'x';
	for (let i = 0; i < extra; i++) nested = { n: nested };
	return {
		id,
		status: 'delivered',
		timestamp: '1730000000',
		...(extra > 0 ? { note: nested } : {}),
	};
}

/** Posts straight at the endpoint and resolves once the execution it started (if any) has ended. */
async function post(
	endpoint: TriggerEndpoint,
	body: string,
	contentType?: string,
): Promise<{ status: number; type: string | null; text: string }> {
	const response = await fetch(endpoint.url, {
		method: 'POST',
		headers: contentType ? { 'content-type': contentType } : {},
		body,
	});
	const answer = {
		status: response.status,
		type: response.headers.get('content-type'),
		text: await response.text(),
	};
	await endpoint.idle();
	return answer;
}

describe('Trigger node versions', () => {
	// n8n leaves the body of a version-2 node unread when it cannot parse the media type; the trigger reads it.
	it.each([
		[1, undefined],
		[2, undefined],
		[1, 'application/octet-stream'],
		[2, 'application/octet-stream'],
		[2, 'application/json'],
	])(
		'version %s reads a JSON status posted with Content-Type %s',
		async (typeVersion, contentType) => {
			for (const node of [new SobotTrigger(), new ProfiloraTrigger()]) {
				const endpoint = await listen(ctx.sandbox, 'sobot', node, {}, { typeVersion });
				const payload =
					node instanceof SobotTrigger
						? sobotStatus(`wamid.v${typeVersion}`)
						: {
								eventId: `evt-v${typeVersion}`,
								waData: {
									type: 'MESSAGE_READ',
									waInfo: { fromMe: true, peer: '62812@s.whatsapp.net' },
								},
							};
				const answer = await post(endpoint, JSON.stringify(payload), contentType);
				expect(answer.status).toBe(200);
				expect(JSON.parse(answer.text)).toMatchObject({ started: true, events: 1 });
			}
		},
	);

	it('new triggers are version 3, and versions 1 and 2 are still offered for saved workflows', () => {
		for (const node of [new SobotTrigger(), new ProfiloraTrigger()]) {
			expect(node.description.version).toEqual([1, 2, 3]);
			expect(node.description.defaultVersion).toBe(3);
		}
	});
});

describe('Trigger bodies that are not JSON', () => {
	// Each of these would pass as a Sobot status if the trigger took the object n8n made of it.
	it.each([
		[
			'form-encoded',
			'id=wamid.form1&status=delivered&timestamp=1730000000',
			'application/x-www-form-urlencoded',
		],
		[
			'form-encoded with a charset',
			'id=wamid.form2&status=delivered',
			'application/x-www-form-urlencoded; charset=utf-8',
		],
		['XML', '<status><id>wamid.xml1</id><status>delivered</status></status>', 'application/xml'],
		[
			'XML as text/xml',
			'<status><id>wamid.xml2</id><status>delivered</status></status>',
			'text/xml',
		],
		[
			'multipart form data',
			'--b\r\nContent-Disposition: form-data; name="id"\r\n\r\nwamid.mp1\r\n--b\r\nContent-Disposition: form-data; name="status"\r\n\r\ndelivered\r\n--b--\r\n',
			'multipart/form-data; boundary=b',
		],
	])('%s: 400 naming the Content-Type, and no execution', async (_what, payload, contentType) => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		const answer = await post(endpoint, payload, contentType);
		expect(answer.status).toBe(400);
		expect(JSON.parse(answer.text)).toEqual({
			message: `The request body is not JSON (Content-Type ${contentType.split(';')[0]}): the gateway must post JSON`,
		});
		expect(endpoint.started).toBe(0);
	});

	it('the same status as JSON starts an execution (the control for the cases above)', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		const answer = await post(
			endpoint,
			JSON.stringify(sobotStatus('wamid.json1')),
			'application/json',
		);
		expect(answer.status).toBe(200);
		expect(endpoint.executions.map((items) => items[0].json.messageId)).toEqual(['wamid.json1']);
	});

	it('JSON under a form Content-Type is read from the raw body (tolerant of a gateway that mislabels it)', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		const answer = await post(
			endpoint,
			JSON.stringify(sobotStatus('wamid.mislabelled')),
			'application/x-www-form-urlencoded',
		);
		expect(answer.status).toBe(200);
		expect(endpoint.executions.map((items) => items[0].json.messageId)).toEqual([
			'wamid.mislabelled',
		]);
	});

	it('Profilora Trigger refuses a form-encoded body too', async () => {
		const endpoint = await listen(ctx.sandbox, 'profilora', new ProfiloraTrigger());
		const answer = await post(
			endpoint,
			'waData=MESSAGE_SENT&eventId=evt-1',
			'application/x-www-form-urlencoded',
		);
		expect(answer.status).toBe(400);
		expect(endpoint.started).toBe(0);
	});
});

describe('Trigger bodies nested too deep', () => {
	it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1} with 400 and no execution`, async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		const deepest = await post(
			endpoint,
			JSON.stringify(sobotStatus('wamid.deep64', MAX_JSON_DEPTH - 1)),
			'application/json',
		);
		expect(deepest.status).toBe(200);
		const tooDeep = await post(
			endpoint,
			JSON.stringify(sobotStatus('wamid.deep65', MAX_JSON_DEPTH)),
			'application/json',
		);
		expect(tooDeep.status).toBe(400);
		expect(JSON.parse(tooDeep.text)).toEqual({
			message: `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`,
		});
		expect(endpoint.executions.map((items) => items[0].json.messageId)).toEqual(['wamid.deep64']);
	});

	it.each([
		['application/json', 'application/json'],
		['text/plain', 'text/plain'],
		['no Content-Type', undefined],
	])(
		'a body nested 100,000 levels deep (%s) is refused with 400 and starts nothing',
		async (_what, contentType) => {
			const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
			const payload = `{"id":"wamid.bomb","status":"delivered","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
			const answer = await post(endpoint, payload, contentType);
			expect(answer.status).toBe(400);
			expect(endpoint.started).toBe(0);
		},
	);

	it('brackets inside strings do not count as nesting', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		const body = {
			...sobotStatus('wamid.brackets'),
			note: `${'[{'.repeat(200)} \\" ${'}]'.repeat(200)}`,
		};
		const answer = await post(endpoint, JSON.stringify(body), 'application/json');
		expect(answer.status).toBe(200);
		expect(endpoint.started).toBe(1);
	});
});

describe('The answer to a request that starts an execution', () => {
	it('is a small JSON body, not n8n\'s default text "firstEntryJson"', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		const answer = await post(
			endpoint,
			JSON.stringify(sobotStatus('wamid.answer')),
			'application/json',
		);
		expect(answer.status).toBe(200);
		expect(answer.type).toMatch(/^application\/json/);
		// Version 3 batches statuses (Status Batch Window 1 s): this one came alone.
		expect(JSON.parse(answer.text)).toEqual({
			received: true,
			started: true,
			events: 1,
			batched: true,
			batch: 1,
		});
		expect(endpoint.started).toBe(1);
	});

	it('counts the events of the execution (two incoming messages in one Sobot body)', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger());
		const message = (id: string) => ({
			id,
			from: '919812345678',
			timestamp: '1730000000',
			type: 'text',
			text: { body: id },
		});
		const body = [
			{
				field: 'messages',
				value: {
					contacts: [{ wa_id: '919812345678' }],
					messages: [message('wamid.in1'), message('wamid.in2')],
				},
			},
		];
		const answer = await post(endpoint, JSON.stringify(body), 'application/json');
		expect(JSON.parse(answer.text)).toEqual({ received: true, started: true, events: 2 });
		expect(endpoint.executions[0].map((item) => item.json.messageId)).toEqual([
			'wamid.in1',
			'wamid.in2',
		]);
	});
});
