// Counts what our code leaves behind in a page: peer connections, media tracks, intervals and
// window/document/mediaDevices listeners. Install before the code under test runs; uninstall after.

type Counted = { add: number; remove: number };

export interface LeakCounter {
  /** Peer connections created and not closed. */
  livePeerConnections(): number;
  /** Camera/microphone/screen tracks handed out and still live. */
  liveTracks(): number;
  /** Intervals set and not cleared. */
  activeIntervals(): number;
  /** Net listeners added on window, document and navigator.mediaDevices, by event type. */
  listeners(): Record<string, number>;
  uninstall(): void;
}

export function installLeakCounter(): LeakCounter {
  const peers: RTCPeerConnection[] = [];
  const tracks: MediaStreamTrack[] = [];
  const intervals = new Set<number>();
  const counts = new Map<string, Counted>();
  const restore: Array<() => void> = [];

  const OriginalPeer = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends OriginalPeer {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      peers.push(this);
    }
  } as typeof RTCPeerConnection;
  restore.push(() => (window.RTCPeerConnection = OriginalPeer));

  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    tracks.push(...stream.getTracks());
    return stream;
  };
  restore.push(() => (devices.getUserMedia = getUserMedia));

  const setInterval_ = window.setInterval;
  const clearInterval_ = window.clearInterval;
  window.setInterval = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
    const id = setInterval_(handler, timeout, ...args);
    intervals.add(id);
    return id;
  }) as typeof window.setInterval;
  window.clearInterval = ((id?: number) => {
    if (id !== undefined) intervals.delete(id);
    clearInterval_(id);
  }) as typeof window.clearInterval;
  restore.push(() => {
    window.setInterval = setInterval_;
    window.clearInterval = clearInterval_;
  });

  for (const target of [window, document, devices] as EventTarget[]) {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    const count = (type: string): Counted => {
      let entry = counts.get(type);
      if (!entry) counts.set(type, (entry = { add: 0, remove: 0 }));
      return entry;
    };
    target.addEventListener = (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) => {
      count(type).add += 1;
      add(type, listener, options);
    };
    target.removeEventListener = (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) => {
      count(type).remove += 1;
      remove(type, listener, options);
    };
    restore.push(() => {
      target.addEventListener = add;
      target.removeEventListener = remove;
    });
  }

  return {
    livePeerConnections: () => peers.filter((pc) => pc.signalingState !== 'closed').length,
    liveTracks: () => tracks.filter((track) => track.readyState === 'live').length,
    activeIntervals: () => intervals.size,
    listeners: () => Object.fromEntries([...counts].map(([type, { add, remove }]) => [type, add - remove])),
    uninstall: () => {
      for (const undo of restore.splice(0).reverse()) undo();
    },
  };
}
