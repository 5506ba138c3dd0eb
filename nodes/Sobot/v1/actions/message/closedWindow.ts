/**
 * Message › Send outside the 24-hour window: WhatsApp takes free-form messages only within 24 hours of the customer's
 * last message, and refuses them after. The user chooses what then happens: the item fails (as before this option),
 * or the chosen template goes to the same customer instead, within the same send, so the ledger and the durable send
 * record count it as that item's one message and a re-run never sends it twice.
 *
 * How a refusal is recognised (docs/vendors.md, "The 24-hour window"): Sobot documents the rule but not its refusal;
 * Meta's Cloud API names it error 131047 ("Re-engagement message"). Matched: that code where Sobot relays Meta's
 * errors (`error.code`, `errors[0].code`, `error_code`), or the words Meta and gateways use for it.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { GatewayError, vendorMessage } from '../../../../shared/http/transport';
import type { TemplateLookup } from '../common/template/choice';
import { templateChoiceProperties } from '../common/template/choice';
import type { TemplateSend } from '../common/template/message';
import { prepareTemplateSend } from '../common/template/message';
import { templateParameterProperties } from '../common/template/parameters';

export const CLOSED_WINDOW = 'closedWindow';

export const closedWindowProperties: INodeProperties[] = [
	{
		displayName: 'Closed 24-Hour Window',
		name: CLOSED_WINDOW,
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'The item fails with Sobot’s refusal',
			},
			{
				name: 'Send a Template Instead',
				value: 'sendTemplate',
				description:
					'Send the approved template chosen below to the same customer, once; the output says which was sent',
			},
		],
		default: 'fail',
		description:
			'What to do when Sobot refuses the message because the customer last wrote more than 24 hours ago (or never)',
	},
	// The Send Template operation's own fields, shown when a template is to replace the message.
	...updateDisplayOptions({ show: { [CLOSED_WINDOW]: ['sendTemplate'] } }, [
		...templateChoiceProperties,
		...templateParameterProperties,
	]),
];

/** The template to send instead, read and checked with the message (before anything goes out); undefined for Fail. */
export async function readFallback(
	ctx: IExecuteFunctions,
	itemIndex: number,
	lookup: TemplateLookup,
): Promise<TemplateSend | undefined> {
	// Send and Wait for Reply shares Message › Send's plan but has no such field: it fails as before.
	if (ctx.getNodeParameter(CLOSED_WINDOW, itemIndex, 'fail') !== 'sendTemplate') return undefined;
	return await prepareTemplateSend(ctx, itemIndex, lookup);
}

/** Meta's "Re-engagement message" error: more than 24 hours since the recipient last replied. */
export const META_RE_ENGAGEMENT = 131047;

const WORDS =
	/\bre-?engagement\b|\b(?:customer[\s_-]+service|conversation|messaging|session|24[\s_-]*hours?)[\s_-]+window\b|\bmore[\s_-]+than[\s_-]+24[\s_-]*hours?\b|\boutside[^.!?\n]{0,40}\b24[\s_-]*(?:hours?|h)\b/i;

function metaCodes(body: unknown): number[] {
	if (body === null || typeof body !== 'object') return [];
	const object = body as Record<string, unknown>;
	const error = object.error as Record<string, unknown> | undefined;
	const first = (object.errors as Array<Record<string, unknown>> | undefined)?.[0];
	return [error?.code, object.error_code, object.errorCode, first?.code].map(Number);
}

/** True when a failed send is WhatsApp's refusal of a free-form message outside the customer's 24-hour window. */
export function isClosedWindow(error: unknown): boolean {
	if (!(error instanceof GatewayError)) return false;
	// No answer (timeout, connection lost) may have delivered the message: never replace it with a template.
	if (error.details.statusCode === undefined) return false;
	const body = error.details.body;
	if (metaCodes(body).includes(META_RE_ENGAGEMENT)) return true;
	const whole = typeof body === 'string' ? body : JSON.stringify(body ?? '');
	return WORDS.test(`${vendorMessage(body) ?? ''} ${whole.slice(0, 2000)}`);
}
