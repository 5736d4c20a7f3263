export interface ReconnectEvents {
  /** A reconnect attempt is scheduled: `attempt` starts at 1, `delayMs` until it runs. */
  'connection:reconnecting': { attempt: number; delayMs: number; reason: string };
  /** The connection is back after `attempts` tries and `downtimeMs` without it. */
  'connection:reconnected': { attempts: number; downtimeMs: number };
}

export interface ReconnectInfo {
  readonly attempt: number;
  /** When the next attempt runs (ms since epoch); undefined while one runs. */
  readonly nextAttemptAt: number | undefined;
  readonly reason: string;
  /** When the connection was lost (ms since epoch). */
  readonly since: number;
}

/** Browser signals that the network may be back; injectable for tests. */
export interface NetworkSignals {
  /** The browser went online. */
  onOnline(listener: () => void): () => void;
  /** The page became visible again after being hidden for `hiddenMs`. */
  onVisible(listener: (hiddenMs: number) => void): () => void;
}
