export type Locale = 'en' | 'ru';

const en = {
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
  roleSpectator: 'You are a spectator: your camera and microphone are off.',
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
  noClient: 'Put this element inside <vinteo-session>, or give it a server or ws-url attribute.',
  // <vinteo-dialpad> and <vinteo-devices>
  notLinked: 'Not linked to a call: put this element inside <vinteo-session>, or set its for attribute to the id of a <vinteo-call>.',
  dialpad: 'Dialpad',
  keypad: 'Keypad',
  keyStar: 'star',
  keyPound: 'pound',
  tones: 'Tones',
  send: 'Send',
  sentTones: 'Sent',
  nothingSent: 'nothing yet',
  dtmfUnavailable: 'Available during a call.',
  dtmfInvalid: 'Only 0–9, A–D, *, # and , (pause) can be sent.',
  devices: 'Devices',
  speaker: 'Speaker',
  cameraNumbered: 'Camera {n}',
  microphoneNumbered: 'Microphone {n}',
  speakerNumbered: 'Speaker {n}',
  noCamera: 'No camera found',
  noMicrophone: 'No microphone found',
  noSpeaker: 'No speaker found',
  speakerUnsupported: 'This browser cannot choose the speaker; sound plays on the system default.',
} as const;

export type Labels = { readonly [K in keyof typeof en]: string };

const ru: Labels = {
  join: 'Войти',
  leave: 'Выйти',
  cancel: 'Отмена',
  microphone: 'Микрофон',
  camera: 'Камера',
  microphoneOn: 'Микрофон включён',
  microphoneOff: 'Микрофон выключен',
  cameraOn: 'Камера включена',
  cameraOff: 'Камера выключена',
  statusIdle: 'Готов к подключению',
  statusConnecting: 'Подключение к серверу…',
  statusMedia: 'Ожидание камеры и микрофона…',
  statusCalling: 'Вызов конференции…',
  statusInCall: 'В конференции',
  statusEnded: 'Звонок завершён',
  statusFailed: 'Не удалось подключиться',
  room: 'Комната',
  remoteVideo: 'Видео конференции',
  localVideo: 'Ваша камера',
  endedLocal: 'Вы вышли из конференции.',
  endedRemote: 'Сервер завершил звонок.',
  endedCancelled: 'Подключение отменено.',
  endedConnectionLost: 'Связь с сервером потеряна.',
  controls: 'Управление звонком',
  answer: 'Ответить',
  decline: 'Отклонить',
  accept: 'Принять',
  incomingCall: 'Входящий звонок',
  statusRinging: 'Входящий звонок…',
  statusWaiting: 'Ожидание, пока модератор вас впустит',
  roleSpectator: 'Вы зритель: камера и микрофон выключены.',
  moderatorAsksMicrophoneOn: 'Модератор просит включить микрофон.',
  moderatorAsksMicrophoneOff: 'Модератор просит выключить микрофон.',
  moderatorAsksCameraOn: 'Модератор просит включить камеру.',
  moderatorAsksCameraOff: 'Модератор просит выключить камеру.',
  cameraRequested: 'Вы попросили модератора разрешить камеру.',
  cameraBlocked: 'Модератор выключил вашу камеру; кнопка «Камера» попросит разрешения.',
  microphoneBlocked: 'Модератор выключил ваш микрофон.',
  receiveOnly: 'Камера и микрофон недоступны: вы можете смотреть и слушать.',
  endedDeclined: 'Вы отклонили звонок.',
  endedMissed: 'Вызывающий положил трубку.',
  noClient: 'Поместите элемент внутрь <vinteo-session> или задайте атрибут server или ws-url.',
  notLinked: 'Элемент не связан со звонком: поместите его внутрь <vinteo-session> или укажите в атрибуте for id элемента <vinteo-call>.',
  dialpad: 'Номеронабиратель',
  keypad: 'Клавиатура',
  keyStar: 'звёздочка',
  keyPound: 'решётка',
  tones: 'Сигналы',
  send: 'Отправить',
  sentTones: 'Отправлено',
  nothingSent: 'пока ничего',
  dtmfUnavailable: 'Доступно во время звонка.',
  dtmfInvalid: 'Можно отправить только 0–9, A–D, *, # и , (пауза).',
  devices: 'Устройства',
  speaker: 'Динамик',
  cameraNumbered: 'Камера {n}',
  microphoneNumbered: 'Микрофон {n}',
  speakerNumbered: 'Динамик {n}',
  noCamera: 'Камера не найдена',
  noMicrophone: 'Микрофон не найден',
  noSpeaker: 'Динамик не найден',
  speakerUnsupported: 'Этот браузер не умеет выбирать динамик; звук идёт на системное устройство по умолчанию.',
};

const TABLES: Record<Locale, Labels> = { en, ru };

/** The element's language: its own or nearest `lang`, then the document's; Russian for `ru*`, else English. */
export function localeOf(element: Element): Locale {
  const lang = element.closest('[lang]')?.getAttribute('lang') ?? element.ownerDocument?.documentElement.lang ?? '';
  return lang.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function labelsFor(locale: Locale): Labels {
  return TABLES[locale];
}

/** Russian error messages by reason; English ones come from the error itself. */
const RU_ERRORS: Record<string, string> = {
  'invalid-config': 'Неверные настройки виджета',
  'invalid-state': 'Действие сейчас недоступно',
  'connection-failed': 'Не удалось связаться с сервером конференций',
  'connection-lost': 'Связь с сервером потеряна',
  'authentication-failed': 'Сервер не принял имя пользователя или пароль',
  'registration-failed': 'Не удалось зарегистрироваться на сервере',
  'call-rejected': 'Сервер отклонил звонок',
  'call-failed': 'Звонок не удался',
  'media-permission-denied': 'Нет доступа к камере или микрофону',
  'media-unavailable': 'Камера или микрофон не найдены',
  'protocol-error': 'Ошибка протокола',
  aborted: 'Действие отменено',
};

export function errorMessage(locale: Locale, error: { reason: string; message: string }): string {
  if (locale === 'ru') {
    const ru = RU_ERRORS[error.reason];
    if (ru) return error.reason === 'invalid-config' ? `${ru}: ${error.message}` : ru;
  }
  return error.message;
}
