/**
 * Preloaded into every n8n process that dev, e2e and bench start (NODE_OPTIONS=--require, see n8nEnv in
 * process.ts): n8n may talk to loopback only. A DNS lookup of any other name, or a TCP connect to a non-loopback IP,
 * fails at once (as an offline machine would: ENOTFOUND / ECONNREFUSED) and prints one line
 *
 *   [offline-guard] refused <what> <host>[:port] (from <first caller outside node_modules/internal, if any>)
 *
 * and appends it to $OFFLINE_GUARD_LOG (n8nEnv: <user folder>/offline-guard.log). e2e fails when a log holds such a
 * line or a failed lookup/connect to a non-loopback host (e2e/offline.ts). The env vars in n8nEnv turn off what
 * n8n calls by itself; this guard makes a call that is still left over loud instead of a wait on a real network.
 * Plain CommonJS without dependencies: it runs in n8n's Node before any of n8n's code.
 */
'use strict';

const dns = require('node:dns');
const fs = require('node:fs');
const net = require('node:net');

const MARK = '[offline-guard]';

function isLoopbackName(host) {
	if (typeof host !== 'string' || host === '') return true; // no host: Node connects to localhost
	const name = host
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	if (name === 'localhost' || name.endsWith('.localhost')) return true;
	const family = net.isIP(name);
	if (family === 4) return name.startsWith('127.') || name === '0.0.0.0';
	if (family === 6) return name === '::1' || name === '::' || /^::ffff:127\./.test(name);
	return false;
}

function report(what, host, port) {
	const frames = (new Error().stack || '').split('\n').slice(3);
	const caller = frames.find((frame) => !/node:|offline-guard|\(internal\//.test(frame));
	const where = caller ? ` (from ${caller.trim().replace(/^at /, '')})` : '';
	const line = `${MARK} refused ${what} ${host}${port ? `:${port}` : ''}${where}\n`;
	process.stderr.write(line);
	// Also into one file per user folder, so the e2e check sees the CLI's and every queue process's attempts too.
	if (process.env.OFFLINE_GUARD_LOG) {
		try {
			fs.appendFileSync(
				process.env.OFFLINE_GUARD_LOG,
				`${new Date().toISOString()} pid ${process.pid} ${line}`,
			);
		} catch {
			/* the stderr line is enough */
		}
	}
}

function refusal(code, syscall, host) {
	const error = new Error(
		`${syscall} ${code} ${host} (refused by scripts/n8n/offline-guard.cjs: loopback only)`,
	);
	error.code = code;
	error.errno = code === 'ENOTFOUND' ? -3008 : -111;
	error.syscall = syscall;
	error.hostname = host;
	return error;
}

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
	if (!isLoopbackName(hostname)) {
		const done = typeof options === 'function' ? options : callback;
		report('DNS lookup of', hostname);
		process.nextTick(() => done(refusal('ENOTFOUND', 'getaddrinfo', hostname)));
		return {};
	}
	return lookup.apply(this, arguments);
};

const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function guardedPromisesLookup(hostname, ...rest) {
	if (!isLoopbackName(hostname)) {
		report('DNS lookup of', hostname);
		return Promise.reject(refusal('ENOTFOUND', 'getaddrinfo', hostname));
	}
	return promisesLookup.call(this, hostname, ...rest);
};

// An IP literal skips DNS: refuse the connect itself. Names were handled above; unix sockets (path) pass.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
	const first = Array.isArray(args[0]) ? args[0][0] : args[0];
	const options =
		first !== null && typeof first === 'object' ? first : { port: first, host: args[1] };
	const host = typeof options.host === 'string' ? options.host : undefined;
	if (options.path === undefined && host && net.isIP(host) && !isLoopbackName(host)) {
		report('connect to', host, options.port);
		const error = refusal('ECONNREFUSED', 'connect', host);
		process.nextTick(() => this.destroy(error));
		return this;
	}
	return connect.apply(this, args);
};

module.exports = { MARK, isLoopbackName };
