/** The pieces of the media SSRF guard that need no network: IP ranges and the host allow-list. */
import { ipLiteral, parseIpv6 } from '../../nodes/shared/webhook/address';
import { findHostRule, parseHostList } from '../../nodes/shared/webhook/hosts';

describe('internal addresses', () => {
	it.each([
		'127.0.0.1',
		'127.255.0.9',
		'10.1.2.3',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.1',
		'169.254.169.254',
		'100.64.0.1',
		'0.0.0.0',
		'224.0.0.1',
		'255.255.255.255',
		'::1',
		'::',
		'::ffff:127.0.0.1',
		'::ffff:7f00:1',
		'::ffff:10.0.0.1',
		'64:ff9b::a9fe:a9fe',
		'fc00::1',
		'fd12:3456::1',
		'fe80::1%eth0',
		'ff02::1',
		'[::1]',
	])('%s is internal', (address) => {
		expect(ipLiteral(address)).toMatchObject({ internal: true });
	});

	it.each([
		'8.8.8.8',
		'172.32.0.1',
		'100.128.0.1',
		'2606:4700:4700::1111',
		'::ffff:8.8.8.8',
		'64:ff9b::808:808',
	])('%s is public', (address) => {
		expect(ipLiteral(address)).toMatchObject({ internal: false });
	});

	it.each(['media.sobot.in', '1.2.3', '256.1.1.1', '1:2:3', '1::2::3', 'localhost'])(
		'%s is not an IP literal',
		(host) => {
			expect(ipLiteral(host)).toBeUndefined();
		},
	);

	it('expands IPv6 forms', () => {
		expect(parseIpv6('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
		expect(parseIpv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
		expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	});
});

describe('media host allow-list', () => {
	const rules = parseHostList('*.sobot.in, cdn.example.com\n127.0.0.1  ::1');

	it.each([
		['media.sobot.in', '*.sobot.in'],
		['a.b.sobot.in', '*.sobot.in'],
		['MEDIA.SOBOT.IN.', '*.sobot.in'],
		['cdn.example.com', 'cdn.example.com'],
		['127.0.0.1', '127.0.0.1'],
		['[::1]', '::1'],
		['0:0:0:0:0:0:0:1', '::1'],
	])('%s matches %s', (host, pattern) => {
		expect(findHostRule(rules, host)?.pattern).toBe(pattern);
	});

	it.each([
		'sobot.in',
		'evilsobot.in',
		'sobot.in.example.net',
		'x.cdn.example.com',
		'127.0.0.2',
		'2130706433',
	])('%s matches nothing', (host) => {
		expect(findHostRule(rules, host)).toBeUndefined();
	});

	it('marks only IP literals as able to reach internal addresses', () => {
		expect(rules.map((rule) => rule.isIp)).toEqual([false, false, true, true]);
	});
});
