/**
 * The resource locators (From List, By Name, By ID, Number): the "From List" searches through n8n-core's
 * LoadOptionsContext against the sandbox, and the nodes run with each mode's value as n8n saves it
 * (`{__rl: true, mode, value}`), a plain value (a hand-written workflow), and a `$fromAI()` expression inside.
 */
import type { IDataObject } from 'n8n-workflow';

import { Sobot } from '../../nodes/Sobot/Sobot.node';
import { WaChatPro } from '../../nodes/WaChatPro/WaChatPro.node';
import { searchNodeList } from '../harness/loadOptions';
import { useSandbox } from '../harness/sandbox';
import { bodiesTo, errorText, runSobot, sobotCredentials } from '../sobot/helpers';
import { KEY, run as runWaChatPro, waChatProCredentials } from '../wachatpro/helpers';

const ctx = useSandbox();
const rl = (mode: string, value: string) => ({ __rl: true as const, mode, value });
const fromAi = (key: string) => `={{ $fromAI('${key}', \`the ${key}\`, 'string') }}`;

describe('Sobot › Template by ID', () => {
	const idOf = (name: string) =>
		String(ctx.sandbox.sobot.templates.find((template) => template.entity_name === name)?.id);

	test("Send Template by Sobot's ID sends the template by its name, checked as from the list", async () => {
		const result = await runSobot(ctx.sandbox, 'message', 'sendTemplate', {
			recipient: '919812345678',
			customerName: 'Priya',
			template: rl('id', idOf('welcome_offer')),
			bodyParameters: { parameter: [{ text: 'Priya' }, { text: '20%' }] },
		});
		expect(result.error).toBeUndefined();
		expect(bodiesTo(ctx.sandbox, '/message/')).toEqual([
			expect.objectContaining({ template_name: 'welcome_offer', template_lang: 'en' }),
		]);
		// One listing finds the template and gives what the checks need.
		expect(ctx.sandbox.requestsTo('sobot', '/api/template/')).toHaveLength(1);
	});

	test('an ID Sobot does not list is refused before anything is sent, naming the field', async () => {
		const result = await runSobot(ctx.sandbox, 'message', 'sendTemplate', {
			recipient: '919812345678',
			customerName: 'Priya',
			template: rl('id', '99999'),
		});
		expect(errorText(result)).toBe('Template (item 0): Sobot lists no template with ID "99999"');
		expect(bodiesTo(ctx.sandbox, '/message/')).toHaveLength(0);
	});

	test("a campaign by ID is recorded under the template's name, as one picked from the list", async () => {
		const items = [{ json: { mobile: '919812300001', name: 'A' } }];
		const parameters = {
			recipient: '={{ $json.mobile }}',
			customerName: '={{ $json.name }}',
			bodyParameters: { parameter: [{ text: 'A' }, { text: 'x' }] },
		};
		const byId = await runSobot(
			ctx.sandbox,
			'campaign',
			'send',
			{ ...parameters, template: rl('id', idOf('welcome_offer')) },
			{ items },
		);
		expect(byId.items[0].json).toMatchObject({ status: 'sent', campaign: 'welcome_offer' });
	});

	test('Template › Get by ID, and a plain value taken as a name', async () => {
		const byId = await runSobot(ctx.sandbox, 'template', 'get', {
			template: rl('id', idOf('free_money')),
		});
		expect(byId.items[0].json).toMatchObject({
			entity_name: 'free_money',
			status_name: 'rejected',
		});
		const plain = await runSobot(ctx.sandbox, 'template', 'get', { template: 'track_order' });
		expect(plain.items[0].json).toMatchObject({ entity_name: 'track_order' });
		const blank = await runSobot(
			ctx.sandbox,
			'template',
			'get',
			{ template: rl('name', '={{ $json.name }}') },
			{ items: [{ json: { name: ' ' } }] },
		);
		expect(errorText(blank)).toMatch(/^Template \(item 0\): is required but empty/);
	});
});

describe('Sobot › Customer field (From List)', () => {
	async function addCustomers(count: number) {
		for (let i = 0; i < count; i++) {
			await runSobot(ctx.sandbox, 'customer', 'add', {
				mobile: `9198100${String(i).padStart(4, '0')}7`,
				customerName: `Customer ${i}`,
			});
		}
	}

	const search = (filter?: string, paginationToken?: string) =>
		searchNodeList({
			node: new Sobot(),
			method: 'searchCustomers',
			filter,
			paginationToken,
			credentials: sobotCredentials(ctx.sandbox),
		});

	test("one page a time, paging on with Sobot's next link; a filter reads on until it finds", async () => {
		await addCustomers(45);
		const first = await search();
		expect(first.results).toHaveLength(20);
		expect(first.results[0]).toEqual({ name: 'Customer 0 (+919810000007)', value: '919810000007' });
		expect(first.paginationToken).toMatch(/page=2/);
		const second = await search(undefined, first.paginationToken);
		expect(second.results[0].value).toBe('919810000207');

		const found = await search('customer 44');
		expect(found.results.map((entry) => entry.value)).toEqual(['919810000447']);
		expect((await search('9810000037')).results.map((entry) => entry.value)).toEqual([
			'919810000037',
		]);
	});

	test('Customer › Update with a customer picked from the list', async () => {
		await addCustomers(1);
		const [picked] = (await search()).results;
		const result = await runSobot(ctx.sandbox, 'customer', 'update', {
			mobile: rl('list', String(picked.value)),
			updateFields: { customerName: 'Renamed' },
		});
		expect(result.error).toBeUndefined();
		expect(ctx.sandbox.sobot.customers.get('919810000007')).toMatchObject({ name: 'Renamed' });
	});
});

describe('WAChatPro › Chat and Recipient fields (From List)', () => {
	const search = (method: string, filter?: string) =>
		searchNodeList({
			node: new WaChatPro(),
			method,
			filter,
			credentials: waChatProCredentials(ctx.sandbox),
		});

	test('contacts and chats are listed by name and number, and filtered as the user types', async () => {
		const contacts = await search('searchContacts');
		expect(contacts.results).toEqual(
			expect.arrayContaining([
				{ name: 'Budi (+6281211110002)', value: '6281211110002' },
				{ name: 'Priya (+919812345678)', value: '919812345678' },
			]),
		);
		expect((await search('searchContacts', 'pri')).results.map((entry) => entry.value)).toEqual([
			'919812345678',
		]);
		expect(
			ctx.sandbox.requestsTo('wachatpro', '/wa/contacts').map((request) => request.body),
		).toEqual([{ key: KEY }, { key: KEY }]);

		ctx.sandbox.wachatpro.incoming({ from: '6281211110003', text: 'Halo' });
		const chats = await search('searchChats');
		expect(chats.results.map((entry) => entry.value)).toContain('6281211110003');
	});

	test('Get Messages of a chat picked from the list; Send Text to a contact picked from the list', async () => {
		ctx.sandbox.wachatpro.incoming({ from: '6281211110003', text: 'Halo' });
		const chat = (await search('searchChats', '6281211110003')).results[0];
		const messages = await runWaChatPro(ctx.sandbox, 'chat', 'getMessages', {
			mobile: rl('list', String(chat.value)),
			returnAll: true,
		});
		expect(messages.error).toBeUndefined();
		expect(messages.items.map((item) => item.json.body)).toContain('Halo');

		const sent = await runWaChatPro(ctx.sandbox, 'message', 'sendText', {
			recipient: rl('list', '919812345678'),
			text: 'Hi',
			sendingOptions: { maxAttempts: 1 },
		});
		expect(sent.error).toBeUndefined();
		expect(ctx.sandbox.accepted.map((m) => [m.to, m.content])).toEqual([['919812345678', 'Hi']]);
	});

	test("an AI agent's $fromAI() inside the phone mode, and a typed local number", async () => {
		const result = await runWaChatPro(
			ctx.sandbox,
			'message',
			'sendText',
			{
				recipient: rl('phone', fromAi('team_number')),
				text: 'Summary',
				sendingOptions: { maxAttempts: 1 },
			},
			{ items: [{ json: { team_number: '+62 812-5555-0101' } as IDataObject }] },
		);
		expect(result.error).toBeUndefined();
		const typed = await runWaChatPro(ctx.sandbox, 'chat', 'getMessages', {
			mobile: rl('phone', '0812 1111 0002'),
			limit: 1,
		});
		expect(typed.error).toBeUndefined();
		expect(ctx.sandbox.accepted.map((m) => m.to)).toEqual(['6281255550101']);
		expect(
			ctx.sandbox
				.requestsTo('wachatpro', '/wa/messages')
				.map((request) => (request.body as IDataObject).phone),
		).toEqual(['6281211110002']);
	});
});
