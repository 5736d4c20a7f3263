// Web Test Runner plugin: runs Kamailio (test/kamailio/) for the interop tests, in front of the
// conference server the dev-server plugin started, and tells the browser where it is:
//   GET  /__vinteo/kamailio                      { wsUrl, sipDomain, users: { "1001": pw, … } }
//                                                (or { skip: reason } when Kamailio is missing locally)
//   POST /__vinteo/kamailio/restart              stops Kamailio and starts it again on the same ports
//   GET  /__vinteo/kamailio/registrations?user=  the contacts Kamailio's registrar holds for a user
// Passwords are random per run. Without Kamailio the run fails when CI is set; locally the
// Kamailio tests are skipped with the reason.
import { findKamailio, pickFreePort, randomUsers, startKamailio } from './kamailio/launcher.mjs';

const BASE = '/__vinteo/kamailio';
const SIP_DOMAIN = 'vinteo.local';

/**
 * @param {object} options
 * @param {() => string | undefined} options.conferenceUri the conference server's plain SIP URI
 *   (`sip:127.0.0.1:PORT`, from startDevServer({ sipPort })), read at serverStart
 * @param {boolean} [options.debug] Kamailio debug logging, printed (also VINTEO_KAMAILIO_DEBUG=1)
 */
export function kamailioPlugin({ conferenceUri, debug = process.env.VINTEO_KAMAILIO_DEBUG === '1' }) {
  let kamailio;
  let skip;
  let users;
  // Restarts and lookups one at a time.
  let queue = Promise.resolve();
  const serialized = (fn) => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const json = (body) => ({ type: 'json', body: JSON.stringify(body), headers: { 'cache-control': 'no-store' } });

  return {
    name: 'vinteo-kamailio',
    async serverStart() {
      const found = findKamailio();
      if (!found.ok) {
        const message = `Kamailio interop tests need Kamailio: ${found.reason}`;
        if (process.env.CI && process.env.CI !== 'false') throw new Error(`${message} (CI is set: not skipping)`);
        skip = `${message}; skipping them in this local run`;
        console.warn(`[vinteo-kamailio] ${skip}`);
        return;
      }
      const uri = conferenceUri();
      if (!uri) throw new Error('the Kamailio plugin needs the conference server with a sipPort: start the dev-server plugin first');
      users = randomUsers(['1001', '1002', '1003']);
      kamailio = await startKamailio({
        wsPort: await pickFreePort('tcp'),
        sipPort: await pickFreePort('udp'),
        conferenceUri: uri,
        users,
        sipDomain: SIP_DOMAIN,
        debug,
        onCrash: (message) => console.error(`[vinteo-kamailio] ${message}`),
        ...(debug ? { log: (line) => console.log(`[kamailio] ${line}`) } : {}),
      });
    },
    async serverStop() {
      await serialized(() => kamailio?.stop());
    },
    async serve(context) {
      if (context.path !== BASE && !context.path.startsWith(`${BASE}/`)) return undefined;
      if (context.path === BASE) {
        return json(skip ? { skip } : { wsUrl: kamailio.wsUrl, sipDomain: SIP_DOMAIN, users });
      }
      if (!kamailio) return json({ ok: false, error: skip ?? 'Kamailio is not running' });
      if (context.path === `${BASE}/restart` && context.method === 'POST') {
        try {
          const started = Date.now();
          await serialized(() => kamailio.restart());
          return json({ ok: true, pid: kamailio.pid, ms: Date.now() - started });
        } catch (error) {
          return json({ ok: false, error: error.message, log: kamailio.logTail() });
        }
      }
      if (context.path === `${BASE}/registrations` && context.method === 'GET') {
        try {
          const contacts = await serialized(() => kamailio.registrations(String(context.query.user ?? '')));
          return json({ ok: true, contacts });
        } catch (error) {
          return json({ ok: false, error: error.message });
        }
      }
      return json({ ok: false, error: `unknown ${context.method} ${context.path}` });
    },
  };
}
