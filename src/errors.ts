import { neutralizeBidi, redactError, redactMessage } from './redact.js';

/** Machine-readable reasons carried by every {@link VinteoError}. */
export type VinteoErrorReason =
  | 'invalid-config'
  | 'invalid-state'
  | 'connection-failed'
  | 'connection-lost'
  | 'authentication-failed'
  | 'registration-failed'
  | 'call-rejected'
  | 'call-failed'
  | 'media-permission-denied'
  | 'media-unavailable'
  | 'protocol-error'
  | 'presentation-declined'
  | 'presentation-failed'
  | 'aborted';

export interface VinteoErrorInfo {
  readonly reason: VinteoErrorReason;
  readonly message: string;
  /** SIP status code when the error came from a SIP response. */
  readonly statusCode?: number;
}

/** A message safe to show: secrets redacted ({@link redactMessage}), a quoted server string's bidi controls neutralized. */
const safeMessage = (message: string): string => neutralizeBidi(redactMessage(message));

/**
 * The one error type the library rejects with. `reason` is stable and meant for code;
 * `message` is readable English meant for logs and developers.
 *
 * Every message is made safe here, whoever builds it: URLs lose their userinfo, query and fragment,
 * `data:` URLs their payload, `password=…`-like fields their value ({@link redactMessage}); a `cause` whose
 * message or stack holds such a secret is replaced by a redacted copy. So no error event, snapshot,
 * element error part or log line can show a password that came in a `ws-url` or `credentials-url`.
 */
export class VinteoError extends Error {
  readonly reason: VinteoErrorReason;
  readonly statusCode: number | undefined;

  constructor(reason: VinteoErrorReason, message: string, options: { cause?: unknown; statusCode?: number } = {}) {
    super(safeMessage(message), options.cause === undefined ? undefined : { cause: redactError(options.cause) });
    this.name = 'VinteoError';
    this.reason = reason;
    this.statusCode = options.statusCode;
  }

  toJSON(): VinteoErrorInfo {
    // Again here: `message` is writable.
    const message = safeMessage(this.message);
    return this.statusCode === undefined ? { reason: this.reason, message } : { reason: this.reason, message, statusCode: this.statusCode };
  }

  /** Wraps anything thrown into a VinteoError, keeping VinteoErrors as they are. */
  static from(error: unknown, fallback: VinteoErrorReason = 'call-failed'): VinteoError {
    if (error instanceof VinteoError) return error;
    const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unknown error';
    return new VinteoError(fallback, message, { cause: error });
  }

  static invalidConfig(message: string): VinteoError {
    return new VinteoError('invalid-config', message);
  }

  static invalidState(operation: string, state: string): VinteoError {
    return new VinteoError('invalid-state', `Cannot ${operation} while ${state}`);
  }

  static connectionFailed(detail: string, cause?: unknown): VinteoError {
    return new VinteoError('connection-failed', `Cannot reach the conference server: ${detail}`, { cause });
  }

  /**
   * The SIP library could not be loaded: JsSIP in the ESM package, or the script-tag loader's chunk (the
   * services with JsSIP), whose file and address the cause names.
   */
  /** `what` (one of the script-tag loader's chunks, e.g. the panels) could not be fetched; `cause` names the file. */
  static chunkUnavailable(what: string, cause: unknown): VinteoError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new VinteoError('connection-failed', `${what} could not be loaded: ${why}`, { cause });
  }

  static sipLibraryUnavailable(cause: unknown): VinteoError {
    const why = cause instanceof Error && cause.message ? ` (${cause.message})` : '';
    return new VinteoError('connection-failed', `Cannot connect: the SIP library (JsSIP) could not be loaded${why}`, { cause });
  }

  static connectionLost(detail = 'the connection to the server was lost'): VinteoError {
    return new VinteoError('connection-lost', `Connection lost: ${detail}`);
  }

  static authenticationFailed(statusCode?: number): VinteoError {
    return new VinteoError('authentication-failed', 'The server refused the user name or password', {
      ...(statusCode === undefined ? {} : { statusCode }),
    });
  }

  static registrationFailed(cause: string, statusCode?: number): VinteoError {
    return new VinteoError('registration-failed', `Registration failed: ${cause}`, {
      ...(statusCode === undefined ? {} : { statusCode }),
    });
  }

  static callRejected(cause: string, statusCode?: number): VinteoError {
    return new VinteoError('call-rejected', `The call was rejected: ${cause}`, {
      ...(statusCode === undefined ? {} : { statusCode }),
    });
  }

  static callFailed(cause: string, statusCode?: number): VinteoError {
    return new VinteoError('call-failed', `The call failed: ${cause}`, {
      ...(statusCode === undefined ? {} : { statusCode }),
    });
  }

  static mediaPermissionDenied(cause?: unknown): VinteoError {
    return new VinteoError('media-permission-denied', 'Access to the camera or microphone was denied', { cause });
  }

  static mediaUnavailable(cause?: unknown): VinteoError {
    return new VinteoError('media-unavailable', 'No usable camera or microphone was found', { cause });
  }

  static protocolError(message: string, cause?: unknown): VinteoError {
    return new VinteoError('protocol-error', message, { cause });
  }

  static presentationDeclined(statusCode?: number): VinteoError {
    return new VinteoError('presentation-declined', 'The server did not allow the presentation', {
      ...(statusCode === undefined ? {} : { statusCode }),
    });
  }

  static presentationFailed(detail: string, cause?: unknown): VinteoError {
    return new VinteoError('presentation-failed', `The presentation failed: ${detail}`, { cause });
  }

  static aborted(operation: string): VinteoError {
    return new VinteoError('aborted', `${operation} was cancelled`);
  }
}
