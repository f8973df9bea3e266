/**
 * Structured JSON logs, one line per event. Nothing secret goes in: callers pass only chosen fields,
 * emails are redacted with `redactEmail`, and `createLogger` drops any field whose name suggests a
 * credential, as a last guard.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

const SECRET_FIELD = /key|secret|password|authorization|token|cookie/i;

/** `ann.smith@example.com` → `a***@example.com`. */
export const redactEmail = (email: string) => email.replace(/^([^@\s])[^@\s]*@/, '$1***@');

/** A logger writing JSON lines to `write` (default: stdout). */
export function createLogger(
  write: (line: string) => void = (line) => console.log(line),
  clock = () => Date.now(),
): Logger {
  return (level, msg, fields = {}) => {
    const safe: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(fields)) if (!SECRET_FIELD.test(name)) safe[name] = value;
    write(JSON.stringify({ time: new Date(clock()).toISOString(), level, msg, ...safe }));
  };
}

/** A logger that writes nothing (tests that do not look at logs). */
export const silentLogger: Logger = () => {};
