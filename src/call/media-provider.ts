/** Where local media comes from; swapped for a fake in component tests. */
export interface MediaProvider {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
}

export const browserMediaProvider: MediaProvider = {
  getUserMedia: (constraints) => {
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      return Promise.reject(new DOMException('getUserMedia is not available (a secure context is required)', 'NotSupportedError'));
    }
    return navigator.mediaDevices.getUserMedia(constraints);
  },
};
