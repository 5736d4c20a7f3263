// Helpers for the Kamailio interop tests: where the Kamailio the test runner started is, its users,
// and its fault injection (restart). Served by test/wtr-kamailio-plugin.mjs.

export interface KamailioEnv {
  /** ws://127.0.0.1:PORT/ (any path is accepted). */
  readonly wsUrl: string;
  readonly sipDomain: string;
  /** user → password, random per run. */
  readonly users: Readonly<Record<string, string>>;
}

/** A contact Kamailio's registrar holds (kamcmd ul.lookup). */
export interface KamailioContact {
  readonly contact: string;
  readonly expires?: number;
  readonly received?: string;
  readonly socket?: string;
  readonly userAgent?: string;
}

let cached: Promise<KamailioEnv | { skip: string }> | undefined;

/** The Kamailio of this run, or `{ skip }` when it is not installed in a local run. */
export function kamailioEnv(): Promise<KamailioEnv | { skip: string }> {
  cached ??= fetch('/__vinteo/kamailio').then(async (response) => {
    if (!response.ok) throw new Error(`/__vinteo/kamailio answered ${response.status}: is the Kamailio plugin on?`);
    return (await response.json()) as KamailioEnv | { skip: string };
  });
  return cached;
}

async function call<T>(path: string, method: 'GET' | 'POST'): Promise<T> {
  const response = await fetch(`/__vinteo/kamailio${path}`, { method, cache: 'no-store' });
  const body = (await response.json()) as { ok: boolean; error?: string; log?: string } & T;
  if (!body.ok) throw new Error(`${method} /__vinteo/kamailio${path} failed: ${body.error ?? 'unknown error'}${body.log ? `\n${body.log}` : ''}`);
  return body;
}

/** Stops Kamailio and starts it again on the same ports; resolves once it accepts connections. */
export async function restartKamailio(): Promise<void> {
  await call('/restart', 'POST');
}

/** The contacts Kamailio's registrar holds for a user ([] when none). */
export async function kamailioContacts(user: string): Promise<KamailioContact[]> {
  return (await call<{ contacts: KamailioContact[] }>(`/registrations?user=${encodeURIComponent(user)}`, 'GET')).contacts;
}
