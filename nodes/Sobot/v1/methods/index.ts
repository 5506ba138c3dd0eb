import { searchCustomers } from './customers';
import { searchApprovedTemplates, searchTemplates } from './templates';

export const listSearch = { searchApprovedTemplates, searchCustomers, searchTemplates };
