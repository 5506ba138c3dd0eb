/**
 * The media host allow-list. Entries are exact host names (`media.sobot.in`), subdomain patterns
 * (`*.sobot.in`: any subdomain, not the bare domain) or IP literals (`127.0.0.1`, `::1`).
 */
import { ipLiteral } from './address';

export interface HostRule {
	pattern: string;
	/** An IP literal written by the workflow's owner: the one way to let downloads reach an internal address. */
	isIp: boolean;
}

export function parseHostList(text: string): HostRule[] {
	return text
		.split(/[\s,]+/)
		.map((entry) => normaliseHost(entry))
		.filter((entry) => entry !== '')
		.map((pattern) => ({ pattern, isIp: ipLiteral(pattern) !== undefined }));
}

/** Lower case, no brackets around IPv6, no trailing dot (`sobot.in.` is `sobot.in`). */
export function normaliseHost(host: string): string {
	return host
		.trim()
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
}

export function findHostRule(rules: HostRule[], host: string): HostRule | undefined {
	const name = normaliseHost(host);
	return rules.find((rule) => {
		if (rule.pattern.startsWith('*.')) {
			const suffix = rule.pattern.slice(1);
			return (
				!rule.isIp &&
				name.endsWith(suffix) &&
				name.length > suffix.length &&
				ipLiteral(name) === undefined
			);
		}
		if (rule.isIp) {
			// `::1` and `0:0:0:0:0:0:0:1` are one address: compare IPs by value.
			return ipLiteral(name) !== undefined && sameIp(rule.pattern, name);
		}
		return rule.pattern === name;
	});
}

function sameIp(a: string, b: string): boolean {
	const canonical = (ip: string) =>
		new URL(`http://${ip.includes(':') ? `[${ip}]` : ip}/`).hostname;
	try {
		return canonical(a) === canonical(b);
	} catch {
		return false;
	}
}
