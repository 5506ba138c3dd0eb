/** What `npm run dev` prints of n8n's log (scripts/dev/console.ts): one line per node error, repeats once. */
import { n8nConsoleFilter, repeatFilter } from '../../scripts/dev/console';

function shown(lines: string[]): string[] {
	const filter = n8nConsoleFilter();
	return lines.map(filter).filter((line): line is string => line !== undefined);
}

const FRAMES = Array.from(
	{ length: 10 },
	(_, i) =>
		`    at Frame${i} (/x/node_modules/n8n-core/dist/execution-engine/workflow-execute.js:${i}:1)`,
);
const MESSAGE =
	'Sobot rejected the request (HTTP 200, error code 400 in the body): Re-engagement message: more than 24 hours have passed since the customer last replied; send a template instead';

describe('npm run dev console', () => {
	test("a node error logged with its stack (class name alone, then frames) is one line with the error's message", () => {
		expect(shown([`${MESSAGE} (execution 12)`, 'GatewayError', ...FRAMES])).toEqual([
			`${MESSAGE} (execution 12)`,
		]);
	});

	test('a stack whose head carries the message gives that message once, without frames', () => {
		expect(shown([`GatewayError: ${MESSAGE}`, ...FRAMES])).toEqual([`GatewayError: ${MESSAGE}`]);
		expect(shown([MESSAGE, `GatewayError: ${MESSAGE}`, ...FRAMES])).toEqual([MESSAGE]);
	});

	test('a bare class name with no message before it still says where the message is', () => {
		expect(shown(['GatewayError', ...FRAMES])).toEqual(['GatewayError (message in the execution)']);
	});

	test('the same failure logged twice in a row is printed once; lines after a stack are printed', () => {
		expect(
			shown([MESSAGE, 'GatewayError', ...FRAMES, MESSAGE, 'GatewayError', ...FRAMES, 'next']),
		).toEqual([MESSAGE, 'next']);
	});

	test("the triggers' paste-this-URL lines and n8n's expected noise are left out", () => {
		expect(
			shown([
				'Sobot Trigger: paste http://127.0.0.1:5678/webhook/abc/webhook into the Sobot dashboard as the webhook URL',
				'Profilora Trigger: paste http://127.0.0.1:5678/webhook/def/webhook into the Profilora dashboard as the webhook URL',
				'',
				'Editor is now accessible via:',
			]),
		).toEqual(['Editor is now accessible via:']);
	});

	test('a repeated poll line is printed once, with a note the first time it repeats; sends every time', () => {
		const once = repeatFilter();
		const poll = '[sandbox] GET /sobot/api/template/ -> 200';
		const send = '[sandbox] POST /sobot/message/ -> 200';
		const printed = [
			once(poll, true),
			once(poll, true),
			once(poll, true),
			once(send, false),
			once(send, false),
		].filter((line) => line !== undefined);
		expect(printed).toEqual([poll, expect.stringContaining('printed once'), send, send]);
	});
});
