/** WAChatPro: placeholder until the WAChatPro issue fills it in. */
import type { HandlerContext, Reply } from '../http';
import { json } from '../http';
import type { Sandbox, VendorGateway } from '../server';

export class WaChatProGateway implements VendorGateway {
	readonly vendor = 'wachatpro' as const;

	constructor(private readonly sandbox: Sandbox) {}

	reset(): void {}

	snapshot() {
		return {};
	}

	handle(ctx: HandlerContext): Reply {
		void this.sandbox;
		return json(501, { message: `WAChatPro ${ctx.path} is not implemented in the sandbox yet` });
	}
}
