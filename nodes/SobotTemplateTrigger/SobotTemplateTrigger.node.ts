import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { readTemplateSettings, scheduleTemplatePoll, testTemplatePoll } from './poll';

export class SobotTemplateTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sobot Template Trigger',
		name: 'sobotTemplateTrigger',
		icon: { light: 'file:sobotTemplateTrigger.svg', dark: 'file:sobotTemplateTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Template " + $parameter["statuses"].join(" or ")}}',
		description:
			'Starts the workflow when Meta approves or rejects one of your Sobot WhatsApp templates (checked on a schedule)',
		defaults: { name: 'Sobot Template Trigger' },
		// n8n adds "Poll Times" to every node with `polling: true`.
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sobotApi', required: true }],
		properties: [
			{
				displayName:
					'Sobot has no review webhook: this trigger lists your templates at each Poll Time. The first activation only remembers their statuses; later polls start one execution with one item per template whose status changed.',
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Trigger On',
				name: 'statuses',
				type: 'multiOptions',
				options: [
					{
						name: 'Approved',
						value: 'approved',
						description: 'Meta approved the template: it can be sent now',
					},
					{
						name: 'Rejected',
						value: 'rejected',
						description: 'Meta rejected it; the item carries the reason',
					},
					{
						name: 'Pending',
						value: 'pending',
						description: 'A template was created or went back to review',
					},
				],
				default: ['approved', 'rejected'],
				description: 'The statuses a template must change into to start the workflow',
			},
			{
				displayName: 'Templates',
				name: 'templates',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'All Templates', value: 'all' },
					{ name: 'Chosen Names', value: 'names' },
				],
				default: 'all',
			},
			{
				displayName: 'Template Names',
				name: 'templateNames',
				type: 'string',
				required: true,
				displayOptions: { show: { templates: ['names'] } },
				default: '',
				placeholder: 'diwali_sale, order_update',
				description:
					'The templates to watch (their name, as in Template → Create), separated by commas. Names not created yet are fine.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Raw Template',
						name: 'includeRaw',
						type: 'boolean',
						default: true,
						description: 'Whether to add the template as Sobot listed it under `raw`',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readTemplateSettings(this);
		if (this.getMode() === 'manual') return await testTemplatePoll(this, settings);
		return await scheduleTemplatePoll(this, settings);
	}
}
