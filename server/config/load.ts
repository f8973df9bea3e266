/** Reading the config file from disk (Node and Lambda; a Worker gets its config from a binding). */
import { readFile } from 'node:fs/promises';
import { type Config, ConfigError, parseConfig } from './schema';

/** Reads and validates the config file; every problem names the file or the key. */
export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `DESKIE_FORM_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${path}: not valid JSON (${(error as Error).message})`]);
  }
  return parseConfig(raw);
}
