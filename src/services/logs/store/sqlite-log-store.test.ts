import { SqliteDatabase } from '../../../store/sqlite/sqlite-database.js';
import { logStoreBehaviour } from './log-store.case.js';
import { LOGS_SLICE } from './logs-slice.js';

logStoreBehaviour('sqlite', async () => {
  const database = new SqliteDatabase(':memory:', { accountId: '000000000000', region: 'us-east-1' });
  return { ...database.open(LOGS_SLICE), close: async () => database.close() };
});
