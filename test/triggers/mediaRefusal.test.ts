/**
 * Where Sobot's media really lives is undocumented, so a refused download must say which host to add. The message
 * still starts the workflow; nothing is fetched from a host that is not allowed.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';

import { SobotTrigger } from '../../nodes/SobotTrigger/SobotTrigger.node';
import { useSandbox } from '../harness/sandbox';
import { admin, listen } from './helpers';

const ctx = useSandbox();

async function incomingImage(url: string): Promise<void> {
	await admin(ctx.sandbox, '/incoming', {
		vendor: 'sobot',
		from: '919812345678',
		media: {
			type: 'image',
			mime_type: 'image/png',
			data: Buffer.from('png').toString('base64'),
			url,
		},
	});
}

describe('Sobot Trigger: a refused media download names the host to add', () => {
	const servers: Server[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
	});

	it('a media URL on a host outside the default *.sobot.in', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			downloadMedia: true,
		});
		await incomingImage('https://media.cdn-for-sobot.example/files/abc.png');
		const [item] = endpoint.executions[0];
		expect((item.json.media as IDataObject).downloadError).toBe(
			"The host media.cdn-for-sobot.example is not in the allowed media hosts: if it is your gateway's media host, add media.cdn-for-sobot.example to Allowed Hosts in Media Download Options",
		);
		expect((item.json.media as IDataObject).url).toBe(
			'https://media.cdn-for-sobot.example/files/abc.png',
		);
		expect(item.binary).toBeUndefined();
	});

	it('a redirect to another host says where it was redirected from and to', async () => {
		const redirector = createServer((_req, res) => {
			res.writeHead(302, { location: 'https://files.other-cdn.example/abc.png' });
			res.end();
		});
		servers.push(redirector);
		await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', () => resolve()));
		const port = (redirector.address() as AddressInfo).port;
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			downloadMedia: true,
			mediaOptions: { allowedHosts: '127.0.0.1', allowHttp: true },
		});
		await incomingImage(`http://127.0.0.1:${port}/abc.png`);
		expect((endpoint.executions[0][0].json.media as IDataObject).downloadError).toBe(
			"127.0.0.1 redirected to files.other-cdn.example: The host files.other-cdn.example is not in the allowed media hosts: if it is your gateway's media host, add files.other-cdn.example to Allowed Hosts in Media Download Options",
		);
	});

	it('an internal address is not suggested as a host to add', async () => {
		const endpoint = await listen(ctx.sandbox, 'sobot', new SobotTrigger(), {
			downloadMedia: true,
		});
		await incomingImage('https://10.0.0.5/abc.png');
		expect((endpoint.executions[0][0].json.media as IDataObject).downloadError).toBe(
			'The host 10.0.0.5 is not in the allowed media hosts (an internal address: downloaded from only when that very address is in Allowed Hosts)',
		);
	});
});
