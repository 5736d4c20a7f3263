/**
 * vinteo-dev-server command line:
 *   vinteo-dev-server [--port 8089] [--control-port 8090] [--sip-port 5070] [--tls-port 8443]
 *                     [--stun-port 3478] [--users users.json] [--sip-domain vinteo.local]
 *                     [--host 127.0.0.1] [--waiting-room] [--verbose]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CONTROL_PORT, DEFAULT_PORT, DEFAULT_SIP_DOMAIN, startDevServer, validateUsers, type DevServer } from './index.js';

const USAGE = `Usage: vinteo-dev-server [options]

A local Vinteo-like conference server (SIP over WebSocket + WebRTC echo) and
its JSON control API. Listens on loopback only.

Options:
  --port <n>            SIP WebSocket port (default ${DEFAULT_PORT}, 0 = any free port)
  --control-port <n>    control API port (default ${DEFAULT_CONTROL_PORT}, 0 = any free port)
  --sip-port <n>        also listen for plain SIP over UDP on this port (0 = any free
                        port), for a SIP proxy such as Kamailio in front; off by default
  --tls-port <n>        also serve HTTPS + secure WebSocket (wss://…/webrtc/wss/ and
                        https://…/api/v1/address) on this port with a self-signed
                        certificate made at start (0 = any free port); off by default
  --stun-port <n>       answer STUN binding requests on this UDP port (0 = any free
                        port); discovery then offers it in iceServers; off by default
  --users <file>        JSON file mapping user -> password, e.g. {"1001":"secret"}
                        (without it only guests can call; nobody can register)
  --sip-domain <name>   SIP domain and digest realm (default ${DEFAULT_SIP_DOMAIN})
  --host <addr>         loopback address to bind (default 127.0.0.1; ::1 allowed)
  --waiting-room        put guests (X-Vinteo-Purgatory-Call: yes) in purgatory until admitted
                        through the control API or the console
  --verbose             log every SIP request and response
  -h, --help            show this help
`;

class UsageError extends Error {}

function parsePort(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`${name} must be a port number between 0 and 65535, got "${value}"`);
  return Number(value);
}

function readUsers(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read users file ${file}${code ? ` (${code})` : ''}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`users file ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return validateUsers(data);
  } catch (error) {
    throw new UsageError(`users file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseCli(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'control-port': { type: 'string' },
        'sip-port': { type: 'string' },
        'tls-port': { type: 'string' },
        'stun-port': { type: 'string' },
        users: { type: 'string' },
        'sip-domain': { type: 'string' },
        host: { type: 'string' },
        'waiting-room': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return { help: true as const };
  const port = parsePort(v.port, '--port', DEFAULT_PORT);
  const controlPort = parsePort(v['control-port'], '--control-port', DEFAULT_CONTROL_PORT);
  if (port !== 0 && port === controlPort) throw new UsageError(`--port and --control-port must differ (both ${port})`);
  const sipPort = v['sip-port'] === undefined ? undefined : parsePort(v['sip-port'], '--sip-port', 0);
  const tlsPort = v['tls-port'] === undefined ? undefined : parsePort(v['tls-port'], '--tls-port', 0);
  const stunPort = v['stun-port'] === undefined ? undefined : parsePort(v['stun-port'], '--stun-port', 0);
  const tcpPorts = [port, controlPort, tlsPort].filter((p) => p !== undefined && p !== 0);
  if (new Set(tcpPorts).size !== tcpPorts.length) throw new UsageError(`--port, --control-port and --tls-port must differ (${tcpPorts.join(', ')})`);
  const sipDomain = v['sip-domain'] ?? DEFAULT_SIP_DOMAIN;
  if (!/^[A-Za-z0-9.-]+$/.test(sipDomain)) throw new UsageError(`--sip-domain must be a host name or IP address, got "${sipDomain}"`);
  const users = v.users !== undefined ? readUsers(v.users) : {};
  return { help: false as const, port, controlPort, sipPort, tlsPort, stunPort, sipDomain, users, host: v.host, waitingRoom: v['waiting-room'] ?? false, verbose: v.verbose ?? false };
}

async function main(): Promise<void> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`vinteo-dev-server: ${error.message}\nRun "vinteo-dev-server --help" for usage.\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  const sink = (line: string): void => {
    const stamp = new Date().toISOString().slice(11, 23);
    (line.startsWith('[warn]') ? process.stderr : process.stdout).write(`${stamp} ${line}\n`);
  };

  let server: DevServer;
  try {
    server = await startDevServer({
      port: cli.port,
      controlPort: cli.controlPort,
      ...(cli.sipPort !== undefined ? { sipPort: cli.sipPort } : {}),
      ...(cli.tlsPort !== undefined ? { tlsPort: cli.tlsPort } : {}),
      ...(cli.stunPort !== undefined ? { stunPort: cli.stunPort } : {}),
      users: cli.users,
      sipDomain: cli.sipDomain,
      waitingRoom: cli.waitingRoom,
      ...(cli.host !== undefined ? { host: cli.host } : {}),
      log: sink,
      logLevel: cli.verbose ? 'debug' : 'info',
    });
  } catch (error) {
    process.stderr.write(`vinteo-dev-server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = /host must be/.test(String(error)) ? 2 : 1;
    return;
  }
  const userNames = Object.keys(cli.users);
  process.stdout.write(
    [
      'vinteo-dev-server is running',
      `  SIP WebSocket: ${server.wsUrl}`,
      ...(server.wssUrl ? [`  SIP over TLS:  ${server.wssUrl}  (server setting ${server.tlsHost}; self-signed, SPKI sha256 ${server.tlsCertificate?.spkiSha256})`] : []),
      ...(server.sipUri ? [`  SIP over UDP:  ${server.sipUri}  (for a SIP proxy in front)`] : []),
      ...(server.stunUrl ? [`  STUN:          ${server.stunUrl}`] : []),
      `  Control API:   ${server.controlUrl}  (moderator console: ${server.controlUrl}/)`,
      `  SIP domain:    ${server.sipDomain}`,
      `  Users:         ${userNames.length ? userNames.join(', ') : '(none: guests only)'}`,
      `  Waiting room:  ${cli.waitingRoom ? 'on' : 'off'}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`vinteo-dev-server: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`vinteo-dev-server: ${signal} received, stopping\n`);
    const force = setTimeout(() => {
      process.stderr.write('vinteo-dev-server: shutdown timed out\n');
      process.exit(1);
    }, 5000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`vinteo-dev-server: error while stopping: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`vinteo-dev-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
