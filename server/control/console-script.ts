/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The console's script. It runs in the browser: this function is serialized
 * with toString() and served as /console.js, so it must be self-contained
 * (no references to anything outside its body).
 */
export function consoleScript(): void {
  type Json = Record<string, unknown>;
  interface MediaView {
    kind: string;
    mid: string;
    direction: string;
    codecs: string[];
    packetsReceived: number;
    packetsEchoed: number;
    role?: string;
  }
  interface CallView {
    id: string;
    direction: string;
    from: string;
    displayName: string;
    conference: string;
    state: string;
    endReason?: string;
    finalStatus?: number;
    media: MediaView[];
    presentation?: { state: string };
    presentationPolicy?: { accept: boolean; status: number; failNext: number; scope: string };
    content?: { state: string; codec?: string; packetsSent?: number };
    videoMode?: string;
    videoModeUntil?: string;
  }
  interface Row {
    tr: HTMLTableRowElement;
    cells: HTMLTableCellElement[];
    buttons: Array<{ button: HTMLButtonElement; when: (call: CallView) => boolean }>;
    groups: HTMLDivElement[];
  }

  /** A label "English / Русский", the Russian part marked lang="ru". */
  function label(parent: HTMLElement, en: string, ru: string): void {
    parent.append(`${en} / `);
    const span = document.createElement('span');
    span.lang = 'ru';
    span.textContent = ru;
    parent.append(span);
  }

  const byId = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`#${id} missing`);
    return element as T;
  };
  const tbody = byId<HTMLTableSectionElement>('calls');
  const status = byId<HTMLParagraphElement>('status');
  const noCalls = byId<HTMLParagraphElement>('no-calls');
  const waitingRoom = byId<HTMLInputElement>('waiting-room');
  const tokenMode = byId<HTMLSelectElement>('token-mode');
  const callForm = byId<HTMLFormElement>('call-form');
  const callUser = byId<HTMLSelectElement>('call-user');
  const callName = byId<HTMLInputElement>('call-name');
  const callFrom = byId<HTMLInputElement>('call-from');
  const rows = new Map<string, Row>();
  let rowSeq = 0;

  function say(text: string): void {
    status.textContent = text;
  }

  async function api(method: 'GET' | 'POST', path: string, body?: Json): Promise<{ status: number; json: Json | Json[] | undefined }> {
    const response = await fetch(path, {
      method,
      cache: 'no-store',
      headers: body ? { 'content-type': 'application/json' } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    let json: Json | Json[] | undefined;
    try {
      json = (await response.json()) as Json | Json[];
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }

  function errorText(result: { status: number; json: Json | Json[] | undefined }): string {
    const error = result.json && !Array.isArray(result.json) ? result.json.error : undefined;
    return `HTTP ${result.status}${typeof error === 'string' ? `: ${error}` : ''}`;
  }

  const live = (c: CallView): boolean => c.state === 'confirmed';
  const notEnded = (c: CallView): boolean => c.state !== 'ended';
  const accepting = (c: CallView): boolean => c.presentationPolicy?.accept !== false;
  const contentOn = (c: CallView): boolean => c.content?.state === 'active';
  const videoIs = (c: CallView, mode: string): boolean => (c.videoMode ?? 'flow') === mode;
  const callPath = (call: CallView, tail: string): string => `/api/calls/${encodeURIComponent(call.id)}/${tail}`;

  interface Action {
    group: [string, string];
    en: string;
    ru: string;
    when: (call: CallView) => boolean;
    run: (call: CallView) => Promise<{ status: number; json: Json | Json[] | undefined }>;
    danger?: boolean;
  }
  const command = (name: string, extra: Json = {}) => (call: CallView) => api('POST', `/api/calls/${encodeURIComponent(call.id)}/command`, { command: name, ...extra });
  const ACTIONS: Action[] = [
    { group: ['Camera', 'Камера'], en: 'Stop camera', ru: 'Остановить камеру', when: live, run: command('stop-camera', { forced: true }) },
    { group: ['Camera', 'Камера'], en: 'Ask to stop camera', ru: 'Попросить выключить камеру', when: live, run: command('stop-camera', { forced: false }) },
    { group: ['Camera', 'Камера'], en: 'Start camera', ru: 'Включить камеру', when: live, run: command('start-camera', { forced: true }) },
    { group: ['Camera', 'Камера'], en: 'Ask to start camera', ru: 'Попросить включить камеру', when: live, run: command('start-camera', { forced: false }) },
    { group: ['Microphone', 'Микрофон'], en: 'Stop microphone', ru: 'Выключить микрофон', when: live, run: command('stop-mic', { forced: true }) },
    { group: ['Microphone', 'Микрофон'], en: 'Ask to stop microphone', ru: 'Попросить выключить микрофон', when: live, run: command('stop-mic', { forced: false }) },
    { group: ['Microphone', 'Микрофон'], en: 'Start microphone', ru: 'Включить микрофон', when: live, run: command('start-mic', { forced: true }) },
    { group: ['Microphone', 'Микрофон'], en: 'Ask to start microphone', ru: 'Попросить включить микрофон', when: live, run: command('start-mic', { forced: false }) },
    { group: ['Role', 'Роль'], en: 'Move to spectators', ru: 'Перевести в зрители', when: live, run: command('spectator', { spectatorMode: 0 }) },
    { group: ['Role', 'Роль'], en: 'Back to participants', ru: 'Вернуть в участники', when: live, run: command('participant') },
    { group: ['Video', 'Видео'], en: 'Pause camera', ru: 'Приостановить камеру', when: live, run: command('pause-camera') },
    { group: ['Video', 'Видео'], en: 'Resume camera', ru: 'Возобновить камеру', when: live, run: command('resume-camera') },
    { group: ['Video', 'Видео'], en: 'Limit to 320×180', ru: 'Ограничить до 320×180', when: live, run: command('max-resolution', { resolution: '320x180' }) },
    {
      group: ['Presentation', 'Демонстрация'],
      en: 'Deny presentations',
      ru: 'Запретить демонстрацию',
      when: (c) => notEnded(c) && accepting(c),
      run: (call) => api('POST', callPath(call, 'presentation-policy'), { accept: false, failNext: 0 }),
    },
    {
      group: ['Presentation', 'Демонстрация'],
      en: 'Allow presentations',
      ru: 'Разрешить демонстрацию',
      when: (c) => notEnded(c) && !accepting(c),
      run: (call) => api('POST', callPath(call, 'presentation-policy'), { accept: true, failNext: 0 }),
    },
    {
      group: ['Presentation', 'Демонстрация'],
      en: 'Order presentation stop',
      ru: 'Потребовать остановить демонстрацию',
      when: live,
      run: (call) => api('POST', callPath(call, 'presentation/stop'), {}),
    },
    {
      group: ['Presentation', 'Демонстрация'],
      en: 'Play content',
      ru: 'Показать контент',
      when: (c) => live(c) && !contentOn(c),
      run: (call) => api('POST', callPath(call, 'content/start'), {}),
    },
    {
      group: ['Presentation', 'Демонстрация'],
      en: 'Stop content',
      ru: 'Остановить контент',
      when: (c) => live(c) && contentOn(c),
      run: (call) => api('POST', callPath(call, 'content/stop'), {}),
    },
    {
      group: ['Main video', 'Основное видео'],
      en: 'Stall video',
      ru: 'Остановить видеопоток',
      when: (c) => live(c) && !videoIs(c, 'stall'),
      run: (call) => api('POST', callPath(call, 'video'), { mode: 'stall' }),
    },
    {
      group: ['Main video', 'Основное видео'],
      en: 'Garble video',
      ru: 'Испортить видеопоток',
      when: (c) => live(c) && !videoIs(c, 'garble'),
      run: (call) => api('POST', callPath(call, 'video'), { mode: 'garble' }),
    },
    {
      group: ['Main video', 'Основное видео'],
      en: 'Video flows again',
      ru: 'Восстановить видеопоток',
      when: (c) => live(c) && !videoIs(c, 'flow'),
      run: (call) => api('POST', callPath(call, 'video'), { mode: 'flow' }),
    },
    {
      group: ['Call', 'Звонок'],
      en: 'Admit',
      ru: 'Впустить',
      when: (c) => c.state === 'waiting',
      run: (call) => api('POST', `/api/calls/${encodeURIComponent(call.id)}/admit`, {}),
    },
    {
      group: ['Call', 'Звонок'],
      en: 'Hang up',
      ru: 'Завершить',
      when: notEnded,
      danger: true,
      run: (call) => api('POST', `/api/calls/${encodeURIComponent(call.id)}/hangup`, {}),
    },
  ];

  const ROLE_LABELS: Record<string, string> = { presentation: 'presentation / демонстрация', content: 'content / контент' };
  const PRESENTATION_LABELS: Record<string, string> = { requested: 'requested / запрошена', active: 'active / идёт', stopped: 'stopped / остановлена' };

  function mediaLines(cell: HTMLTableCellElement, call: CallView): void {
    const media = call.media ?? [];
    const lines = media.map(
      (m) => `${m.kind} #${m.mid}: ${m.direction}${m.codecs.length ? ` [${m.codecs.join(', ')}]` : ''} · rx ${m.packetsReceived} / echo ${m.packetsEchoed}${m.role && ROLE_LABELS[m.role] ? ` · ${ROLE_LABELS[m.role]}` : ''}`,
    );
    const presentation = call.presentation?.state;
    if (presentation && presentation !== 'idle') lines.push(`Presentation / Демонстрация: ${PRESENTATION_LABELS[presentation] ?? presentation}`);
    if (call.presentationPolicy && !call.presentationPolicy.accept) lines.push(`Presentations denied / Демонстрация запрещена (${call.presentationPolicy.status})`);
    if (call.videoMode && call.videoMode !== 'flow') {
      lines.push(`Main video / Основное видео: ${call.videoMode}${call.videoModeUntil === 'reinvite' ? ' (until re-INVITE / до re-INVITE)' : ''}`);
    }
    if (call.content?.state === 'active') lines.push(`Content / Контент: ${call.content.codec ?? '?'} · sent / отправлено ${call.content.packetsSent ?? 0}`);
    const current = [...cell.children].map((d) => d.textContent);
    if (current.length === lines.length && current.every((t, i) => t === lines[i])) return;
    cell.replaceChildren(
      ...lines.map((line) => {
        const div = document.createElement('div');
        div.textContent = line;
        return div;
      }),
    );
  }

  function createRow(call: CallView): Row {
    const tr = document.createElement('tr');
    const cells: HTMLTableCellElement[] = [];
    for (let i = 0; i < 8; i++) {
      const cell = document.createElement(i === 0 ? 'th' : 'td') as HTMLTableCellElement;
      if (i === 0) cell.scope = 'row';
      cells.push(cell);
      tr.append(cell);
    }
    const labelId = `call-label-${++rowSeq}`;
    cells[0]!.id = labelId;
    cells[0]!.textContent = call.id;
    cells[6]!.className = 'media';
    cells[7]!.className = 'actions';
    const buttons: Row['buttons'] = [];
    const groups = new Map<string, HTMLDivElement>();
    for (const action of ACTIONS) {
      let group = groups.get(action.group[0]);
      if (!group) {
        group = document.createElement('div');
        group.className = 'group';
        group.setAttribute('role', 'group');
        group.setAttribute('aria-label', `${action.group[0]} / ${action.group[1]}`);
        const caption = document.createElement('span');
        caption.className = 'group-label';
        caption.setAttribute('aria-hidden', 'true');
        caption.textContent = `${action.group[0]} / ${action.group[1]}:`;
        group.append(caption);
        groups.set(action.group[0], group);
        cells[7]!.append(group);
      }
      const button = document.createElement('button');
      button.type = 'button';
      if (action.danger) button.className = 'danger';
      label(button, action.en, action.ru);
      button.setAttribute('aria-describedby', labelId);
      button.addEventListener('click', () => {
        const current = latest.get(call.id) ?? call;
        button.disabled = true;
        say(`${action.en} (${current.id})…`);
        action
          .run(current)
          .then((result) => {
            const json = result.json && !Array.isArray(result.json) ? result.json : undefined;
            if (result.status >= 200 && result.status < 300) {
              const answered = typeof json?.status === 'number' ? ` · client answered ${json.status} / клиент ответил ${json.status}` : '';
              say(`${action.en} / ${action.ru} (${current.id}): OK${answered}`);
            } else {
              say(`${action.en} / ${action.ru} (${current.id}): ${errorText(result)}`);
            }
          })
          .catch((error: unknown) => say(`${action.en} (${current.id}): ${String(error)}`))
          .finally(() => {
            button.disabled = false;
            void refresh();
          });
      });
      group.append(button);
      buttons.push({ button, when: action.when });
    }
    return { tr, cells, buttons, groups: [...groups.values()] };
  }

  const latest = new Map<string, CallView>();

  function setText(cell: HTMLTableCellElement, text: string): void {
    if (cell.textContent !== text) cell.textContent = text;
  }

  function render(calls: CallView[]): void {
    const ordered = [...calls].reverse(); // newest first
    const seen = new Set<string>();
    let previous: HTMLTableRowElement | null = null;
    for (const call of ordered) {
      seen.add(call.id);
      latest.set(call.id, call);
      let row = rows.get(call.id);
      if (!row) {
        row = createRow(call);
        rows.set(call.id, row);
      }
      const { cells } = row;
      setText(cells[1]!, call.from);
      setText(cells[2]!, call.displayName);
      setText(cells[3]!, call.conference);
      setText(cells[4]!, call.direction === 'outgoing' ? 'outgoing / исходящий' : 'incoming / входящий');
      setText(cells[5]!, `${call.state}${call.endReason ? ` (${call.endReason}${call.finalStatus && call.finalStatus !== 200 ? ` ${call.finalStatus}` : ''})` : ''}`);
      mediaLines(cells[6]!, call);
      for (const { button, when } of row.buttons) button.hidden = !when(call);
      for (const group of row.groups) group.hidden = ![...group.querySelectorAll('button')].some((b) => !b.hidden);
      row.tr.classList.toggle('ended', call.state === 'ended');
      // Keep DOM order without re-creating rows (focus stays on its button).
      const expectedNext: ChildNode | null = previous ? previous.nextSibling : tbody.firstChild;
      if (expectedNext !== row.tr) tbody.insertBefore(row.tr, expectedNext);
      previous = row.tr;
    }
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.tr.remove();
        rows.delete(id);
        latest.delete(id);
      }
    }
    noCalls.hidden = calls.length > 0;
  }

  function renderRegistrations(list: Json[]): void {
    const users = [...new Set(list.map((r) => String(r.user)))].sort();
    const current = [...callUser.options].map((o) => o.value);
    if (current.length === users.length && current.every((u, i) => u === users[i])) return;
    const selected = callUser.value;
    callUser.replaceChildren(
      ...users.map((user) => {
        const option = document.createElement('option');
        option.value = user;
        option.textContent = user;
        return option;
      }),
    );
    if (users.includes(selected)) callUser.value = selected;
  }

  let refreshing: Promise<void> | undefined;
  function refresh(): Promise<void> {
    refreshing ??= (async () => {
      try {
        const [calls, registrations, room, tokens] = await Promise.all(['/api/calls', '/api/registrations', '/api/waiting-room', '/api/tokens'].map((path) => api('GET', path)));
        if (Array.isArray(calls.json)) render(calls.json as unknown as CallView[]);
        if (Array.isArray(registrations.json)) renderRegistrations(registrations.json);
        const enabled = room.json && !Array.isArray(room.json) ? room.json.enabled : undefined;
        if (typeof enabled === 'boolean' && document.activeElement !== waitingRoom) waitingRoom.checked = enabled;
        const mode = tokens.json && !Array.isArray(tokens.json) ? tokens.json.mode : undefined;
        if (typeof mode === 'string' && document.activeElement !== tokenMode) tokenMode.value = mode;
      } catch (error) {
        say(`Cannot reach the server / Сервер недоступен: ${String(error)}`);
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  waitingRoom.addEventListener('change', () => {
    const enabled = waitingRoom.checked;
    api('POST', '/api/waiting-room', { enabled })
      .then((result) => say(result.status === 200 ? `Waiting room / Зал ожидания: ${enabled ? 'on / включён' : 'off / выключен'}` : errorText(result)))
      .catch((error: unknown) => say(String(error)));
  });

  tokenMode.addEventListener('change', () => {
    api('POST', '/api/tokens', { mode: tokenMode.value })
      .then((result) => say(result.status === 200 ? `In-room token / Токен участника: ${tokenMode.value}` : errorText(result)))
      .catch((error: unknown) => say(String(error)));
  });

  callForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const user = callUser.value;
    if (!user) {
      say('No registered user to call / Нет зарегистрированных пользователей');
      return;
    }
    const body: Json = {};
    if (callName.value.trim()) body.displayName = callName.value.trim();
    if (callFrom.value.trim()) body.from = callFrom.value.trim();
    api('POST', `/api/registrations/${encodeURIComponent(user)}/call`, body)
      .then((result) => {
        const id = result.json && !Array.isArray(result.json) ? result.json.id : undefined;
        say(result.status === 201 ? `Calling / Звоним ${user} (${String(id)})` : `Call / Звонок ${user}: ${errorText(result)}`);
        void refresh();
      })
      .catch((error: unknown) => say(String(error)));
  });

  const tick = (): void => {
    void refresh().finally(() => setTimeout(tick, 1000));
  };
  tick();
}
