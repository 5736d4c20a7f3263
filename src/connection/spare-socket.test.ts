// The signalling WebSocket opened ahead of a connect (VinteoClient.preconnect()): taken once, by a connect to
// its own address only; closed otherwise, and when no connect takes it in time.
import { expect, waitUntil } from '@open-wc/testing';
import { openSpareSocket } from './spare-socket.js';

type Fake = WebSocket & { closes: number; protocolsAsked: string | string[] | undefined };

describe('openSpareSocket', () => {
  const Native = window.WebSocket;
  let made: Fake[] = [];
  beforeEach(() => {
    made = [];
    // A stand-in that connects nowhere: the address, the subprotocol, its state and close() calls.
    class FakeSocket extends EventTarget {
      static readonly CONNECTING = 0;
      static readonly OPEN = 1;
      static readonly CLOSING = 2;
      static readonly CLOSED = 3;
      readyState = 0;
      binaryType = 'blob';
      closes = 0;
      constructor(
        readonly url: string,
        readonly protocolsAsked?: string | string[],
      ) {
        super();
        made.push(this as unknown as Fake);
      }
      close(): void {
        this.closes += 1;
        this.readyState = 3;
      }
    }
    window.WebSocket = FakeSocket as unknown as typeof WebSocket;
  });
  afterEach(() => {
    window.WebSocket = Native;
  });

  const URL = 'wss://vinteo.example/webrtc/wss/';

  it('opens a sip socket at once and hands it, once, to a connect to the same address', () => {
    const spare = openSpareSocket(URL, 15_000)!;
    expect(made).to.have.length(1);
    expect(made[0]!.protocolsAsked).to.equal('sip');
    expect(made[0]!.binaryType).to.equal('arraybuffer');
    expect(spare.url).to.equal(URL);
    expect(spare.take(URL)).to.equal(made[0]);
    expect(spare.take(URL), 'once').to.equal(undefined);
    spare.close();
    expect(made[0]!.closes, 'taken: the user agent owns it').to.equal(0);
  });

  it('a connect to another address gets none, and the socket is closed', () => {
    const spare = openSpareSocket(URL, 15_000)!;
    expect(spare.take('wss://other.example/webrtc/wss/')).to.equal(undefined);
    expect(made[0]!.closes).to.equal(1);
    expect(spare.take(URL), 'closed for good').to.equal(undefined);
  });

  it('a socket that closed meanwhile is not handed', () => {
    const spare = openSpareSocket(URL, 15_000)!;
    (made[0] as unknown as { readyState: number }).readyState = 3;
    expect(spare.take(URL)).to.equal(undefined);
  });

  it('is closed when no connect takes it in time, and by close()', async () => {
    openSpareSocket(URL, 20);
    await waitUntil(() => made[0]!.closes === 1, 'the unused socket stayed open', { timeout: 5000 });
    const other = openSpareSocket(URL, 15_000)!;
    other.close();
    expect(made[1]!.closes).to.equal(1);
    expect(other.take(URL)).to.equal(undefined);
  });

  it('none where no WebSocket can be made', () => {
    window.WebSocket = class {
      constructor() {
        throw new SyntaxError('bad address');
      }
    } as unknown as typeof WebSocket;
    expect(openSpareSocket('not a url', 15_000)).to.equal(undefined);
  });
});
