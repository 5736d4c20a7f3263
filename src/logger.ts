export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Header values and fields that must never reach a log. */
const SECRET_PATTERN = /(password|bearer|token|jwt|ha1)(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;}]+)/gi;
const AUTH_HEADER = /((?:proxy-)?authorization\s*:\s*)[^\r\n]*/gi;

/** Masks anything that looks like a credential in a log line. */
export function redact(text: string): string {
  return text
    .replace(AUTH_HEADER, (_match, key: string) => `${key}***`)
    .replace(SECRET_PATTERN, (_match, key: string, sep: string) => `${key}${sep}***`);
}

class Logger {
  level: LogLevel = 'warn';

  debug(message: string, ...details: unknown[]): void {
    this.write('debug', message, details);
  }

  info(message: string, ...details: unknown[]): void {
    this.write('info', message, details);
  }

  warn(message: string, ...details: unknown[]): void {
    this.write('warn', message, details);
  }

  error(message: string, ...details: unknown[]): void {
    this.write('error', message, details);
  }

  private write(level: Exclude<LogLevel, 'silent'>, message: string, details: unknown[]): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const safe = details.map((d) => (typeof d === 'string' ? redact(d) : d));
    console[level](`[vinteo] ${redact(message)}`, ...safe);
  }
}

/** The library's logger. Set `logger.level = 'debug'` to see state transitions. */
export const logger = new Logger();
