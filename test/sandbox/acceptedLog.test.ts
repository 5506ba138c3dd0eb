/**
 * What the sandbox accepted survives a restart of its process when it keeps a log file (`npm run dev`), and
 * `GET /__admin/accepted/summary` counts it per recipient: the "killed mid-campaign, re-run, exactly once" check.
 */
import axios from 'axios';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { DEFAULT_CREDENTIALS, startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';

const { apiKey, apiSecret, agents } = DEFAULT_CREDENTIALS.profilora;

async function send(sandbox: Sandbox, to: string, message: string) {
	const reply = await axios.post(
		`${sandbox.baseUrl('profilora')}/whatsapp/send-message`,
		{ sender: agents[0], to: `${to}@s.whatsapp.net`, message },
		{ auth: { username: apiKey, password: apiSecret } },
	);
	expect(reply.status).toBe(200);
}

async function summary(sandbox: Sandbox, query = '') {
	return (await axios.get(`${sandbox.url}/__admin/accepted/summary${query}`)).data as {
		fromEarlierRuns: number;
		total: number;
		exactlyOnce: number;
		repeated: number;
		recipients: Array<{ vendor: string; to: string; messages: number; repeats: number }>;
	};
}

describe('sandbox: accepted messages kept across restarts', () => {
	let dir: string;
	let file: string;
	const running: Sandbox[] = [];
	const start = async () => {
		const sandbox = await startSandbox({ acceptedLogFile: file });
		running.push(sandbox);
		return sandbox;
	};
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-accepted-'));
		file = path.join(dir, 'dev', 'sandbox-accepted.jsonl');
	});
	afterEach(async () => {
		for (const sandbox of running.splice(0)) await sandbox.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	test('a second sandbox on the same file starts with what the first accepted, and the summary counts both runs', async () => {
		const first = await start();
		await send(first, '6281234567890', 'Order A-1 shipped');
		await send(first, '6281234567891', 'Order A-2 shipped');
		expect(await summary(first)).toMatchObject({ fromEarlierRuns: 0, total: 2, exactlyOnce: 2 });
		await first.stop();

		const second = await start();
		expect(second.accepted).toHaveLength(2);
		// The re-run sends the first customer the same text again (a duplicate) and a third customer theirs.
		await send(second, '6281234567890', 'Order A-1 shipped');
		await send(second, '6281234567892', 'Order A-3 shipped');
		const counted = await summary(second);
		expect(counted).toMatchObject({ fromEarlierRuns: 2, total: 4, exactlyOnce: 2, repeated: 1 });
		expect(counted.recipients).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ to: '6281234567890@s.whatsapp.net', messages: 2, repeats: 1 }),
				expect.objectContaining({ to: '6281234567891@s.whatsapp.net', messages: 1, repeats: 0 }),
			]),
		);
		expect((await summary(second, '?vendor=sobot')).total).toBe(0);
		const since = second.accepted[2].at;
		expect((await summary(second, `?since=${encodeURIComponent(since)}`)).total).toBe(2);
	});

	test('a line torn by a crash in the middle of a write is skipped, the others kept', async () => {
		const first = await start();
		await send(first, '6281234567890', 'one');
		await first.stop();
		fs.appendFileSync(file, '{"vendor":"profilora","id":"x","to":"62812');
		const second = await start();
		expect(second.accepted).toHaveLength(1);
		await send(second, '6281234567893', 'two');
		await second.stop();
		// The next line starts on its own line, so the record after the torn one still reads.
		const third = await start();
		expect(third.accepted.map((m) => m.to)).toEqual([
			'6281234567890@s.whatsapp.net',
			'6281234567893@s.whatsapp.net',
		]);
	});

	test('POST /__admin/reset forgets the file too', async () => {
		const first = await start();
		await send(first, '6281234567890', 'one');
		await axios.post(`${first.url}/__admin/reset`);
		expect(await summary(first)).toMatchObject({ fromEarlierRuns: 0, total: 0 });
		await first.stop();
		const second = await start();
		expect(second.accepted).toHaveLength(0);
	});
});
