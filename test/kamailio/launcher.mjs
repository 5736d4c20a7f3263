// Starts and stops Kamailio for the interop tests, without systemd: one foreground process group
// (`kamailio -DD -E`) with test/kamailio/kamailio.cfg, every port and path passed as `-A` defines,
// a private temp dir (pid file, control socket, the user list) and 127.0.0.1 only.
//
//   import { startKamailio } from './test/kamailio/launcher.mjs';
//   const k = await startKamailio({ wsPort, sipPort, conferenceUri: 'sip:127.0.0.1:5070', users: { 1001: 'pw' } });
//   k.wsUrl; await k.registrations('1001'); await k.restart(); await k.stop();
//
// Standalone (prints the URL and the generated passwords, Ctrl+C stops it):
//   node test/kamailio/launcher.mjs --conference sip:127.0.0.1:5070 [--ws-port 8088] [--sip-port 5062]
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFIG_PATH = fileURLToPath(new URL('./kamailio.cfg', import.meta.url));
export const DEFAULT_SIP_DOMAIN = 'vinteo.local';
const MODULE_DIRS = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/aarch64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/local/lib64/kamailio/modules', '/usr/local/lib/kamailio/modules'];
const START_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 3000;
const LOG_LINES = 400;

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    const found = dir ? executable(join(dir, name)) : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Where Kamailio and its WebSocket module are: `{ ok: true, binary, modulesDir, kamcmd }`, or
 * `{ ok: false, reason }` saying what to install.
 */
export function findKamailio() {
  const binary = process.env.KAMAILIO_BIN ? executable(process.env.KAMAILIO_BIN) : findExecutable('kamailio');
  if (!binary) return { ok: false, reason: 'kamailio is not installed (apt-get install kamailio kamailio-websocket-modules)' };
  const modulesDir = [process.env.KAMAILIO_MODULES, ...MODULE_DIRS].find((dir) => dir && existsSync(join(dir, 'tm.so')));
  if (!modulesDir) return { ok: false, reason: `Kamailio's modules were not found (looked in ${MODULE_DIRS.join(', ')}; set KAMAILIO_MODULES)` };
  if (!existsSync(join(modulesDir, 'websocket.so'))) {
    return { ok: false, reason: `Kamailio's WebSocket module is missing from ${modulesDir} (apt-get install kamailio-websocket-modules)` };
  }
  return { ok: true, binary, modulesDir, kamcmd: findExecutable('kamcmd') };
}

/** True when nothing listens on 127.0.0.1:port (`tcp`) or has it bound (`udp`). */
export function portIsFree(port, protocol = 'tcp') {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind({ address: '127.0.0.1', port, exclusive: true }, () => socket.close(() => resolve(true)));
      return;
    }
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the system just handed out on 127.0.0.1 for `protocol` (free at the time of asking). */
export function pickFreePort(protocol = 'tcp') {
  return new Promise((resolve, reject) => {
    if (protocol === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind({ address: '127.0.0.1', port: 0, exclusive: true }, () => {
        const { port } = socket.address();
        socket.close(() => resolve(port));
      });
      return;
    }
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Random passwords for the given users (base64url: nothing db_text would need to escape). */
export function randomUsers(names = ['1001', '1002', '1003']) {
  return Object.fromEntries(names.map((name) => [name, randomBytes(12).toString('base64url')]));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function checkPort(value, name) {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1–65535), got ${value}`);
  return value;
}

/** The db_text table htable loads: `key_name key_type value_type key_value expires`, one user a line. */
function usersTable(users) {
  const lines = ['key_name(str) key_type(int) value_type(int) key_value(str) expires(int)'];
  for (const [user, password] of Object.entries(users)) {
    if (!/^[A-Za-z0-9._~+-]{1,64}$/.test(user)) throw new Error(`invalid SIP user ${JSON.stringify(user)}`);
    if (typeof password !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(password) || /[:\\]/.test(password)) {
      throw new Error(`the password of ${user} must be 1–128 printable ASCII characters without ":" or "\\"`);
    }
    lines.push(`${user}:0:0:${password}:0`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Starts Kamailio and resolves once its WebSocket port accepts connections.
 * Refuses (rejects with a clear error) when a port is already taken.
 *
 * @param {object} options
 * @param {number} options.wsPort TCP port of the WebSocket listener
 * @param {number} options.sipPort UDP port of the leg to the conference server
 * @param {string} options.conferenceUri `sip:127.0.0.1:PORT` of the conference server's UDP listener
 * @param {Record<string, string>} options.users user -> password
 * @param {string} [options.sipDomain] default vinteo.local
 * @param {(line: string) => void} [options.log] receives Kamailio's log lines
 * @param {boolean} [options.debug] Kamailio debug logging (WITH_DEBUG)
 * @param {(message: string) => void} [options.onCrash] called when Kamailio exits without stop()/restart()
 */
export async function startKamailio(options) {
  const found = findKamailio();
  if (!found.ok) throw new Error(found.reason);
  const wsPort = checkPort(options.wsPort, 'wsPort');
  const sipPort = checkPort(options.sipPort, 'sipPort');
  const sipDomain = options.sipDomain ?? DEFAULT_SIP_DOMAIN;
  if (!/^[A-Za-z0-9.-]+$/.test(sipDomain)) throw new Error(`invalid SIP domain ${JSON.stringify(sipDomain)}`);
  const conference = /^sip:(127\.\d+\.\d+\.\d+):(\d{1,5})$/.exec(options.conferenceUri ?? '');
  if (!conference) throw new Error(`conferenceUri must be sip:127.x.x.x:PORT (the conference server's UDP listener), got ${JSON.stringify(options.conferenceUri)}`);
  const table = usersTable(options.users ?? {});

  const dir = mkdtempSync(join(tmpdir(), 'vinteo-kamailio-')); // mode 0700
  const dbDir = join(dir, 'db');
  mkdirSync(dbDir, { mode: 0o700 });
  writeFileSync(join(dbDir, 'users'), table, { mode: 0o600 });
  const ctlSocket = join(dir, 'kamailio_ctl');

  const log = [];
  const sink = options.log ?? (() => {});
  const remember = (line) => {
    log.push(line);
    if (log.length > LOG_LINES) log.splice(0, log.length - LOG_LINES);
    sink(line);
  };

  let child;
  let exited;
  let stopping = false;

  async function launch() {
    for (const [port, protocol, what] of [
      [wsPort, 'tcp', 'WebSocket (TCP)'],
      [sipPort, 'udp', 'SIP (UDP)'],
    ]) {
      if (!(await portIsFree(port, protocol))) {
        throw new Error(`Kamailio not started: ${what} port ${port} on 127.0.0.1 is already in use (is another Kamailio running?)`);
      }
    }
    const args = [
      '-DD', // foreground, no daemon (children still fork)
      '-E', // log to stderr
      '-f', CONFIG_PATH,
      '-L', found.modulesDir,
      '-Y', dir,
      '-P', join(dir, 'kamailio.pid'),
      '-w', dir,
      '-m', '32',
      '-M', '8',
      '-A', `WS_PORT=${wsPort}`,
      '-A', `SIP_PORT=${sipPort}`,
      '-A', `CONF_URI="${options.conferenceUri}"`,
      '-A', `CONF_HOST="${conference[1]}"`,
      '-A', `CONF_PORT=${conference[2]}`,
      '-A', `USERS_DB="text://${dbDir}"`,
      '-A', `CTL_SOCKET="unix:${ctlSocket}"`,
      '-A', `SIP_DOMAIN="${sipDomain}"`,
      '-A', `SIP_DOMAIN_ALIAS=${sipDomain}`,
      ...(options.debug ? ['-A', 'WITH_DEBUG'] : []),
    ];
    // Its own process group, so that stop() reaches the children too.
    child = spawn(found.binary, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const current = child;
    exited = new Promise((resolve) => current.once('exit', (code, signal) => resolve({ code, signal })));
    current.once('error', (error) => remember(`spawn error: ${error.message}`));
    let buffered = '';
    const onData = (data) => {
      buffered += data.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) if (line.trim()) remember(line);
    };
    current.stdout.on('data', onData);
    current.stderr.on('data', onData);
    let ready = false;
    groups.add(current);
    exited.then(({ code, signal }) => {
      groups.delete(current);
      if (!stopping && ready && options.onCrash) {
        options.onCrash(`Kamailio (pid ${current.pid}) exited unexpectedly (${signal ?? `code ${code}`}):\n${log.slice(-25).join('\n')}`);
      }
    });

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const done = await Promise.race([exited, sleep(25).then(() => undefined)]);
      if (done) {
        throw new Error(`Kamailio exited at start (${done.signal ?? `code ${done.code}`}):\n${log.slice(-25).join('\n')}`);
      }
      if (await canConnect(wsPort)) {
        ready = true;
        return;
      }
      if (Date.now() > deadline) {
        await terminate();
        throw new Error(`Kamailio did not open 127.0.0.1:${wsPort} within ${START_TIMEOUT_MS} ms:\n${log.slice(-25).join('\n')}`);
      }
    }
  }

  async function terminate() {
    stopping = true;
    try {
      await kill();
    } finally {
      stopping = false;
    }
  }

  async function kill() {
    const current = child;
    if (!current?.pid) return;
    const group = -current.pid;
    try {
      // Also when the main process is gone already: its children may not be.
      process.kill(group, current.exitCode === null && current.signalCode === null ? 'SIGTERM' : 'SIGKILL');
    } catch {
      // already gone
    }
    const stopped = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => undefined)]);
    if (!stopped) {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
    // Children may outlive the main process by a moment: make sure the group is empty.
    for (let i = 0; i < 40; i++) {
      try {
        process.kill(group, 0);
      } catch {
        break;
      }
      if (i === 20) {
        try {
          process.kill(group, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await sleep(25);
    }
    // And the ports are free again (a restart binds the same ones).
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (!((await portIsFree(wsPort, 'tcp')) && (await portIsFree(sipPort, 'udp')))) {
      if (Date.now() > deadline) throw new Error(`Kamailio stopped but ports ${wsPort}/tcp, ${sipPort}/udp are still busy`);
      await sleep(25);
    }
  }

  try {
    await launch();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let stopped = false;
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}/`,
    wsPort,
    sipPort,
    sipDomain,
    dir,
    get pid() {
      return child?.pid;
    },
    /** The last lines Kamailio logged. */
    logTail: (lines = 40) => log.slice(-lines).join('\n'),
    /** Stops Kamailio and starts it again on the same ports (its registrations are gone). */
    async restart() {
      if (stopped) throw new Error('Kamailio was stopped');
      await terminate();
      await launch();
    },
    /**
     * The contacts Kamailio's registrar holds for `user` (ul.lookup through the control
     * socket): `[{ contact, received, socket, expires }]`, [] when none.
     */
    registrations(user) {
      if (!/^[A-Za-z0-9._~+-]{1,64}$/.test(user)) return Promise.reject(new Error('invalid user'));
      if (!found.kamcmd) return Promise.reject(new Error('kamcmd is not installed'));
      return new Promise((resolve, reject) => {
        execFile(found.kamcmd, ['-s', `unix:${ctlSocket}`, 'ul.lookup', 'location', `${user}@${sipDomain}`], { timeout: 5000 }, (error, stdout, stderr) => {
          const text = `${stdout}${stderr}`.trim();
          // kamcmd prints RPC errors as "error: CODE - text" (exit status 0).
          if (/^error: \d+ - AOR not found/im.test(text)) {
            resolve([]);
            return;
          }
          if (error || /^error: /im.test(text)) {
            reject(new Error(`kamcmd ul.lookup failed: ${text || error?.message}`));
            return;
          }
          resolve(parseContacts(stdout));
        });
      });
    },
    /** Stops Kamailio (the whole process group), waits for its ports to be free, removes the temp dir. */
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await terminate();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Contacts out of kamcmd's ul.lookup output (`Contact: { Address: …, Expires: …, Received: …, Socket: … }`). */
function parseContacts(text) {
  const contacts = [];
  let current;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const match = /^(Address|Expires|Received|Socket|Path|Q|User-Agent):\s*(.*)$/.exec(line);
    if (!match) continue;
    if (match[1] === 'Address') {
      current = { contact: match[2] };
      contacts.push(current);
      continue;
    }
    if (!current) continue;
    if (match[1] === 'Expires') current.expires = Number(match[2]);
    if (match[1] === 'Received') current.received = match[2];
    if (match[1] === 'Socket') current.socket = match[2];
    if (match[1] === 'User-Agent') current.userAgent = match[2];
  }
  return contacts;
}

// Every Kamailio started by this process, killed if the process exits without stopping them.
const groups = new Set();
process.once('exit', () => {
  for (const child of groups) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

async function main() {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: {
      conference: { type: 'string' },
      'ws-port': { type: 'string' },
      'sip-port': { type: 'string' },
      debug: { type: 'boolean', default: false },
    },
  });
  if (!values.conference) {
    process.stderr.write('usage: node test/kamailio/launcher.mjs --conference sip:127.0.0.1:PORT [--ws-port N] [--sip-port N] [--debug]\n');
    process.exit(2);
  }
  const users = randomUsers();
  const kamailio = await startKamailio({
    wsPort: values['ws-port'] ? Number(values['ws-port']) : await pickFreePort('tcp'),
    sipPort: values['sip-port'] ? Number(values['sip-port']) : await pickFreePort('udp'),
    conferenceUri: values.conference,
    users,
    debug: values.debug,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`Kamailio: ${kamailio.wsUrl} (SIP domain ${kamailio.sipDomain}, UDP ${kamailio.sipPort})\nusers: ${JSON.stringify(users)}\n`);
  const stop = () => kamailio.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
