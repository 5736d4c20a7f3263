import { expect } from '@open-wc/testing';
import { TypedEmitter } from './emitter.js';
import { VinteoError } from './errors.js';
import { logger, redact } from './logger.js';
import { AsyncQueue } from './queue.js';
import { StateMachine } from './state.js';
import { Store } from './store.js';

describe('AsyncQueue', () => {
  it('runs tasks one at a time, in order, even when one fails', async () => {
    const queue = new AsyncQueue();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms);
      });
    const a = queue.push(task('a', 20));
    const b = queue.push(task('b', 1, true));
    const c = queue.push(task('c', 1));
    expect(queue.size).to.equal(3);
    expect(await a).to.equal('a');
    let failed: unknown;
    await b.catch((error: unknown) => (failed = error));
    expect((failed as Error).message).to.equal('b');
    expect(await c).to.equal('c');
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(queue.size).to.equal(0);
  });
});

describe('StateMachine', () => {
  type S = 'a' | 'b' | 'c';
  it('allows only listed transitions and reports each once', () => {
    const changes: string[] = [];
    const machine = new StateMachine<S>('test', 'a', { a: ['b'], b: ['c', 'a'], c: [] }, (to, from) => changes.push(`${from}->${to}`));
    expect(machine.transition('c')).to.equal(false);
    expect(machine.transition('b')).to.equal(true);
    expect(machine.transition('b')).to.equal(false);
    expect(machine.transition('c')).to.equal(true);
    expect(machine.transition('a')).to.equal(false);
    expect(machine.state).to.equal('c');
    expect(changes).to.deep.equal(['a->b', 'b->c']);
  });
});

describe('Store', () => {
  it('notifies a subscriber only when its slice changes', () => {
    const store = new Store({ a: 1, b: { x: 1 } });
    const seen: Array<[number, number]> = [];
    const off = store.subscribe(
      (s) => s.a,
      (value, previous) => seen.push([value, previous]),
    );
    store.update((s) => ({ ...s, b: { x: 2 } }));
    store.update((s) => ({ ...s, a: 2 }));
    off();
    store.update((s) => ({ ...s, a: 3 }));
    expect(seen).to.deep.equal([[2, 1]]);
    expect(Object.isFrozen(store.get())).to.equal(true);
    expect(store.subscriberCount).to.equal(0);
  });

  it('keeps notifying others when a subscriber throws', () => {
    const store = new Store({ a: 1 });
    const level = logger.level;
    logger.level = 'silent';
    let called = 0;
    store.subscribe(
      (s) => s.a,
      () => {
        throw new Error('boom');
      },
    );
    store.subscribe(
      (s) => s.a,
      () => called++,
    );
    store.set({ a: 2 });
    logger.level = level;
    expect(called).to.equal(1);
  });
});

describe('TypedEmitter', () => {
  it('delivers, unsubscribes, isolates throwing listeners and counts', () => {
    const emitter = new TypedEmitter<{ ping: number }>();
    const got: number[] = [];
    const level = logger.level;
    logger.level = 'silent';
    emitter.on('ping', () => {
      throw new Error('bad listener');
    });
    const off = emitter.on('ping', (n) => got.push(n));
    emitter.once('ping', (n) => got.push(n * 10));
    emitter.emit('ping', 1);
    off();
    emitter.emit('ping', 2);
    logger.level = level;
    expect(got).to.deep.equal([1, 10]);
    expect(emitter.listenerCount()).to.equal(1);
    emitter.removeAllListeners();
    expect(emitter.listenerCount()).to.equal(0);
  });
});

describe('VinteoError', () => {
  it('has a reason, a message, a cause and a JSON form', () => {
    const cause = new Error('inner');
    const error = VinteoError.connectionFailed('refused', cause);
    expect(error).to.be.instanceOf(Error);
    expect(error.reason).to.equal('connection-failed');
    expect(error.message).to.contain('refused');
    expect(error.cause).to.equal(cause);
    expect(VinteoError.authenticationFailed(403).toJSON()).to.deep.equal({
      reason: 'authentication-failed',
      message: 'The server refused the user name or password',
      statusCode: 403,
    });
  });

  it('wraps foreign errors and keeps its own', () => {
    const own = VinteoError.aborted('x');
    expect(VinteoError.from(own)).to.equal(own);
    expect(VinteoError.from(new TypeError('t'), 'protocol-error').reason).to.equal('protocol-error');
    expect(VinteoError.from('text').message).to.equal('text');
    expect(VinteoError.from(undefined).message).to.equal('Unknown error');
  });
});

describe('redact', () => {
  const cases: Array<[string, string]> = [
    ['password=hunter2', 'password=***'],
    ['{"password":"hunter2","user":"1"}', '{"password":***,"user":"1"}'],
    ['Authorization: Digest username="1001", response="abc"\r\nVia: x', 'Authorization: ***\r\nVia: x'],
    ['X-BEARER-TOKEN: eyJhbGciOi', 'X-BEARER-TOKEN: ***'],
    ['nothing here', 'nothing here'],
  ];
  for (const [input, output] of cases) {
    it(`masks ${JSON.stringify(input)}`, () => {
      expect(redact(input)).to.equal(output);
    });
  }
});

describe('loadHelpers (the ESM package)', () => {
  it('resolves at once with the helpers the package also exports by name', async () => {
    const pkg = await import('./index.js');
    const helpers = await pkg.loadHelpers();
    expect(helpers.protocol).to.equal(pkg.protocol);
    expect(helpers.parseStats).to.equal(pkg.parseStats);
    expect(helpers.assessQuality).to.equal(pkg.assessQuality);
    expect(helpers.BITRATE_TABLE).to.equal(pkg.BITRATE_TABLE);
    expect(helpers.resolveCredentials).to.equal(pkg.resolveCredentials);
    expect(helpers.protocol.parseResolution).to.equal(pkg.parseResolution);
    expect(pkg.protocol.parseResolution('1920 x 1080')).to.deep.equal({ width: 1920, height: 1080 });
  });
});
