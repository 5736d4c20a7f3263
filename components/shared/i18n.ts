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
  statusBusy: 'Another call is running on this connection',
  busyRefused: 'Only one call at a time: the other call goes on. End it first to join here.',
  noClient: 'Put this element inside <vinteo-session>, or give it a server or ws-url attribute.',
  statusReconnecting: 'Connection lost: reconnecting…',
  reconnectAttempt: 'attempt',
  callRecovered: 'Reconnected.',
  // <vinteo-presentation>
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  presentationIdle: 'Not sharing',
  presentationStarting: 'Starting to share…',
  presentationActive: 'You are sharing your screen',
  presentationUpdating: 'Switching the shared screen…',
  presentationStopping: 'Stopping…',
  presentationFailed: 'Sharing failed',
  presentationUnavailable: 'Screen sharing is available during a call.',
  presentationServerStopped: 'The server stopped your presentation.',
  presentationBrowserStopped: 'Sharing was stopped from the browser.',
  presentationCancelled: 'No screen was chosen.',
  yourScreen: 'Your shared screen',
  othersContent: 'Presentation',
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
  // <vinteo-stats>
  statsPanel: 'Call quality',
  statsUnavailable: 'Statistics appear during a call.',
  qualityGood: 'Good',
  qualityFair: 'Fair',
  qualityPoor: 'Poor',
  qualityUnknown: 'No data',
  qualityNoProblems: 'no problems detected',
  reasonReceiveLoss: 'packet loss in what is received',
  reasonSendLoss: 'packet loss in what is sent',
  reasonRoundTripTime: 'long round-trip time',
  reasonJitter: 'high jitter',
  reasonFrameRate: 'low received frame rate',
  reasonSendLimitedBandwidth: 'sending limited by bandwidth',
  reasonSendLimitedCpu: 'sending limited by the processor',
  reasonNoIncomingMedia: 'nothing is received',
  chartBitrate: 'Bitrate',
  chartLoss: 'Packet loss',
  chartJitter: 'Jitter',
  chartRoundTripTime: 'Round-trip time',
  chartFrameRate: 'Frame rate',
  seriesSent: 'sent',
  seriesReceived: 'received',
  lastMinute: 'last 60 s',
  nowMinMax: 'now {now}, min {min}, max {max}',
  noData: 'no data',
  streams: 'Streams',
  streamColumn: 'Stream',
  codecColumn: 'Codec',
  resolutionColumn: 'Resolution',
  frameRateColumn: 'Frame rate',
  bitrateColumn: 'Bitrate',
  sentAudio: 'Sent audio',
  sentVideo: 'Sent video',
  receivedAudio: 'Received audio',
  receivedVideo: 'Received video',
  connection: 'Connection',
  balancerFull: 'Camera sent at its own resolution, up to {bitrate}.',
  balancerPaused: 'The server paused the camera: scaled down {scale}×, up to {bitrate}.',
  balancerLimited: 'The server limited the camera to {resolution}: scaled down {scale}×, up to {bitrate}.',
  balancerIgnored: 'The camera is not balanced ({codec}).',
  unitBps: 'bit/s',
  unitKbps: 'kbit/s',
  unitMbps: 'Mbit/s',
  unitMs: 'ms',
  unitFps: 'fps',
  roundTripTimeShort: 'RTT',
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
  statusBusy: 'На этом подключении идёт другой звонок',
  busyRefused: 'Одновременно возможен только один звонок: другой звонок продолжается. Чтобы войти здесь, сначала завершите его.',
  noClient: 'Поместите элемент внутрь <vinteo-session> или задайте атрибут server или ws-url.',
  statusReconnecting: 'Связь потеряна: переподключение…',
  reconnectAttempt: 'попытка',
  callRecovered: 'Связь восстановлена.',
  shareScreen: 'Показать экран',
  stopSharing: 'Остановить показ',
  presentationIdle: 'Экран не показывается',
  presentationStarting: 'Запуск показа экрана…',
  presentationActive: 'Вы показываете экран',
  presentationUpdating: 'Смена показываемого экрана…',
  presentationStopping: 'Остановка…',
  presentationFailed: 'Не удалось показать экран',
  presentationUnavailable: 'Показ экрана доступен во время звонка.',
  presentationServerStopped: 'Сервер остановил ваш показ экрана.',
  presentationBrowserStopped: 'Показ остановлен в браузере.',
  presentationCancelled: 'Экран не выбран.',
  yourScreen: 'Ваш экран',
  othersContent: 'Презентация',
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
  statsPanel: 'Качество связи',
  statsUnavailable: 'Статистика появится во время звонка.',
  qualityGood: 'Хорошее',
  qualityFair: 'Среднее',
  qualityPoor: 'Плохое',
  qualityUnknown: 'Нет данных',
  qualityNoProblems: 'проблем не обнаружено',
  reasonReceiveLoss: 'потери пакетов при приёме',
  reasonSendLoss: 'потери пакетов при передаче',
  reasonRoundTripTime: 'большая задержка',
  reasonJitter: 'сильный джиттер',
  reasonFrameRate: 'низкая частота кадров при приёме',
  reasonSendLimitedBandwidth: 'передача ограничена пропускной способностью',
  reasonSendLimitedCpu: 'передача ограничена процессором',
  reasonNoIncomingMedia: 'ничего не принимается',
  chartBitrate: 'Битрейт',
  chartLoss: 'Потери пакетов',
  chartJitter: 'Джиттер',
  chartRoundTripTime: 'Задержка (RTT)',
  chartFrameRate: 'Частота кадров',
  seriesSent: 'передача',
  seriesReceived: 'приём',
  lastMinute: 'за последние 60 с',
  nowMinMax: 'сейчас {now}, минимум {min}, максимум {max}',
  noData: 'нет данных',
  streams: 'Потоки',
  streamColumn: 'Поток',
  codecColumn: 'Кодек',
  resolutionColumn: 'Разрешение',
  frameRateColumn: 'Частота кадров',
  bitrateColumn: 'Битрейт',
  sentAudio: 'Исходящий звук',
  sentVideo: 'Исходящее видео',
  receivedAudio: 'Входящий звук',
  receivedVideo: 'Входящее видео',
  connection: 'Соединение',
  balancerFull: 'Камера передаётся в своём разрешении, до {bitrate}.',
  balancerPaused: 'Сервер приостановил камеру: уменьшение в {scale} раз, до {bitrate}.',
  balancerLimited: 'Сервер ограничил камеру до {resolution}: уменьшение в {scale} раз, до {bitrate}.',
  balancerIgnored: 'Камера не балансируется ({codec}).',
  unitBps: 'бит/с',
  unitKbps: 'кбит/с',
  unitMbps: 'Мбит/с',
  unitMs: 'мс',
  unitFps: 'кадр/с',
  roundTripTimeShort: 'задержка',
  errorInvalidConfig: 'Неверные настройки виджета',
  errorInvalidState: 'Действие сейчас недоступно',
  errorConnectionFailed: 'Не удалось связаться с сервером конференций',
  errorConnectionLost: 'Связь с сервером потеряна',
  errorAuthenticationFailed: 'Сервер не принял имя пользователя или пароль',
  errorRegistrationFailed: 'Не удалось зарегистрироваться на сервере',
  errorCallRejected: 'Сервер отклонил звонок',
  errorCallFailed: 'Звонок не удался',
  errorMediaPermissionDenied: 'Нет доступа к камере или микрофону',
  errorMediaUnavailable: 'Камера или микрофон не найдены',
  errorProtocolError: 'Ошибка протокола',
  errorPresentationDeclined: 'Сервер не разрешил показ экрана',
  errorPresentationFailed: 'Не удалось показать экран',
  errorAborted: 'Действие отменено',
  errorCheckAttribute: 'проверьте атрибут {attribute}',
};

const TABLES: Record<Locale, Labels> = { en, ru };

/** Every label key, e.g. `join`, `statusInCall`, `errorConnectionFailed`. */
export const LABEL_KEYS = Object.keys(en) as ReadonlyArray<keyof Labels>;

/** The attribute that overrides a label: `statusInCall` → `label-status-in-call`. */
export function labelAttribute(key: string): string {
  return `label-${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

const KEY_BY_ATTRIBUTE: ReadonlyMap<string, keyof Labels> = new Map(LABEL_KEYS.map((key) => [labelAttribute(key), key]));

/** Every `label-*` attribute the elements understand. */
export const LABEL_ATTRIBUTES: readonly string[] = [...KEY_BY_ATTRIBUTE.keys()];

/** The element's language: its own or nearest `lang`, then the document's; Russian for `ru*`, else English. */
export function localeOf(element: Element): Locale {
  const lang = element.closest('[lang]')?.getAttribute('lang') ?? element.ownerDocument?.documentElement.lang ?? '';
  return lang.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function labelsFor(locale: Locale): Labels {
  return TABLES[locale];
}

/** The overrides an element carries: its `label-*` attributes, then its `labels` property (which wins). */
export function labelOverrides(element: Element, property: Partial<Labels> | undefined): Partial<Record<keyof Labels, string>> {
  const overrides: Partial<Record<keyof Labels, string>> = {};
  for (const attribute of element.attributes) {
    const key = attribute.name.startsWith('label-') ? KEY_BY_ATTRIBUTE.get(attribute.name) : undefined;
    if (key) overrides[key] = attribute.value;
  }
  if (property) {
    for (const [key, value] of Object.entries(property)) {
      if (typeof value === 'string' && Object.hasOwn(en, key)) overrides[key as keyof Labels] = value;
    }
  }
  return overrides;
}

function errorKey(reason: string): keyof Labels | undefined {
  const key = `error${reason.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase())}`;
  return Object.hasOwn(en, key) ? (key as keyof Labels) : undefined;
}

/** Attribute names that configuration errors mention (their messages are English, for developers). */
const NAMED_ATTRIBUTE =
  /\b(ws-url|server|sip-domain|display-name|register|user|conference|credentials-url|credentials|preferred-codecs|exclude-codecs|max-bitrate|content-hint|degradation-preference|max-resolution|ping-interval|stats-interval|balancer-delay|fast-ice|for)\b/;

/**
 * The text shown for an error. Not overridden: in English the error's own message; in Russian the table's
 * text. Overridden (an `error*` label set on the element): that label. For `invalid-config` a label is
 * followed by the detail: the message itself when it is already in the element's language (and the
 * label is not overridden), else which attribute to check (the `errorCheckAttribute` label).
 */
export function errorMessage(
  locale: Locale,
  error: { reason: string; message: string },
  overrides: Partial<Record<keyof Labels, string>> = {},
): string {
  const key = errorKey(error.reason);
  const override = key === undefined ? undefined : overrides[key];
  if (override === undefined && locale === 'en') return error.message;
  const text = override ?? (key === undefined ? undefined : ru[key]);
  if (text === undefined) return error.message;
  if (error.reason !== 'invalid-config') return text;
  if (override === undefined && /[а-яё]/i.test(error.message)) return `${text}: ${error.message}`;
  const attribute = NAMED_ATTRIBUTE.exec(error.message)?.[1];
  const check = overrides.errorCheckAttribute ?? TABLES[locale].errorCheckAttribute;
  return attribute ? `${text}: ${check.replace('{attribute}', attribute)}` : text;
}
