import { expect } from '@open-wc/testing';
import { parseCodecList } from './codec-list.js';
import { orderCodecs } from './codecs.js';
import { VinteoError } from '../errors.js';

const video = ['video/VP8', 'video/rtx', 'video/VP9', 'video/H264', 'video/AV1', 'video/red', 'video/ulpfec'].map((mimeType) => ({ mimeType }));
const names = (list: Array<{ mimeType: string }>) => list.map((c) => c.mimeType);

describe('codec preferences', () => {
  it('parses lists and refuses hostile values', () => {
    expect(parseCodecList('video/VP9  video/AV1,audio/opus', 'preferred-codecs')).to.deep.equal(['video/vp9', 'video/av1', 'audio/opus']);
    expect(parseCodecList('', 'x')).to.deep.equal([]);
    expect(parseCodecList(undefined, 'x')).to.deep.equal([]);
    expect(() => parseCodecList('VP9', 'preferred-codecs')).to.throw(VinteoError, /preferred-codecs/);
    expect(() => parseCodecList('video/<script>', 'exclude-codecs')).to.throw(VinteoError, /exclude-codecs/);
  });

  it('puts preferred codecs first in the given order and keeps the rest in place', () => {
    expect(names(orderCodecs(video, { preferred: ['video/av1', 'video/vp9'], excluded: [] }))).to.deep.equal([
      'video/AV1',
      'video/VP9',
      'video/VP8',
      'video/rtx',
      'video/H264',
      'video/red',
      'video/ulpfec',
    ]);
  });

  it('removes excluded codecs', () => {
    expect(names(orderCodecs(video, { preferred: [], excluded: ['video/vp9', 'video/av1'] }))).to.deep.equal([
      'video/VP8',
      'video/rtx',
      'video/H264',
      'video/red',
      'video/ulpfec',
    ]);
  });

  it('ignores an exclusion that would leave no media codec', () => {
    const only = [{ mimeType: 'video/VP8' }, { mimeType: 'video/rtx' }];
    expect(names(orderCodecs(only, { preferred: [], excluded: ['video/vp8'] }))).to.deep.equal(['video/VP8', 'video/rtx']);
  });
});
