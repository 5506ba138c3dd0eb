/**
 * Named paces for a send, with the numbers of published practice (docs/keep-your-number-safe.md, "Pace"):
 * - Cautious: WAHA's "how to avoid blocking" advice, a random 30 to 60 s between messages;
 * - Moderate: baileys-antiban's defaults, at most 8 messages a minute with a random 1.5 to 5 s on top
 *   (a 7.5 s interval plus that jitter: 9 to 12.5 s apart);
 * - Custom: the Delay and Messages Per Minute fields as the user set them (none: as fast as the gateway answers).
 * A preset's per-minute cap is a sender limit (limits.ts): it holds across executions of the workflow.
 *
 * The default protects WhatsApp-Web style gateways (Profilora, WAChatPro), where bans come first: a bulk send
 * (more than BULK_ITEMS items) with no pacing option set goes at the Moderate pace. A small send (a reply, a
 * note to a few people) keeps today's behaviour and never waits; so does any workflow that already set a delay
 * or a per-minute cap (it is Custom). Sobot sends through WhatsApp's Business API, whose limits Meta enforces
 * per template and tier, so it keeps its own defaults.
 */
export type PaceName = 'cautious' | 'moderate' | 'custom';

/** The wait between the starts of two messages (Sending Options › Delay, or a pace's). */
export type MessageDelay =
	| { mode: 'none' }
	| { mode: 'fixed'; ms: number }
	| { mode: 'random'; minMs: number; maxMs: number };

interface Preset {
	delay: MessageDelay;
	/** The sender's shared cap (messages a minute across executions). */
	perMinute: number;
}

export const PACE_PRESETS: Record<Exclude<PaceName, 'custom'>, Preset> = {
	cautious: { delay: { mode: 'random', minMs: 30_000, maxMs: 60_000 }, perMinute: 2 },
	moderate: { delay: { mode: 'random', minMs: 9_000, maxMs: 12_500 }, perMinute: 8 },
};

/** More items than this in one execution make a bulk send, which gets the default pace. */
export const BULK_ITEMS = 10;

/** The gateways whose bulk sends are paced by default (node type names). */
const WEB_STYLE_NODES = ['profilora', 'waChatPro'];

/** Options whose presence means the user chose a pace of their own (saved workflows before presets existed). */
const CUSTOM_PACING_OPTIONS = [
	'delayMode',
	'delayMs',
	'delayMinMs',
	'delayMaxMs',
	'messagesPerMinute',
];

export function isWebStyleNode(nodeType: string): boolean {
	return WEB_STYLE_NODES.includes(nodeType.split('.').pop() ?? '');
}

export interface PaceChoice {
	pace: PaceName;
	/** Why: the user chose it, or the default for a bulk send chose it (said in the run's hint). */
	chosenBy: 'user' | 'default';
}

/** Which pace a run goes at: `raw` is the Sending Options collection as saved (with any operation fallbacks). */
export function choosePace(
	raw: Record<string, unknown>,
	nodeType: string,
	itemCount: number,
): PaceChoice {
	const chosen = raw.pace;
	if (chosen === 'cautious' || chosen === 'moderate' || chosen === 'custom')
		return { pace: chosen, chosenBy: 'user' };
	if (CUSTOM_PACING_OPTIONS.some((name) => raw[name] !== undefined && raw[name] !== ''))
		return { pace: 'custom', chosenBy: 'user' };
	if (isWebStyleNode(nodeType) && itemCount > BULK_ITEMS)
		return { pace: 'moderate', chosenBy: 'default' };
	return { pace: 'custom', chosenBy: 'default' };
}

/** Mean time between messages of a preset, for the "1,000 messages" line. */
function meanGapMs(preset: Preset): number {
	const { delay } = preset;
	const delayMs =
		delay.mode === 'fixed'
			? delay.ms
			: delay.mode === 'random'
				? (delay.minMs + delay.maxMs) / 2
				: 0;
	return Math.max(delayMs, preset.perMinute > 0 ? 60_000 / preset.perMinute : 0);
}

export function hoursFor(messages: number, pace: Exclude<PaceName, 'custom'>): number {
	return ((messages - 1) * meanGapMs(PACE_PRESETS[pace])) / 3_600_000;
}

const about = (hours: number) => `about ${hours < 10 ? hours.toFixed(1) : Math.round(hours)} hours`;

/** The notice the web-style gateways' send operations show. */
export const PACE_NOTICE = `Pace: a send of more than ${BULK_ITEMS} messages with no pace set goes at the Moderate pace (9 to 12.5 s apart, at most 8 a minute for this sender): 1,000 messages take ${about(hoursFor(1000, 'moderate'))}. Cautious (30 to 60 s apart) takes ${about(hoursFor(1000, 'cautious'))}. Choose Sending Options › Pace: Custom with no delay to send as fast as the gateway answers. Sender limits count this workflow's executions only: another workflow sending from the same number is not counted.`;

/** What the run's output panel says when the default chose the pace, or undefined. */
export function paceHint(choice: PaceChoice, itemCount: number): string | undefined {
	if (choice.chosenBy !== 'default' || choice.pace === 'custom') return undefined;
	return `These ${itemCount} messages are paced at ${choice.pace === 'moderate' ? 'Moderate' : 'Cautious'}, the default for sends of more than ${BULK_ITEMS} messages from this gateway (${about(hoursFor(1000, choice.pace))} for 1,000). Set Sending Options › Pace to choose another.`;
}

/** Said in the output panel of a run with sender limits: what n8n's store cannot reach. */
export const LIMITS_HINT =
	"Sender limits count every execution of this workflow (also on other queue workers), not other workflows sending from the same number: keep one number's sends in one workflow, or split the limit between them.";
