/**
 * Which IP addresses a webhook-supplied URL must never reach: loopback, private, link-local, carrier-grade
 * NAT, documentation, multicast and reserved ranges, in IPv4 and IPv6 (including IPv4 hidden inside IPv6).
 * Works on IP literals only: node code cannot resolve names itself (see media.ts for how names are checked).
 */

/** IPv4 ranges that are not the public internet, as [network address octets..., prefix length]. */
const INTERNAL_V4: Array<[number, number, number, number, number]> = [
	[0, 0, 0, 0, 8], // "this network"
	[10, 0, 0, 0, 8],
	[100, 64, 0, 0, 10], // carrier-grade NAT
	[127, 0, 0, 0, 8],
	[169, 254, 0, 0, 16], // link-local, cloud metadata services
	[172, 16, 0, 0, 12],
	[192, 0, 0, 0, 24],
	[192, 0, 2, 0, 24],
	[192, 88, 99, 0, 24],
	[192, 168, 0, 0, 16],
	[198, 18, 0, 0, 15],
	[198, 51, 100, 0, 24],
	[203, 0, 113, 0, 24],
	[224, 0, 0, 0, 4], // multicast
	[240, 0, 0, 0, 4], // reserved and broadcast
];

export function parseIpv4(text: string): number[] | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	const octets = parts.map(Number);
	return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** Eight 16-bit groups, or undefined when `text` is not an IPv6 address (a zone id `%eth0` is dropped). */
export function parseIpv6(text: string): number[] | undefined {
	let address = text
		.replace(/^\[|\]$/g, '')
		.split('%')[0]
		.toLowerCase();
	if (!address.includes(':')) return undefined;
	const tail: number[] = [];
	const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(address);
	if (v4) {
		const octets = parseIpv4(v4[2]);
		if (!octets) return undefined;
		tail.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
		address = v4[1].endsWith('::') ? v4[1] : v4[1].slice(0, -1);
	}
	const halves = address.split('::');
	if (halves.length > 2) return undefined;
	const toGroups = (part: string) => (part === '' ? [] : part.split(':'));
	const head = toGroups(halves[0]);
	const rest = halves.length === 2 ? toGroups(halves[1]) : [];
	if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
	const explicit = head.length + rest.length + tail.length;
	if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
	const zeros = new Array<number>(8 - explicit).fill(0);
	return [
		...head.map((g) => parseInt(g, 16)),
		...zeros,
		...rest.map((g) => parseInt(g, 16)),
		...tail,
	];
}

function v4Internal(octets: number[]): boolean {
	const value = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
	return INTERNAL_V4.some(([a, b, c, d, prefix]) => {
		const network = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
		const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
		return (value & mask) >>> 0 === network;
	});
}

function v6Internal(groups: number[]): boolean {
	const embeddedV4 = [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
	const firstFiveZero = groups.slice(0, 5).every((g) => g === 0);
	// ::/96 (unspecified, loopback, IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped): judge the IPv4 inside.
	if (firstFiveZero && (groups[5] === 0 || groups[5] === 0xffff)) {
		return groups[5] === 0 && groups[6] === 0 ? true : v4Internal(embeddedV4);
	}
	// 64:ff9b::/96 (NAT64) also carries an IPv4 address.
	if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0))
		return v4Internal(embeddedV4);
	if ((groups[0] & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
	if ((groups[0] & 0xffc0) === 0xfe80 || (groups[0] & 0xffc0) === 0xfec0) return true; // link-local, old site-local
	if ((groups[0] & 0xff00) === 0xff00) return true; // multicast
	if (groups[0] === 0x2001 && groups[1] === 0x0db8) return true; // documentation
	if (groups[0] === 0x0100 && groups.slice(1, 4).every((g) => g === 0)) return true; // discard-only 100::/64
	return false;
}

/** The host as an IP literal, when it is one. */
export function ipLiteral(host: string): { version: 4 | 6; internal: boolean } | undefined {
	const v4 = parseIpv4(host);
	if (v4) return { version: 4, internal: v4Internal(v4) };
	const v6 = parseIpv6(host);
	if (v6) return { version: 6, internal: v6Internal(v6) };
	return undefined;
}
