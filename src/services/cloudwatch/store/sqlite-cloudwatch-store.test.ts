import { SqliteDatabase } from '../../../store/sqlite/sqlite-database.js';
import { alarmStoreBehaviour } from './alarm-store.case.js';
import { CLOUDWATCH_SLICE } from './cloudwatch-slice.js';
import { metricStoreBehaviour, type OpenStore } from './metric-store.case.js';

const open = async (): Promise<OpenStore> => {
  const database = new SqliteDatabase(':memory:', { accountId: '000000000000', region: 'us-east-1' });
  return { ...database.open(CLOUDWATCH_SLICE), close: async () => database.close() };
};

metricStoreBehaviour('sqlite', open);
alarmStoreBehaviour('sqlite', open);
