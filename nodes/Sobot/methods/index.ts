import { getApprovedTemplates } from './templates';

export const loadOptions = { getApprovedTemplates };
