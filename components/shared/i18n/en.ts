import type { VinteoErrorReason } from '../../../src/errors.js';
import type { PanelLabels } from './en-panels.js';

/**
 * The English labels and messages of `<vinteo-call>` and `<vinteo-session>`, the errors and the shared texts: the
 * reference table, with `en-panels.ts` for the other four elements (their keys together are the label keys).
 */
export const en = {
  join: 'Join',
  leave: 'Leave',
  cancel: 'Cancel',
  microphone: 'Microphone',
  camera: 'Camera',
  microphoneOn: 'Microphone on',
  microphoneOff: 'Microphone off',
  cameraOn: 'Camera on',
  cameraOff: 'Camera off',
  statusIdle: 'Ready to join',
  statusConnecting: 'Connecting to the server…',
  statusMedia: 'Waiting for camera and microphone…',
  statusCalling: 'Calling the conference…',
  statusInCall: 'In the conference',
  statusEnded: 'The call has ended',
  statusFailed: 'Could not join',
  room: 'Room',
  remoteVideo: 'Conference video',
  localVideo: 'Your camera',
  endedLocal: 'You left the conference.',
  endedRemote: 'The server ended the call.',
  endedCancelled: 'Joining was cancelled.',
  endedConnectionLost: 'The connection to the server was lost.',
  controls: 'Call controls',
  answer: 'Answer',
  decline: 'Decline',
  accept: 'Accept',
  incomingCall: 'Incoming call',
  statusRinging: 'Incoming call…',
  statusWaiting: 'Waiting for the moderator to let you in',
  accessPending: 'Waiting for authorisation',
  roleSpectator: 'You are a spectator: your camera and microphone are off.',
  roleSpectatorMaySend: 'You are a spectator: you may send media again when your camera allows it.',
  moderatorAsksMicrophoneOn: 'The moderator asks you to turn on your microphone.',
  moderatorAsksMicrophoneOff: 'The moderator asks you to turn off your microphone.',
  moderatorAsksCameraOn: 'The moderator asks you to turn on your camera.',
  moderatorAsksCameraOff: 'The moderator asks you to turn off your camera.',
  cameraRequested: 'You asked the moderator to allow your camera.',
  cameraBlocked: 'The moderator turned your camera off; pressing Camera asks for permission.',
  microphoneBlocked: 'The moderator turned your microphone off.',
  receiveOnly: 'Camera and microphone are unavailable: you can watch and listen.',
  endedDeclined: 'You declined the call.',
  endedMissed: 'The caller hung up.',
  statusBusy: 'Another call is running on this connection',
  busyRefused: 'Only one call at a time: the other call goes on. End it first to join here.',
  noClient: 'Put this element inside <vinteo-session>, or give it a server or ws-url attribute.',
  statusReconnecting: 'Connection lost: reconnecting…',
  reconnectAttempt: 'attempt',
  callRecovered: 'Reconnected.',
  restoringVideo: 'Restoring video…',
  // The call's Share button and its presentation view (also <vinteo-presentation>'s).
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  othersContent: 'Presentation',
  // The lobby's device lists (also <vinteo-devices>').
  cameraNumbered: 'Camera {n}',
  microphoneNumbered: 'Microphone {n}',
  noCamera: 'No camera found',
  noMicrophone: 'No microphone found',
  // The call's quality badge (also <vinteo-stats>').
  qualityGood: 'Good',
  qualityFair: 'Fair',
  qualityPoor: 'Poor',
  // Call states, errors and announcements (issue #16: states, errors, focus).
  reconnectingAttempt: 'Reconnecting… attempt {attempt}',
  serverNotAnswering: 'The server {server} is not answering.',
  serverNotAnsweringUnnamed: 'The conference server is not answering.',
  serverNotAnsweringHint: 'Check your internet connection, then try again.',
  roleParticipant: 'You are a participant again.',
  retry: 'Retry',
  qualityBadge: 'Connection quality',
  errorDetails: 'Details',
  configurationProblem: 'Configuration problem (a note for the page author):',
  // Error messages by reason. In English the error's own (more detailed) message is shown unless one of
  // these is overridden; in Russian these are shown (with the detail for invalid-config).
  errorInvalidConfig: 'The widget is not set up correctly',
  errorInvalidState: 'This cannot be done right now',
  errorConnectionFailed: 'Could not reach the conference server',
  errorConnectionLost: 'The connection to the server was lost',
  errorAuthenticationFailed: 'The server refused the user name or password',
  errorRegistrationFailed: 'Could not register with the server',
  errorCallRejected: 'The server refused the call',
  errorCallFailed: 'The call failed',
  errorMediaPermissionDenied: 'Access to the camera or microphone was denied',
  errorMediaUnavailable: 'No camera or microphone was found',
  errorProtocolError: 'Protocol error',
  errorPresentationDeclined: 'The server did not allow screen sharing',
  errorPresentationFailed: 'Could not share the screen',
  errorAborted: 'Cancelled',
  errorCheckAttribute: 'check the {attribute} attribute',
  // The pre-join lobby and the control bar (issue #16: lobby, controls, full screen).
  lobby: 'Before you join',
  previewCamera: 'Preview camera',
  stopPreview: 'Stop preview',
  previewVideo: 'Your camera preview',
  yourName: 'Your name',
  microphoneLevel: 'Microphone level',
  joinWithMicrophone: 'Join with microphone on',
  joinWithCamera: 'Join with camera on',
  fullScreen: 'Full screen',
  exitFullScreen: 'Exit full screen',
} as const;

/** The labels the loader carries: those of `<vinteo-call>`, `<vinteo-session>` and the errors. */
export type CallLabels = { readonly [K in keyof typeof en]: string };

/** Every label and message by key; each language's tables (this one and its panels') have all of them. */
export type Labels = CallLabels & PanelLabels;

/** What happened and what to do, by error reason (see `humanError`); `invalid-config` is the author notice. */
export type Sentences = Partial<Record<VinteoErrorReason, string>>;

/** The English sentences for errors, as a visitor reads them. */
export const enSentences: Sentences = {
  'connection-failed': 'Could not reach the conference server. Check your internet connection and try again.',
  'connection-lost': 'The connection to the conference server was lost. Check your internet connection and join again.',
  'authentication-failed': 'The server did not accept the user name or password. Check them, or ask the site’s administrator.',
  'registration-failed': 'Could not sign in to the conference server. Try again later, or ask the site’s administrator.',
  'call-rejected': 'The conference did not let you in. Check the conference number, or try again later.',
  'call-failed': 'The call could not be set up. Try again in a moment.',
  'media-permission-denied':
    'The browser does not let this page use your camera or microphone. Allow them in the site settings next to the address bar; until then you can watch and listen.',
  'media-unavailable': 'No camera or microphone was found. Connect one and try again; until then you can watch and listen.',
  'invalid-state': 'This cannot be done right now. Wait a moment and try again.',
  'protocol-error': 'The server sent something the call screen did not understand. Try again; if it keeps happening, tell the site’s administrator.',
  'presentation-declined': 'The conference does not allow screen sharing right now. Ask the moderator.',
  'presentation-failed': 'Screen sharing could not start. Try again.',
  aborted: 'Cancelled.',
};
