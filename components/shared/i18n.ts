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
  noClient: 'Put this element inside <vinteo-session>, or give it a server or ws-url attribute.',
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
  noClient: 'Поместите элемент внутрь <vinteo-session> или задайте атрибут server или ws-url.',
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
