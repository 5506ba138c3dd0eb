import { VersionedNodeType } from 'n8n-workflow';

import { ProfiloraV1 } from './v1/ProfiloraV1.node';

/**
 * The Profilora node in n8n's versioned layout: each version keeps its own parameters (v1/), so a change
 * of a published parameter ships as a new version while saved workflows keep the version they were built with.
 */
export class Profilora extends VersionedNodeType {
	constructor() {
		const v1 = new ProfiloraV1();
		// What n8n's node picker shows: the default version's name, icon and words.
		const { displayName, name, icon, group, description } = v1.description;
		super({ 1: v1 }, { displayName, name, icon, group, description, defaultVersion: 1 });
	}
}
