import { redact, redactError } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Masks anything that looks like a credential in a log line (see `redact.ts`). */
export { redact };

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
    // Strings and errors (message, stack, cause) are redacted; other objects are logged as they are.
    const safe = details.map((d) => (typeof d === 'string' ? redact(d) : redactError(d)));
    console[level](`[vinteo] ${redact(message)}`, ...safe);
  }
}

/** The library's logger. Set `logger.level = 'debug'` to see state transitions. */
export const logger = new Logger();
