/** Sobot: placeholder until the Sobot issue fills it in. */
import type { HandlerContext, Reply } from '../http';
import { json } from '../http';
import type { Sandbox, VendorGateway } from '../server';

export class SobotGateway implements VendorGateway {
	readonly vendor = 'sobot' as const;

	constructor(private readonly sandbox: Sandbox) {}

	reset(): void {}

	snapshot() {
		return {};
	}

	handle(ctx: HandlerContext): Reply {
		return json(501, { message: `Sobot ${ctx.path} is not implemented in the sandbox yet` });
	}

	async incoming(_input: Record<string, unknown>) {
		return await this.sandbox.webhooks.post('sobot', []);
	}

	async status(id: string, status: string) {
		return await this.sandbox.webhooks.post('sobot', { id, status, timestamp: String(Math.floor(Date.now() / 1000)) });
	}
}
