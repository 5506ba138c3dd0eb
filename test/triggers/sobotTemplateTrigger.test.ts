/** Sobot Template Trigger: poll() in n8n-core's PollContext against the sandbox's template listing and review route. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SobotTemplateTrigger } from '../../nodes/SobotTemplateTrigger/SobotTemplateTrigger.node';
import type { Sandbox } from '../../sandbox/server';
import { PollHarness } from '../harness/poll';
import { useSandbox } from '../harness/sandbox';
import { ACCESS_KEY, SECRET_KEY, sobotCredentials } from '../sobot/helpers';

const ctx = useSandbox();

function trigger(
	sandbox: Sandbox,
	parameters: INodeParameters = {},
	staticData?: IDataObject,
): PollHarness {
	return new PollHarness({
		node: new SobotTemplateTrigger(),
		parameters,
		credentials: sobotCredentials(sandbox),
		staticData,
	});
}

/** Creates a template through Sobot's API, as the Sobot node's Template → Create does. */
async function createTemplate(sandbox: Sandbox, name: string): Promise<void> {
	const response = await fetch(`${sandbox.baseUrl('sobot')}/api/template/`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-api-key': ACCESS_KEY,
			'x-api-secret': SECRET_KEY,
		},
		body: JSON.stringify({
			category: 'MARKETING',
			entity_name: name,
			template_type: 'TEXT',
			lang_code: 'en',
			body: `Body of ${name}`,
		}),
	});
	expect(response.status).toBe(201);
}

async function review(
	sandbox: Sandbox,
	name: string,
	status: 'approved' | 'rejected',
	reason?: string,
): Promise<void> {
	const response = await fetch(`${sandbox.baseUrl('sobot')}/__sandbox/templates/${name}/review`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ status, reason }),
	});
	expect(response.status).toBe(200);
}

describe('Sobot Template Trigger', () => {
	it('fires once when a pending template is approved, and not for templates approved before activation', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		expect(await poller.poll()).toBeNull(); // four approved and one rejected template are seeded
		await createTemplate(sandbox, 'spring_sale');
		expect(await poller.poll()).toBeNull(); // pending is not watched by default
		await review(sandbox, 'spring_sale', 'approved');
		const items = await poller.pollItems();
		expect(items).toEqual([
			{
				service: 'sobot',
				event: 'template',
				name: 'spring_sale',
				language: 'en',
				status: 'approved',
				previousStatus: 'pending',
				rejectedReason: null,
				category: 'MARKETING',
				templateType: 'TEXT',
				templateId: expect.stringMatching(/^\d+$/),
				updatedAt: expect.stringMatching(/^\d{4}-/),
				checkedAt: expect.stringMatching(/^\d{4}-/),
				raw: expect.objectContaining({ entity_name: 'spring_sale', status: 1 }),
			},
		]);
		expect(await poller.poll()).toBeNull();
		// The listing was read by status, every status.
		const statuses = sandbox
			.requestsTo('sobot', '/api/template/')
			.filter((r) => r.method === 'GET')
			.map((r) => r.query.status);
		expect(new Set(statuses)).toEqual(new Set(['0', '1', '2']));
	});

	it('fires for a rejection with its reason, and for a template created and approved between two polls', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		await poller.poll();
		await review(sandbox, 'diwali_sale', 'rejected', 'Too many emojis');
		await createTemplate(sandbox, 'flash_deal');
		await review(sandbox, 'flash_deal', 'approved');
		const items = await poller.pollItems();
		expect(
			items?.map(({ name, status, previousStatus, rejectedReason }) => ({
				name,
				status,
				previousStatus,
				rejectedReason,
			})),
		).toEqual([
			{
				name: 'diwali_sale',
				status: 'rejected',
				previousStatus: 'pending',
				rejectedReason: 'Too many emojis',
			},
			{ name: 'flash_deal', status: 'approved', previousStatus: null, rejectedReason: null },
		]);
		expect(await poller.poll()).toBeNull();
	});

	it('watches only the chosen names and statuses', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox, {
			templates: 'names',
			templateNames: 'Watched_One, not_created_yet',
			statuses: ['approved', 'pending'],
		});
		await poller.poll();
		await createTemplate(sandbox, 'watched_one');
		await createTemplate(sandbox, 'other_one');
		expect((await poller.pollItems())?.map((item) => [item.name, item.status])).toEqual([
			['watched_one', 'pending'],
		]);
		await review(sandbox, 'other_one', 'approved');
		await review(sandbox, 'watched_one', 'rejected');
		expect(await poller.poll()).toBeNull(); // rejected is not watched here, other_one is not chosen
		await expect(trigger(sandbox, { statuses: [] }).poll()).rejects.toThrow(
			/^Statuses: choose at least one/,
		);
		await expect(
			trigger(sandbox, { templates: 'names', templateNames: ' , ' }).poll(),
		).rejects.toThrow(/^Template Names: enter at least one/);
	});

	it('follows every page of the listing and keeps working after a reload of its memory (a restart)', async () => {
		const { sandbox } = ctx;
		for (let i = 0; i < 45; i++)
			await createTemplate(sandbox, `bulk_${String(i).padStart(2, '0')}`);
		const first = trigger(sandbox);
		await first.poll();
		await review(sandbox, 'bulk_44', 'approved'); // on the third page of pending templates
		const second = trigger(sandbox, {}, first.staticData);
		expect((await second.pollItems())?.map((item) => item.name)).toEqual(['bulk_44']);
		expect(await trigger(sandbox, {}, second.staticData).poll()).toBeNull();
		expect(
			sandbox.requestsTo('sobot', '/api/template/').some((request) => request.query.page === '3'),
		).toBe(true);
	});

	it('"Fetch Test Event" returns the most recently updated watched template and leaves the memory alone', async () => {
		const { sandbox } = ctx;
		await createTemplate(sandbox, 'newest_one');
		await review(sandbox, 'newest_one', 'approved');
		const poller = trigger(sandbox);
		expect((await poller.pollItems('manual'))?.map((item) => [item.name, item.status])).toEqual([
			['newest_one', 'approved'],
		]);
		expect(poller.saves).toBe(0);
		expect(await poller.poll()).toBeNull(); // the first scheduled poll is still the quiet baseline
	});

	it('fails a poll on wrong keys and changes nothing it remembers', async () => {
		const { sandbox } = ctx;
		const poller = trigger(sandbox);
		await poller.poll();
		const saved = poller.saved;
		const wrong = new PollHarness({
			node: new SobotTemplateTrigger(),
			parameters: {},
			credentials: {
				sobotApi: { apiKey: 'wrong', secretKey: 'wrong', baseUrl: sandbox.baseUrl('sobot') },
			},
			staticData: poller.staticData,
		});
		await expect(wrong.poll()).rejects.toThrow(/401/);
		expect(wrong.saved).toBe(saved);
	});
});
