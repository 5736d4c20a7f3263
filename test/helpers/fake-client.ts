// A VinteoClient on the fake transport with synthetic media, for unit and component tests.
import { VinteoClient } from '../../src/client.js';
import { fakeTransport, syntheticMedia, type FakeBehaviour } from './fake-transport.js';
import type { VinteoClientOptions } from '../../src/types.js';

export function makeClient(behaviour: FakeBehaviour = {}, options: VinteoClientOptions = {}) {
  const transport = fakeTransport(behaviour);
  const client = new VinteoClient({
    wsUrl: 'ws://127.0.0.1:1/webrtc/wss/',
    sipDomain: 'vinteo.local',
    displayName: 'Tester',
    userAgentFactory: transport.factory,
    mediaProvider: syntheticMedia,
    ...options,
  });
  return { client, transport };
}
