import { useSandbox } from '../harness/sandbox';
import { expectNoSecrets } from '../harness/secrets';
import { ACCESS_KEY, SECRET_KEY, errorText, runSobot } from './helpers';

const ctx = useSandbox();

describe('Sobot › Customer › Add', () => {
	test("sends every documented field in Sobot's form, with the key headers", async () => {
		const result = await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '+91 98123-45678',
			customerName: 'Priya Sharma',
			additionalFields: {
				email: 'priya@example.com',
				gender: 'female',
				dateOfBirth: '1990-04-07',
				facebookProfile: 'https://facebook.com/priya',
				linkedinProfile: 'https://linkedin.com/in/priya',
				twitterProfile: 'https://twitter.com/priya',
				extraFields: {
					field: [
						{ key: 'city', value: 'Pune' },
						{ key: 'tier', value: 'gold' },
					],
				},
				labels: ['vip', 'newsletter'],
			},
		});
		expect(result.error).toBeUndefined();
		const [request] = ctx.sandbox.requestsTo('sobot', '/api/customer');
		expect(request.method).toBe('POST');
		expect(request.headers['x-api-key']).toBe(ACCESS_KEY);
		expect(request.headers['x-api-secret']).toBe(SECRET_KEY);
		expect(request.body).toEqual({
			mobile: '919812345678',
			name: 'Priya Sharma',
			email: 'priya@example.com',
			gender: 'Famale',
			date_of_birth: '07-04-1990',
			facebook_profile: 'https://facebook.com/priya',
			linkedin_profile: 'https://linkedin.com/in/priya',
			twitter_profile: 'https://twitter.com/priya',
			extra_fields: { city: 'Pune', tier: 'gold' },
			labels: ['vip', 'newsletter'],
		});
		expect(result.items).toEqual([
			{
				json: {
					mobile: '919812345678',
					action: 'added',
					message: 'Customer added successfully',
					code: 201,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(ctx.sandbox.sobot.customers.get('919812345678')).toMatchObject({
			gender: 'Famale',
			labels: ['vip', 'newsletter'],
		});
		expectNoSecrets(result, [ACCESS_KEY, SECRET_KEY]);
	});

	test('"Customer already exists" (HTTP 200, code 400 in the body) is a clear error', async () => {
		await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '919812345678',
			customerName: 'Priya',
		});
		const result = await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '919812345678',
			customerName: 'Priya',
		});
		expect(ctx.sandbox.requestsTo('sobot', '/api/customer')[1].status).toBe(200);
		expect(errorText(result)).toBe(
			'Sobot rejected the request (HTTP 200, error code 400 in the body): Customer already exists',
		);
	});

	test('with "Update If It Exists" an existing customer is updated instead', async () => {
		await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '919812345678',
			customerName: 'Priya',
			additionalFields: { labels: ['old'] },
		});
		const result = await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '919812345678',
			customerName: 'Priya S',
			updateIfExists: true,
			additionalFields: { labels: ['new'] },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			mobile: '919812345678',
			action: 'updated',
			code: 200,
		});
		const [put] = ctx.sandbox.requestsTo('sobot', '/api/customer/919812345678');
		expect(put.method).toBe('PUT');
		expect(put.body).toEqual({ name: 'Priya S', labels: ['new'] });
		expect(ctx.sandbox.sobot.customers.get('919812345678')).toMatchObject({
			name: 'Priya S',
			labels: ['new'],
		});
	});

	test('"Invalid mobile number" from Sobot (HTTP 400) reaches the user; numbers that cannot be phone numbers never leave', async () => {
		// The sandbox refuses numbers ending in 0000, which pass the node's own checks.
		const refused = await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '+91 98123 40000',
			customerName: 'X',
		});
		expect(errorText(refused)).toBe('Sobot rejected the request (HTTP 400): Invalid mobile number');

		ctx.sandbox.requests.length = 0;
		const local = await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '+91 98123 456789 123',
			customerName: 'X',
		});
		expect(errorText(local)).toMatch(/^Mobile \(item 0\): .*more than 15 digits/);
		expect(ctx.sandbox.requestsTo('sobot')).toHaveLength(0);
	});

	test.each([
		[
			'a name over 100 characters',
			{ customerName: 'x'.repeat(101) },
			/^Customer Name \(item 0\): is 101 characters long; the most allowed is 100/,
		],
		[
			'a bad email',
			{ additionalFields: { email: 'not-an-email' } },
			/^Additional Fields › Email \(item 0\): "not-an-email" is not an email address/,
		],
		[
			'an unknown gender',
			{ additionalFields: { gender: 'other' } },
			/^Additional Fields › Gender \(item 0\): "other" is not Male or Female/,
		],
		[
			'an impossible date',
			{ additionalFields: { dateOfBirth: '31-02-1990' } },
			/^Additional Fields › Date of Birth \(item 0\): "31-02-1990" is not a date/,
		],
		[
			'an extra field key with a space',
			{ additionalFields: { extraFields: { field: [{ key: 'home city', value: 'Pune' }] } } },
			/^Additional Fields › Extra Fields › Key \(item 0\): "home city" contains a space/,
		],
		[
			'a repeated extra field key',
			{
				additionalFields: {
					extraFields: {
						field: [
							{ key: 'a', value: '1' },
							{ key: 'a', value: '2' },
						],
					},
				},
			},
			/^Additional Fields › Extra Fields › Key \(item 0\): "a" is given twice/,
		],
	])('refuses %s before any request', async (_case, parameters, message) => {
		const result = await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '919812345678',
			customerName: 'Priya',
			...parameters,
		});
		expect(errorText(result)).toMatch(message);
		expect(ctx.sandbox.requestsTo('sobot')).toHaveLength(0);
	});

	test('Continue On Fail: one item per input, bad ones as error items', async () => {
		const result = await runSobot(
			ctx.sandbox,
			'customer',
			'add',
			{ mobile: '={{ $json.mobile }}', customerName: '={{ $json.name }}' },
			{
				continueOnFail: true,
				items: [
					{ json: { mobile: '919800000001', name: 'A' } },
					{ json: { mobile: 'abc', name: 'B' } },
					{ json: { mobile: '919800000001', name: 'A again' } },
					{ json: { mobile: '919800000003', name: 'C' } },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(result.items[0].json.action).toBe('added');
		expect(result.items[1].json.error).toMatch(/^Mobile \(item 1\)/);
		expect(result.items[2].json).toMatchObject({
			error:
				'Sobot rejected the request (HTTP 200, error code 400 in the body): Customer already exists',
			statusCode: 400,
		});
		expect(result.items[3].json.action).toBe('added');
	});
});

describe('Sobot › Customer › Update', () => {
	test('PUTs only the given fields to /api/customer/<mobile>; labels replace the old ones', async () => {
		await runSobot(ctx.sandbox, 'customer', 'add', {
			mobile: '919812345678',
			customerName: 'Priya',
			additionalFields: { labels: ['a', 'b'] },
		});
		const result = await runSobot(ctx.sandbox, 'customer', 'update', {
			mobile: '+91 98123 45678',
			updateFields: {
				customerName: 'Priya Sharma',
				gender: 'male',
				labels: ['c'],
				extraFields: { field: [{ key: 'city', value: 'Goa' }] },
			},
		});
		expect(result.error).toBeUndefined();
		const [put] = ctx.sandbox.requestsTo('sobot', '/api/customer/919812345678');
		expect(put.method).toBe('PUT');
		expect(put.body).toEqual({
			name: 'Priya Sharma',
			gender: 'Male',
			labels: ['c'],
			extra_fields: { city: 'Goa' },
		});
		expect(result.items).toEqual([
			{
				json: {
					mobile: '919812345678',
					action: 'updated',
					message: 'Customer updated successfully',
					code: 200,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(ctx.sandbox.sobot.customers.get('919812345678')).toMatchObject({
			name: 'Priya Sharma',
			labels: ['c'],
			last_name: 'Sharma',
		});
	});

	test('an unknown customer (HTTP 200, code 404 in the body) is an error', async () => {
		const result = await runSobot(ctx.sandbox, 'customer', 'update', {
			mobile: '919812345678',
			updateFields: { customerName: 'X' },
		});
		expect(errorText(result)).toBe(
			'Sobot rejected the request (HTTP 200, error code 404 in the body): Customer not found',
		);
	});

	test('nothing to update is refused before any request', async () => {
		const result = await runSobot(ctx.sandbox, 'customer', 'update', {
			mobile: '919812345678',
			updateFields: {},
		});
		expect(errorText(result)).toMatch(/^Update Fields \(item 0\): is empty/);
		expect(ctx.sandbox.requestsTo('sobot')).toHaveLength(0);
	});
});

describe('Sobot › Customer › Get Many', () => {
	async function addCustomers(count: number) {
		await runSobot(
			ctx.sandbox,
			'customer',
			'add',
			{ mobile: '={{ $json.mobile }}', customerName: '={{ $json.name }}' },
			{
				items: Array.from({ length: count }, (_, i) => ({
					json: { mobile: `919${String(i).padStart(8, '0')}1`, name: `Customer ${i}` },
				})),
			},
		);
		ctx.sandbox.requests.length = 0;
	}

	test('Return All follows the next links across several pages', async () => {
		await addCustomers(45);
		const result = await runSobot(ctx.sandbox, 'customer', 'getAll', { returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(45);
		expect(result.items[44].json).toEqual({
			id: expect.any(Number),
			name: 'Customer 44',
			first_name: 'Customer',
			last_name: '44',
			mobile: '919000000441',
		});
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
		const pages = ctx.sandbox.requestsTo('sobot', '/api/customer');
		expect(pages.map((request) => request.query)).toEqual([{}, { page: '2' }, { page: '3' }]);
		expect(pages.every((request) => request.headers['x-api-key'] === ACCESS_KEY)).toBe(true);
	});

	test('a limit stops at the page that reaches it', async () => {
		await addCustomers(45);
		const result = await runSobot(ctx.sandbox, 'customer', 'getAll', {
			returnAll: false,
			limit: 25,
		});
		expect(result.items.map((item) => item.json.name)).toEqual(
			Array.from({ length: 25 }, (_, i) => `Customer ${i}`),
		);
		expect(ctx.sandbox.requestsTo('sobot', '/api/customer')).toHaveLength(2);
	});

	test('an empty list gives no items', async () => {
		const result = await runSobot(ctx.sandbox, 'customer', 'getAll', { returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
	});
});
