/** Tiny leveled logger. The sink receives every line; the CLI filters debug lines unless --verbose. */
export type LogLevel = 'debug' | 'info' | 'warn';

/** A log sink: receives finished lines ("[debug] …", "[warn] …", or plain info lines). */
export type LogSink = (line: string) => void;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  child(scope: string): Logger;
}

export function createLogger(sink?: LogSink, minLevel: LogLevel = 'debug', scope = ''): Logger {
  const emit = (level: LogLevel, message: string): void => {
    if (!sink || RANK[level] < RANK[minLevel]) return;
    try {
      sink(`${level === 'debug' ? '[debug] ' : level === 'warn' ? '[warn] ' : ''}${scope ? `${scope}: ` : ''}${message}`);
    } catch {
      // a throwing sink must never break the server
    }
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    child: (s) => createLogger(sink, minLevel, scope ? `${scope}/${s}` : s),
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
