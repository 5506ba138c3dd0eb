import { searchChats, searchContacts } from './people';

export const listSearch = { searchChats, searchContacts };
