/**
 * `npm run bench`: every ratio of issue 7 side by side, in one run of a few minutes.
 *   (a) overhead: 2,000 Profilora text sends through n8n's engine vs a plain axios loop, same concurrency,
 *       same sandbox; once answering at once with concurrency 1 (pure client cost), once with 40 ms of
 *       gateway latency and concurrency 4 (closer to a real gateway);
 *   (b) pacing: 120 messages at 60 per minute, actual over intended duration;
 *   (c) memory: WAChatPro Send File with a 50 MB file, peak growth over file size, per binary mode,
 *       beside a naive buffer → base64 → JSON path for reference;
 *   (d) real n8n (bench/real-n8n.ts): Profilora Send Text against n8n's HTTP Request node, webhook-started
 *       production executions of 4,000 items, and our cost per item at 500, 2,000 and 10,000 items;
 *   (e) real n8n: what the durable send record costs, Send Text with a Resume Key over without, at 2,000 and
 *       10,000 items (`resume`, its own part: `--resume-sizes 2000,10000`);
 *   (g) real n8n: what the guardrails cost when none stops a message (`guardrails`): Send Text of 10,000 items with a
 *       send window open all day, sender limits far above the run and 100,000 numbers on Do Not Send To, against
 *       the same without (`--guard-items 10000`, `--guard-rounds 3`);
 *   (f) real n8n intake (bench/intake.ts, `intake`): 1,000 distinct status webhooks, 50 in flight, at the Sobot and
 *       Profilora Triggers (version 3 defaults; the Sobot Trigger at version 2 too) beside n8n's Webhook node → No Op,
 *       and the Sobot Trigger with 1,000, 10,000 and 100,000 events remembered (`--intake-events`,
 *       `--intake-store-sizes`).
 * The sandbox runs in separate processes (one for pacing, one for the rest) and each memory measurement in a
 * child process of its own. Options: `--only overhead,pacing,memory,n8n,resume,guardrails` (parts), `--n8n-items 4000`,
 * `--n8n-rounds 3`, `--n8n-sizes 500,2000,10000`.
 */
import './env';

import { cpus, loadavg, release, totalmem } from 'node:os';

import { intakeTable, runIntakeBench } from './intake';
import type { IntakeReport } from './intake';
import { measureMemory } from './memory';
import type { MemoryResult } from './memory';
import {
	measureGuardrailCost,
	measureRatio,
	measureResumeCost,
	measureScaling,
	OPT_OUTS,
	startRealN8nBench,
} from './real-n8n';
import type { GuardrailCostResult, RatioResult, ResumeCostResult, ScalingResult } from './real-n8n';
import { startSandboxProcess } from './sandbox';
import type { SandboxProcess } from './sandbox';
import { measureOverhead, measurePacing } from './sending';
import type { OverheadResult, PacingResult } from './sending';

const only = (() => {
	const index = process.argv.indexOf('--only');
	return index >= 0 ? new Set(process.argv[index + 1].split(',')) : undefined;
})();
const wanted = (part: string) => !only || only.has(part);
function arg(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
}

function log(line: string) {
	process.stderr.write(`[bench] ${line}\n`);
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);

async function overheadAt(
	sandbox: SandboxProcess,
	latencyMs: number,
	concurrency: number,
): Promise<OverheadResult> {
	await sandbox.reset();
	log(
		`overhead: 2,000 sends each way, 3 rounds, gateway latency ${latencyMs} ms, concurrency ${concurrency}`,
	);
	// `reset` clears faults, so latency is set again before every round by a wrapper around reset.
	const withLatency: SandboxProcess = {
		...sandbox,
		reset: async () => {
			await sandbox.reset();
			if (latencyMs > 0)
				await sandbox.faults({ rate: 1, kinds: { latency: 1 }, latencyMs, seed: 1 });
		},
	};
	await withLatency.reset();
	return await measureOverhead(withLatency, { messages: 2000, concurrency, rounds: 3 });
}

async function main() {
	const started = Date.now();
	const loadAtStart = loadavg();
	const sandbox = await startSandboxProcess();
	const pacingSandbox = wanted('pacing') ? await startSandboxProcess() : undefined;
	const overhead: Array<{ latencyMs: number; result: OverheadResult }> = [];
	const memory: MemoryResult[] = [];
	let pacing: PacingResult | undefined;
	let ratio: RatioResult | undefined;
	let scaling: ScalingResult | undefined;
	let resumeCost: ResumeCostResult | undefined;
	let guardrails: GuardrailCostResult | undefined;
	let intake: IntakeReport | undefined;
	try {
		// Overhead without latency first and alone: it is the one that CPU contention would distort.
		if (wanted('overhead'))
			overhead.push({ latencyMs: 0, result: await overheadAt(sandbox, 0, 1) });

		// Real n8n next, alone too: it is as CPU-bound as the zero-latency overhead.
		if (wanted('n8n') || wanted('resume') || wanted('guardrails')) {
			log('real n8n: starting n8n with the published webhook workflows');
			const real = await startRealN8nBench(log);
			try {
				if (wanted('n8n')) {
					const items = Number(arg('n8n-items', '4000'));
					const rounds = Number(arg('n8n-rounds', '3'));
					log(`real n8n: HTTP Request vs Profilora Send Text, ${items} items, ${rounds} rounds`);
					ratio = await measureRatio(real, items, rounds, log);
					const sizes = arg('n8n-sizes', '500,2000,10000').split(',').map(Number);
					log(`real n8n: Profilora at ${sizes.join(', ')} items`);
					scaling = await measureScaling(real, sizes, log);
				}
				if (wanted('resume')) {
					const sizes = arg('resume-sizes', '2000,10000').split(',').map(Number);
					log(`real n8n: Profilora with and without a Resume Key at ${sizes.join(', ')} items`);
					resumeCost = await measureResumeCost(real, sizes, log);
				}
				if (wanted('guardrails')) {
					const items = Number(arg('guard-items', '10000'));
					const rounds = Number(arg('guard-rounds', '3'));
					log(`real n8n: Profilora with and without guardrails, ${items} items, ${rounds} rounds`);
					guardrails = await measureGuardrailCost(real, items, rounds, log);
				}
			} finally {
				await real.stop();
			}
		}

		// Intake is CPU-bound in n8n too, and needs no sandbox: each receiver gets an n8n of its own.
		if (wanted('intake')) {
			intake = await runIntakeBench({
				events: Number(arg('intake-events', '1000')),
				inflight: 50,
				receivers: ['webhook', 'sobot', 'profilora', 'sobotV2'],
				storeSizes: arg('intake-store-sizes', '1000,10000,100000').split(',').map(Number),
				storeEvents: 500,
				log,
			});
		}

		// Pacing mostly waits; it runs beside the rest against its own sandbox process.
		const pacingRun = pacingSandbox
			? (log('pacing: 120 messages at 60/minute (about two minutes, in the background)'),
				measurePacing(pacingSandbox, { messages: 120, perMinute: 60 }))
			: undefined;

		if (wanted('memory')) {
			for (const [mode, path] of [
				['default', 'node'],
				['filesystem', 'node'],
				['default', 'naive'],
				['filesystem', 'naive'],
			] as const) {
				log(`memory: WAChatPro Send File, 50 MB, binary mode ${mode}, ${path} path`);
				memory.push(await measureMemory(sandbox, mode, path, 50));
			}
		}
		// A real gateway answers in tens to hundreds of milliseconds; 40 ms with 4 in flight keeps this row short.
		if (wanted('overhead'))
			overhead.push({ latencyMs: 40, result: await overheadAt(sandbox, 40, 4) });
		pacing = await pacingRun;
	} finally {
		await sandbox.stop();
		await pacingSandbox?.stop();
	}

	const lines: string[] = [];
	lines.push(`n8n-nodes-whatsapp-gateways benchmarks, ${new Date().toISOString()}`);
	lines.push(
		`machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${fixed(totalmem() / 2 ** 30, 1)} GiB RAM, Linux ${release()}, Node ${process.version}`,
	);
	lines.push(
		`load average (1/5/15 min) at start: ${loadAtStart.map((l) => fixed(l)).join(' / ')}, at end: ${loadavg()
			.map((l) => fixed(l))
			.join(' / ')}`,
	);
	lines.push('');
	lines.push('| measure | result | ratio | target | met |');
	lines.push('| --- | --- | --- | --- | --- |');
	for (const { latencyMs, result: r } of overhead) {
		lines.push(
			`| (a) overhead, gateway latency ${latencyMs} ms: node in engine vs plain axios loop, ${r.messages} sends, concurrency ${r.concurrency} | node ${fixed(r.nodePerSecond, 0)}/s, plain ${fixed(r.plainPerSecond, 0)}/s (median of ${r.rounds}) | ${fixed(r.ratio)} | ≥ 0.90 | ${r.ratio >= 0.9 ? 'yes' : 'no'} |`,
		);
	}
	if (pacing) {
		lines.push(
			`| (b) pacing: ${pacing.messages} messages at ${pacing.perMinute}/min, first to last arrival vs intended | ${fixed(pacing.actualMs / 1000, 3)} s vs ${fixed(pacing.intendedMs / 1000, 3)} s, worst single slot off by ${fixed(pacing.worstSlotErrorMs, 0)} ms | ${fixed(pacing.ratio, 4)} | 0.95–1.05 | ${Math.abs(pacing.ratio - 1) <= 0.05 ? 'yes' : 'no'} |`,
		);
	}
	if (ratio) {
		const perItem = (ms: number) => fixed(ms / ratio!.items, 2);
		lines.push(
			`| (d) real n8n: Profilora Send Text vs HTTP Request node (Basic auth), ${ratio.items} items, webhook-started production execution | node time per item: Profilora ${perItem(ratio.profiloraNodeMs)} ms, HTTP Request ${perItem(ratio.httpNodeMs)} ms; whole execution ${perItem(ratio.profiloraExecutionMs)} vs ${perItem(ratio.httpExecutionMs)} ms (median of ${ratio.rounds}) | ${fixed(ratio.ratio)} (execution ${fixed(ratio.executionRatio)}) | ≥ 1.20 | ${ratio.ratio >= 1.2 ? 'yes' : 'no'} |`,
		);
	}
	if (scaling) {
		const costs = scaling.runs
			.map((r) => `${r.items}: ${fixed(r.nodeMs / r.items, 2)} ms`)
			.join(', ');
		lines.push(
			`| (d) real n8n scaling: Profilora Send Text, cost per item by run size | ${costs} | ${fixed(scaling.spread * 100, 1)}% largest deviation from the mean | ≤ 15% | ${scaling.spread <= 0.15 ? 'yes' : 'no'} |`,
		);
	}
	if (resumeCost) {
		const costs = resumeCost.runs
			.map(
				(r) =>
					`${r.items}: ${fixed(r.resume.nodeMs / r.items, 2)} vs ${fixed(r.plain.nodeMs / r.items, 2)} ms`,
			)
			.join(', ');
		const worst = Math.max(...resumeCost.runs.map((r) => r.ratio));
		lines.push(
			`| (e) real n8n: Profilora Send Text with a Resume Key over without (the durable send record), unpaced, per item | ${costs} | ${resumeCost.runs.map((r) => fixed(r.ratio)).join(', ')} | ≤ 1.25 at every size | ${worst <= 1.25 ? 'yes' : 'no'} |`,
		);
	}
	if (guardrails) {
		const g = guardrails;
		lines.push(
			`| (g) real n8n: Profilora Send Text with guardrails on (window open all day, limits far above the run, ${OPT_OUTS.toLocaleString('en-US')} numbers on Do Not Send To) over without, unpaced, ${g.items.toLocaleString('en-US')} items, per item | node (wall) ${fixed(g.guardedNodeMs)} vs ${fixed(g.plainNodeMs)} ms; n8n CPU ${fixed(g.guardedCpuMs)} vs ${fixed(g.plainCpuMs)} ms (median of ${g.rounds}) | ${fixed(g.ratio)} (CPU ${fixed(g.cpuRatio)}) | ≤ 1.10 | ${g.ratio <= 1.1 ? 'yes' : 'no'} |`,
		);
	}
	for (const m of memory) {
		const target = m.path === 'node' ? '≤ 1.0' : '(reference)';
		const met = m.path === 'node' ? (m.rssRatio <= 1 ? 'yes' : 'no') : '';
		lines.push(
			`| (c) memory: WAChatPro Send File ${fixed(m.fileMb, 0)} MB, binary mode ${m.binaryMode}, ${m.path === 'node' ? 'the node' : 'naive buffer→base64→JSON'} | peak RSS +${fixed(m.peakRssGrowthMb, 1)} MB (heap+external +${fixed(m.peakHeapExternalGrowthMb, 1)} MB) | ${fixed(m.rssRatio)} | ${target} | ${met} |`,
		);
	}
	if (intake) {
		const [webhook, ...triggers] = intake.rows;
		for (const r of triggers) {
			const [speed, p99, rss] = [
				r.eventsPerSecond / webhook.eventsPerSecond,
				r.p99Ms / webhook.p99Ms,
				r.rssGrowthMb / Math.max(1, webhook.rssGrowthMb),
			];
			lines.push(
				`| (f) real n8n intake: ${r.label} vs n8n's Webhook node → No Op, ${r.events} distinct statuses, ${r.inflight} in flight | ${fixed(r.eventsPerSecond, 1)} vs ${fixed(webhook.eventsPerSecond, 1)} events/s; p99 ${fixed(r.p99Ms, 0)} vs ${fixed(webhook.p99Ms, 0)} ms; RSS +${fixed(r.rssGrowthMb, 0)} vs +${fixed(webhook.rssGrowthMb, 0)} MB | ${fixed(speed)}, ${fixed(p99)}, ${fixed(rss)} | ≥ 1.0, ≤ 1.5, ≤ 2.0 | ${speed >= 1 && p99 <= 1.5 && rss <= 2 ? 'yes' : 'no'} |`,
			);
		}
		if (intake.storeRows.length) {
			const costs = intake.storeRows.map((r) => r.cpuMsPerEvent);
			const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
			const spread = Math.max(...costs.map((c) => Math.abs(c - mean) / mean));
			lines.push(
				`| (f) real n8n intake: Sobot Trigger, n8n CPU per event with ${intake.storeRows.map((r) => r.remembered?.toLocaleString('en-US')).join(' / ')} events remembered | ${costs.map((c) => `${fixed(c, 1)} ms`).join(' / ')} | ${fixed(spread * 100, 0)}% largest deviation from the mean | ≤ 20% | ${spread <= 0.2 ? 'yes' : 'no'} |`,
			);
		}
	}
	lines.push('');
	if (intake) lines.push(intakeTable(intake), '');
	for (const { latencyMs, result: r } of overhead) {
		lines.push(
			`overhead ${latencyMs} ms rounds (ms): node ${r.nodeMs.map((v) => fixed(v, 0)).join(', ')}; plain ${r.plainMs.map((v) => fixed(v, 0)).join(', ')}`,
		);
	}
	if (ratio) {
		const rounds = (runs: RatioResult['http']) =>
			runs.map((r) => `${fixed(r.nodeMs, 0)}/${fixed(r.executionMs, 0)}`).join(', ');
		lines.push(
			`real n8n rounds (node/execution ms): HTTP Request ${rounds(ratio.http)}; Profilora ${rounds(ratio.profilora)}`,
		);
	}
	if (guardrails) {
		const rounds = (runs: GuardrailCostResult['plain']) =>
			runs.map((r) => `${fixed(r.nodeMs, 0)}/${fixed(r.cpuMs, 0)}`).join(', ');
		lines.push(
			`guardrails rounds (node/CPU ms): without ${rounds(guardrails.plain)}; with ${rounds(guardrails.guarded)}`,
		);
	}
	lines.push(`total bench time: ${fixed((Date.now() - started) / 1000, 0)} s`);
	process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
