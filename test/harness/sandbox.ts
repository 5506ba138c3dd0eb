/** One sandbox per test file, reset before each test. */
import { sandboxCredentialData } from '../../sandbox/credentials';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from '../../sandbox/server';

export function useSandbox(): { readonly sandbox: Sandbox } {
	const holder: { sandbox?: Sandbox } = {};
	beforeAll(async () => {
		holder.sandbox = await startSandbox({ seed: 7 });
	});
	afterAll(async () => {
		await holder.sandbox?.stop();
	});
	beforeEach(() => holder.sandbox?.reset());
	return {
		get sandbox() {
			if (!holder.sandbox) throw new Error('sandbox not started');
			return holder.sandbox;
		},
	};
}

export function profiloraCredentials(sandbox: Sandbox) {
	return { profiloraApi: sandboxCredentialData(sandbox).profiloraApi };
}
