/**
 * Fault injection. Each fault kind says whether the gateway acted on the request before failing, which is
 * what decides whether a client's retry can duplicate a message:
 * - not processed, so a retry can never duplicate: `429`, `502`, `503`, and `refuse` (socket closed before the
 *   request is read; the client sees a connection reset, which it cannot tell from `drop`, so clients must treat
 *   it as uncertain even though the sandbox knows it was not acted on);
 * - processed, reply lost (a retry duplicates): `drop` (socket destroyed after acting), `timeout` (reply held back);
 * - `500`: processed or not, decided per request (half each), as a real server error would be;
 * - `latency`: just slow.
 */
import { seededRandom } from './random';

export type FaultKind = '429' | '500' | '502' | '503' | 'refuse' | 'drop' | 'timeout' | 'latency';
export const FAULT_KINDS: FaultKind[] = [
	'429',
	'500',
	'502',
	'503',
	'refuse',
	'drop',
	'timeout',
	'latency',
];

export interface FaultConfig {
	/** Share of matching requests that get a fault, 0..1. */
	rate: number;
	/** Relative weights of the kinds; kinds left out are not injected. Default: all equally. */
	kinds?: Partial<Record<FaultKind, number>>;
	seed?: number;
	/** `Retry-After` seconds on 429 (0 allowed). */
	retryAfterSeconds?: number;
	/** Extra delay for `latency` faults, ms. */
	latencyMs?: number;
	/** How long a `timeout` fault holds the reply, ms (longer than the client's timeout). */
	holdMs?: number;
	/** Only requests whose path matches this regular expression get faults. Admin paths never do. */
	pathPattern?: string;
}

export interface FaultDecision {
	kind: FaultKind;
	/** Whether the gateway acts on the request (stores, sends the message) before the fault shows. */
	processed: boolean;
}

export class FaultInjector {
	private config: FaultConfig = { rate: 0 };

	private random = seededRandom(1);

	private pattern: RegExp | undefined;

	readonly injected: Record<string, number> = {};

	configure(config: FaultConfig): void {
		if (!(config.rate >= 0 && config.rate <= 1)) throw new Error('rate must be between 0 and 1');
		this.config = { ...config };
		this.random = seededRandom(config.seed ?? 1);
		this.pattern = config.pathPattern ? new RegExp(config.pathPattern) : undefined;
		for (const key of Object.keys(this.injected)) delete this.injected[key];
	}

	get current(): FaultConfig {
		return this.config;
	}

	get retryAfterSeconds(): number {
		return this.config.retryAfterSeconds ?? 1;
	}

	get latencyMs(): number {
		return this.config.latencyMs ?? 300;
	}

	get holdMs(): number {
		return this.config.holdMs ?? 5000;
	}

	decide(path: string): FaultDecision | undefined {
		if (this.config.rate <= 0) return undefined;
		if (this.pattern && !this.pattern.test(path)) return undefined;
		if (this.random() >= this.config.rate) return undefined;
		const weights = Object.entries(
			this.config.kinds ?? Object.fromEntries(FAULT_KINDS.map((k) => [k, 1])),
		).filter(([, w]) => (w ?? 0) > 0) as Array<[FaultKind, number]>;
		const total = weights.reduce((sum, [, w]) => sum + w, 0);
		let pick = this.random() * total;
		let kind = weights[weights.length - 1][0];
		for (const [k, w] of weights) {
			if ((pick -= w) < 0) {
				kind = k;
				break;
			}
		}
		const processed =
			kind === 'drop' ||
			kind === 'timeout' ||
			kind === 'latency' ||
			(kind === '500' && this.random() < 0.5);
		this.injected[kind] = (this.injected[kind] ?? 0) + 1;
		return { kind, processed };
	}
}
