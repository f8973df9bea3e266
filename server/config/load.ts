/**
 * Reading the config file from disk (Node and Lambda; a Worker gets its config from a binding).
 * JSON, with comments and trailing commas allowed (JSON5): `npm run forms -- init` writes the
 * account's names beside their ids as comments.
 */
import { readFile } from 'node:fs/promises';
import JSON5 from 'json5';
import { type Config, ConfigError, parseConfig } from './schema';

/** The config file as written, decoded but not validated; throws ConfigError naming the file. */
export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `DESKIE_FORM_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`,
    ]);
  }
  try {
    return JSON5.parse(text);
  } catch (error) {
    throw new ConfigError([`${path}: not valid JSON (${(error as Error).message})`]);
  }
}

/** Reads and validates the config file; every problem names the file or the key. */
export async function loadConfig(path: string): Promise<Config> {
  return parseConfig(await readConfigFile(path));
}
