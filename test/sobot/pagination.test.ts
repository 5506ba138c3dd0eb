import { followNextLinks, nextLinkPath, readNextLink } from '../../nodes/shared/http/pagination';
import { useSandbox } from '../harness/sandbox';
import { runSobot } from './helpers';

const ctx = useSandbox();

describe('shared next-link pagination', () => {
	const pages: Record<string, { items: Array<{ n: number }>; next: string | null }> = {
		first: { items: [{ n: 1 }, { n: 2 }], next: 'p2' },
		p2: { items: [{ n: 3 }, { n: 4 }], next: 'p3' },
		p3: { items: [{ n: 5 }], next: null },
	};
	const fetched: string[] = [];
	const fetchPage = async (next: string | undefined) => {
		fetched.push(next ?? 'first');
		return pages[next ?? 'first'];
	};
	beforeEach(() => (fetched.length = 0));

	test('follows every link for all items, and stops at a limit without fetching further pages', async () => {
		expect((await followNextLinks(fetchPage)).map((item) => item.n)).toEqual([1, 2, 3, 4, 5]);
		expect(fetched).toEqual(['first', 'p2', 'p3']);
		fetched.length = 0;
		expect((await followNextLinks(fetchPage, { limit: 3 })).map((item) => item.n)).toEqual([
			1, 2, 3,
		]);
		expect(fetched).toEqual(['first', 'p2']);
	});

	test('stops when the item looked for is found', async () => {
		const found = await followNextLinks(fetchPage, { until: (item) => item.n === 2 });
		expect(found.map((item) => item.n)).toEqual([1, 2]);
		expect(fetched).toEqual(['first']);
	});

	test('refuses a next link that repeats, and too many pages', async () => {
		await expect(followNextLinks(async () => ({ items: [{}], next: 'same' }))).rejects.toThrow(
			/repeats/,
		);
		let page = 0;
		await expect(
			followNextLinks(async () => ({ items: [], next: `p${++page}` }), { maxPages: 5 }),
		).rejects.toThrow(/more than 5 pages/);
	});

	test('readNextLink takes only a non-empty string', () => {
		expect(readNextLink({ next: ' https://x/a?page=2 ' })).toBe('https://x/a?page=2');
		expect(readNextLink({ next: null })).toBeUndefined();
		expect(readNextLink({ next: '' })).toBeUndefined();
		expect(readNextLink([1])).toBeUndefined();
	});

	test("nextLinkPath follows links on the credential's host and keeps only the query of any other", () => {
		const base = 'http://127.0.0.1:9000/sobot';
		expect(
			nextLinkPath('http://127.0.0.1:9000/sobot/api/customer?page=2', base, '/api/customer'),
		).toBe('http://127.0.0.1:9000/sobot/api/customer?page=2');
		expect(nextLinkPath('https://api.sobot.in/api/customer?page=2', base, '/api/customer')).toBe(
			'/api/customer?page=2',
		);
		expect(
			nextLinkPath('http://127.0.0.1:9000/elsewhere/api/customer?page=2', base, '/api/customer'),
		).toBe('/api/customer?page=2');
		expect(
			nextLinkPath('http://127.0.0.1:9000/sobotx/api/customer?page=2', base, '/api/customer'),
		).toBe('/api/customer?page=2');
		expect(
			nextLinkPath(
				'http://127.0.0.1:9000/api/customer?page=2',
				'http://127.0.0.1:9000',
				'/api/customer',
			),
		).toBe('http://127.0.0.1:9000/api/customer?page=2');
		expect(nextLinkPath('/api/template/?status=1&page=3', base, '/api/template/?status=1')).toBe(
			'/api/template/?status=1&page=3',
		);
		expect(nextLinkPath('?page=4', base, '/api/customer')).toBe('/api/customer?page=4');
	});
});

describe('Sobot next links that name another host', () => {
	test("are followed on the credential's base URL, so the keys never go to the host the link names", async () => {
		ctx.sandbox.sobot.linkBaseUrl = 'https://api.sobot.in';
		for (let i = 0; i < 30; i++) {
			ctx.sandbox.sobot.templates.push({
				...ctx.sandbox.sobot.templates[0],
				id: 500 + i,
				entity_name: `t_${i}`,
			});
		}
		const result = await runSobot(ctx.sandbox, 'template', 'getAll', {
			status: 'approved',
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(34);
		expect(ctx.sandbox.requestsTo('sobot', '/api/template/').map((r) => r.query)).toEqual([
			{ status: '1' },
			{ status: '1', page: '2' },
		]);
	});
});
