/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The console's notify form (protocol §4): picks a user (registered, or in a
 * call), a notify command and its fields, and sends it with
 * `POST /api/registrations/{user}/notify`. Runs in the browser after
 * consoleScript, serialized with toString() into /console.js: self-contained.
 */
export function consoleNotifyScript(): void {
  type Json = Record<string, unknown>;
  const byId = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`#${id} missing`);
    return element as T;
  };
  const form = byId<HTMLFormElement>('notify-form');
  const user = byId<HTMLInputElement>('notify-user');
  const users = byId<HTMLDataListElement>('notify-users');
  const cmd = byId<HTMLSelectElement>('notify-cmd');
  const via = byId<HTMLSelectElement>('notify-via');
  const status = byId<HTMLParagraphElement>('notify-status');
  const value = (id: string): string => byId<HTMLInputElement>(id).value.trim();

  /** Which fields each command uses (the others are hidden). */
  const FIELDS: Record<string, string[]> = {
    channels: ['notify-input', 'notify-output'],
    WebcastStarted: ['notify-conference', 'notify-webcast-type'],
    WebcastStopped: ['notify-conference', 'notify-webcast-type'],
    accountChanged: [],
    accountDeleted: [],
    addedToListModerators: ['notify-conference'],
    removedFromListModerators: ['notify-conference'],
    ParticipationRequestAccepted: ['notify-conference'],
    ParticipationRequestRejected: ['notify-conference'],
    ParticipantMovedToWebcast: ['notify-conference'],
    ConferenceParticipantTokenIssued: ['notify-conference', 'notify-participant', 'notify-jwt'],
  };
  const ALL_FIELDS = ['notify-input', 'notify-output', 'notify-conference', 'notify-webcast-type', 'notify-participant', 'notify-jwt'];

  /** The notify JSON for the selected command, from the form (protocol §4 table). */
  function notifyJson(): Json {
    const name = cmd.value;
    switch (name) {
      case 'channels':
        return { cmd: name, input: value('notify-input'), output: value('notify-output') };
      case 'WebcastStarted':
      case 'WebcastStopped':
        return { cmd: name, body: { conference: value('notify-conference'), type: value('notify-webcast-type') } };
      case 'addedToListModerators':
      case 'removedFromListModerators':
        return { cmd: name, conference: value('notify-conference') };
      case 'ParticipationRequestAccepted':
      case 'ParticipationRequestRejected':
      case 'ParticipantMovedToWebcast':
        return { cmd: name, body: { conference: value('notify-conference') } };
      case 'ConferenceParticipantTokenIssued':
        return { cmd: name, body: { conference: value('notify-conference'), participant: value('notify-participant'), jwt: value('notify-jwt') } };
      default:
        return { cmd: name };
    }
  }

  function showFields(): void {
    const used = FIELDS[cmd.value] ?? [];
    for (const id of ALL_FIELDS) {
      const label = byId<HTMLInputElement>(id).closest('label');
      if (label) label.hidden = !used.includes(id);
    }
  }

  /** Offers the registered users and the users in live calls (guests included). */
  async function fillUsers(): Promise<void> {
    const [registrations, calls] = await Promise.all(
      ['/api/registrations', '/api/calls'].map((path) => fetch(path, { cache: 'no-store' }).then((r) => r.json() as Promise<Json[]>)),
    );
    const names = new Set<string>();
    for (const r of registrations ?? []) names.add(String(r.user));
    for (const c of calls ?? []) if (c.state !== 'ended') names.add(String(c.from));
    users.replaceChildren(
      ...[...names].sort().map((name) => {
        const option = document.createElement('option');
        option.value = name;
        return option;
      }),
    );
  }

  cmd.addEventListener('change', showFields);
  user.addEventListener('focus', () => void fillUsers().catch(() => {}));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const target = user.value.trim();
    if (!target) {
      status.textContent = 'Enter a user / Укажите пользователя';
      return;
    }
    const notify = notifyJson();
    status.textContent = `${String(notify.cmd)} → ${target}…`;
    fetch(`/api/registrations/${encodeURIComponent(target)}/notify`, {
      method: 'POST',
      cache: 'no-store',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notify, via: via.value }),
    })
      .then(async (response) => {
        const json = (await response.json().catch(() => ({}))) as Json;
        status.textContent =
          response.status === 200
            ? `${String(notify.cmd)} → ${target}: ${String(json.via).toUpperCase()}, client answered ${String(json.status)} / клиент ответил ${String(json.status)}`
            : `${String(notify.cmd)} → ${target}: HTTP ${response.status}${typeof json.error === 'string' ? `: ${json.error}` : ''}`;
      })
      .catch((error: unknown) => {
        status.textContent = String(error);
      });
  });
  showFields();
}
