// Room access (protocol §5): every row of the table and the credential rules, as pure functions.
import { expect } from '@open-wc/testing';
import { credentialsAfterEnterRoom, credentialsFromNotify, roomAccess, type RoomCredentials } from './access.js';

const creds = (conference: string, token = 'tok-1'): RoomCredentials => ({ token, conference });

describe('roomAccess (protocol §5)', () => {
  const rows: Array<[string, string | undefined, boolean, RoomCredentials | undefined, string]> = [
    ['no room yet', undefined, false, undefined, 'none'],
    ['purgatory', 'purgatory', false, undefined, 'waiting'],
    ['purgatory in any case, even with credentials for it', 'Purgatory', false, creds('purgatory'), 'waiting'],
    ['purgatory with the direct flag', 'purgatory', true, undefined, 'waiting'],
    ['p2p…to… without the direct flag', 'p2p1001to1000', false, undefined, 'p2p'],
    ['P2P…TO… in any case', 'P2P1001TO1000', false, undefined, 'p2p'],
    ['p2p…to… with matching credentials stays p2p', 'p2p1001to1000', false, creds('p2p1001to1000'), 'p2p'],
    ['"p2pto" is not a p2p room (needs something around "to")', 'p2pto', false, undefined, 'pending'],
    ['any room with the direct flag', '1000', true, creds('1000'), 'direct-p2p'],
    ['a p2p room with the direct flag', 'p2p1001to1000', true, undefined, 'direct-p2p'],
    ['other room, credentials match', '1000', false, creds('1000'), 'in-room'],
    ['other room, credentials of another conference', '1000', false, creds('2000'), 'pending'],
    ['other room, no credentials', '1000', false, undefined, 'pending'],
    ['other room, empty token', '1000', false, creds('1000', ''), 'pending'],
    ['room lower-cased against credentials', 'Sales', false, creds('sales'), 'in-room'],
    ['body.conference compared verbatim (upper case never matches)', 'sales', false, creds('Sales'), 'pending'],
  ];
  for (const [name, room, direct, credentials, expected] of rows) {
    it(`${name} → ${expected}`, () => {
      expect(roomAccess(room, direct, credentials)).to.equal(expected);
    });
  }
});

describe('in-room credentials (protocol §5)', () => {
  it('x-bearer-token on enter-room: the token, for the room (lower-cased)', () => {
    expect(credentialsAfterEnterRoom({ room: 'Sales', isDirectP2P: false, bearerToken: 'abc' }, undefined)).to.deep.equal({ token: 'abc', conference: 'sales' });
  });

  it('a token-less enter-room keeps earlier credentials for a normal room', () => {
    const previous = creds('1000');
    expect(credentialsAfterEnterRoom({ room: '1000', isDirectP2P: false }, previous)).to.equal(previous);
    expect(credentialsAfterEnterRoom({ room: '2000', isDirectP2P: false, bearerToken: '' }, previous)).to.equal(previous);
  });

  it('a new token replaces earlier credentials', () => {
    expect(credentialsAfterEnterRoom({ room: '2000', isDirectP2P: false, bearerToken: 'new' }, creds('1000'))).to.deep.equal({ token: 'new', conference: '2000' });
  });

  it('purgatory, p2p and direct p2p clear the credentials (with or without a token)', () => {
    for (const info of [
      { room: 'purgatory', isDirectP2P: false },
      { room: 'PURGATORY', isDirectP2P: false, bearerToken: 'x' },
      { room: 'p2p1to2', isDirectP2P: false },
      { room: '1000', isDirectP2P: true, bearerToken: 'x' },
    ]) {
      expect(credentialsAfterEnterRoom(info, creds('1000')), info.room).to.equal(undefined);
    }
  });

  it('ConferenceParticipantTokenIssued: the jwt for body.conference, verbatim', () => {
    expect(credentialsFromNotify({ conference: 'Sales', jwt: 'j.w.t' })).to.deep.equal({ token: 'j.w.t', conference: 'Sales' });
  });

  it('a notify alone never leaves purgatory or a p2p room', () => {
    expect(roomAccess('purgatory', false, credentialsFromNotify({ conference: 'purgatory', jwt: 'j' }))).to.equal('waiting');
    expect(roomAccess('p2p1to2', false, credentialsFromNotify({ conference: 'p2p1to2', jwt: 'j' }))).to.equal('p2p');
    expect(roomAccess('1000', false, credentialsFromNotify({ conference: '1000', jwt: 'j' }))).to.equal('in-room');
  });
});
