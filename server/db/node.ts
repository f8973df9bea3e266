/** The database a Node process is pointed at (DESKIE_FORM_DATABASE): a SQLite file or PostgreSQL. */
import { isPostgresUrl } from '../config/env';
import { openPostgres } from './postgres';
import type { Database } from './schema';
import { openSqlite } from './sqlite';

/** Opens `target`: a postgres:// URL (pooled, `poolSize` connections) or a SQLite file path. */
export const openNodeDatabase = (target: string, poolSize?: number): Promise<Database> =>
  isPostgresUrl(target) ? openPostgres(target, poolSize) : openSqlite(target);
