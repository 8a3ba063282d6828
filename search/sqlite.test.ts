import { openSqliteStore } from '../sinks/sqlite/store.js';
import { describeSearchBackend } from '../test/contracts/search-backend.js';
import { createSqliteSearch } from './sqlite.js';

describeSearchBackend('sqlite', async (events) => {
  const store = openSqliteStore({ path: ':memory:' });
  await store.write(events);
  return {
    backend: createSqliteSearch(store.db),
    add: async (more) => {
      await store.write(more);
    },
    dispose: () => store.close(),
  };
});
