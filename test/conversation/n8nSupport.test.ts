/** Send and Wait for Reply refuses an n8n that would drop the answer (nodes/shared/conversation/n8nSupport.ts). */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	canResumeWithReply,
	sendAndWaitUnsupportedMessage,
} from '../../nodes/shared/conversation/n8nSupport';

const withHelpers = (helpers: object) => ({ helpers }) as unknown as IExecuteFunctions;

describe('Send and Wait for Reply: which n8n resumes it with the answer', () => {
	it('refuses n8n 1.x (no secure egress filter) and 2.0-2.38 (a filter without validateRedirectSync)', () => {
		expect(canResumeWithReply(withHelpers({}))).toBe(false);
		expect(
			canResumeWithReply(withHelpers({ getSecureEgressFilter: () => ({ validateUrl() {} }) })),
		).toBe(false);
	});

	it('accepts n8n 2.39+ and names the version it needs', () => {
		expect(
			canResumeWithReply(
				withHelpers({ getSecureEgressFilter: () => ({ validateRedirectSync() {} }) }),
			),
		).toBe(true);
		expect(sendAndWaitUnsupportedMessage().message).toBe(
			'Send and Wait for Reply needs n8n 2.39 or newer',
		);
	});
});
