import { checkConnectionOptions, resolveConnectionConfig } from './config.js';
import { checkCredentials } from './credentials.js';
import { parseFastIce, type FastIce } from './call/fast-ice.js';
import { resolveCallSettings, type ResolvedCallSettings } from './stats/settings.js';
import { checkTimingOptions } from './timing.js';
import type { VinteoClientOptions } from './types.js';

/**
 * Checks the options in order (connection options after percent-decoding, time-valued options
 * against their ranges, `fastIce`, credentials given as an object) and parses `fastIce`, once.
 * `problem` is the first mistake found, as `validateClientOptions` throws it.
 */
function checkOptions(options: VinteoClientOptions): { readonly problem: unknown; readonly fastIce: FastIce } {
  let problem: unknown;
  let fastIce: FastIce = 'auto';
  const check = (run: () => void): void => {
    try {
      run();
    } catch (error) {
      problem ??= error;
    }
  };
  check(() => checkConnectionOptions(options));
  check(() => checkTimingOptions(options));
  check(() => {
    fastIce = parseFastIce(options.fastIce, 'fast-ice');
  });
  check(() => {
    if (options.credentials && typeof options.credentials === 'object') checkCredentials(options.credentials);
  });
  return { problem, fastIce };
}

/**
 * Checks every option that is set, without requiring anything (a missing server or conference is
 * reported on connect or join): connection options after percent-decoding, time-valued options
 * against their ranges (`TIMING_LIMITS`), `fastIce`, and credentials given as an object. The elements
 * call it before Join so that a mistake shows at once; connect(), join() and answer() call it before
 * anything is sent.
 * @throws VinteoError `invalid-config` naming the attribute or option.
 */
export function validateClientOptions(options: VinteoClientOptions): void {
  const { problem } = checkOptions(options);
  if (problem !== undefined) throw problem;
}

/**
 * The client's options, checked once when they are set. The mistakes found are kept and thrown by
 * the operations that need the options (connect, join, answer), as before: setting options never throws.
 */
export class Settings {
  private current: VinteoClientOptions = {};
  private problem: unknown;
  private joinProblem: unknown;
  private parsedFastIce: FastIce = 'auto';
  private resolvedCallSettings: ResolvedCallSettings | undefined;

  constructor(options: VinteoClientOptions) {
    this.set({ ...options });
  }

  /** The options as set (read when used, so that configure() applies from the next use). */
  get options(): Readonly<VinteoClientOptions> {
    return this.current;
  }

  /** `fastIce`, parsed when set (`'auto'` when it is not valid: a call cannot start with it then). */
  get fastIce(): FastIce {
    return this.parsedFastIce;
  }

  /**
   * The stats and balancer settings with their defaults, worked out once per change of the options
   * (they are read on every stats tick).
   */
  get callSettings(): ResolvedCallSettings {
    this.resolvedCallSettings ??= resolveCallSettings(this.current);
    return this.resolvedCallSettings;
  }

  /** Merges `options` into the current ones and checks the result. */
  merge(options: VinteoClientOptions): void {
    this.set({ ...this.current, ...options });
  }

  /** Throws the first mistake in the options (what `validateClientOptions` throws). */
  check(): void {
    if (this.problem !== undefined) throw this.problem;
  }

  /**
   * Also throws what would keep a join from connecting: no server, `register` without user or
   * password. With a credentials source, user and password are only known once it is resolved (on connect).
   */
  checkForJoin(): void {
    this.check();
    if (this.joinProblem !== undefined) throw this.joinProblem;
  }

  private set(options: VinteoClientOptions): void {
    this.current = options;
    this.resolvedCallSettings = undefined;
    const { problem, fastIce } = checkOptions(options);
    this.problem = problem;
    this.parsedFastIce = fastIce;
    this.joinProblem = undefined;
    if (problem !== undefined) return;
    try {
      resolveConnectionConfig(options.credentials ? { ...options, register: false } : options);
    } catch (error) {
      this.joinProblem = error;
    }
  }
}
