/**
 * The "Test" button of the three webhook-secret credentials. There is no remote service to ask (the secret
 * is checked by n8n itself), so the test checks what makes a secret useful: a usable header or parameter
 * name and a value long enough not to be guessed.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/** 16 random characters are far beyond online guessing; shorter ones are usually words. */
export const MIN_SECRET_LENGTH = 16;

/** RFC 9110 token characters: anything else is not a valid header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Characters that survive in a URL query key without encoding, so the pasted URL stays readable. */
const QUERY_NAME = /^[A-Za-z0-9._~-]+$/;

function failure(message: string): INodeCredentialTestResult {
	return { status: 'Error', message };
}

export function checkWebhookSecret(
	type: string,
	data: Record<string, unknown>,
): INodeCredentialTestResult {
	const field = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : '');
	if (type.endsWith('BasicAuthApi')) {
		if (field('user').trim() === '') return failure('Enter a user name');
		if (field('user').includes(':'))
			return failure(
				'The user name cannot contain ":" (HTTP Basic separates user and password with it)',
			);
		if (field('password').length < MIN_SECRET_LENGTH) {
			return failure(`Use a password of at least ${MIN_SECRET_LENGTH} characters`);
		}
		return { status: 'OK', message: 'User and password are usable' };
	}
	const name = field('name');
	const isHeader = type.endsWith('HeaderAuthApi');
	if (!(isHeader ? HEADER_NAME : QUERY_NAME).test(name)) {
		return failure(
			isHeader
				? `"${name}" is not a valid header name (letters, digits and - only, e.g. X-Webhook-Secret)`
				: `"${name}" is not a plain query parameter name (letters, digits, . _ ~ - only, e.g. token)`,
		);
	}
	if (field(isHeader ? 'secret' : 'token').length < MIN_SECRET_LENGTH) {
		return failure(
			`Use a ${isHeader ? 'secret' : 'token'} of at least ${MIN_SECRET_LENGTH} characters`,
		);
	}
	return { status: 'OK', message: 'The secret is usable' };
}

export async function webhookSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return checkWebhookSecret(credential.type, (credential.data ?? {}) as Record<string, unknown>);
}
