/**
 * The moderator console served on the control port: `GET /` (one HTML page
 * with its CSS inline) and `GET /console.js` (its only script). Both are sent
 * with a Content-Security-Policy that allows nothing but same-origin
 * resources (plus the page's own inline stylesheet, by hash), so the script
 * must not be inline and renders every server-provided string with
 * textContent, never as HTML.
 */
import { createHash } from 'node:crypto';
import { consoleNotifyScript } from './console-notify-script.js';
import { consoleScript } from './console-script.js';

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.4; }
body { margin: 0 auto; padding: 1rem; max-width: 110rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
section { border: 1px solid #8886; border-radius: .5rem; padding: .75rem 1rem; margin-bottom: 1rem; }
form { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
label { display: inline-flex; flex-direction: column; gap: .2rem; font-size: .9rem; }
label.inline { flex-direction: row; align-items: center; gap: .5rem; font-size: 1rem; }
input, select, button { font: inherit; }
button { padding: .25rem .6rem; border-radius: .35rem; border: 1px solid #8888; background: #8881; cursor: pointer; }
button:hover { background: #8883; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
button.danger { border-color: #c5221f; color: #c5221f; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #8884; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { font-weight: 600; }
tr.ended { opacity: .6; }
.actions { display: flex; flex-wrap: wrap; gap: .35rem .75rem; }
.group { display: flex; flex-wrap: wrap; gap: .25rem; align-items: center; }
.group-label { font-size: .8rem; opacity: .8; margin-right: .15rem; }
.media { min-width: 14rem; max-width: 24rem; }
.media div { font-size: .85rem; }
.actions { min-width: 30rem; }
.group[hidden], label[hidden] { display: none; }
.muted { opacity: .75; }
#status, #notify-status { min-height: 1.4em; margin: 0 0 .5rem; }
`;

/** Every label of the page: English / Russian. */
const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vinteo dev server: moderator console / Консоль модератора</title>
<style>${STYLE}</style>
<script src="/console.js" defer></script>
</head>
<body>
<header><h1>Vinteo dev server: moderator console / <span lang="ru">Консоль модератора</span></h1></header>
<main>
<section aria-labelledby="room-heading">
  <h2 id="room-heading">Waiting room / <span lang="ru">Зал ожидания</span></h2>
  <label class="inline"><input type="checkbox" id="waiting-room"> Put guests in the waiting room (purgatory) / <span lang="ru">Отправлять гостей в зал ожидания</span></label>
  <label class="inline">In-room token / <span lang="ru">Токен участника</span> <select id="token-mode"><option value="enter-room">x-bearer-token on enter-room</option><option value="notify">TokenIssued notify</option><option value="off">none / нет</option></select></label>
</section>
<section aria-labelledby="dial-heading">
  <h2 id="dial-heading">Call a registered user / <span lang="ru">Позвонить зарегистрированному пользователю</span></h2>
  <form id="call-form">
    <label>User / <span lang="ru">Пользователь</span> <select id="call-user" required></select></label>
    <label>Display name / <span lang="ru">Имя звонящего</span> <input id="call-name" maxlength="128" value="Support" autocomplete="off"></label>
    <label>From (user) / <span lang="ru">От кого (номер)</span> <input id="call-from" maxlength="64" value="2000" autocomplete="off"></label>
    <button type="submit" id="call-button">Call / <span lang="ru">Позвонить</span></button>
  </form>
</section>
<section aria-labelledby="notify-heading">
  <h2 id="notify-heading">Send a notify / <span lang="ru">Отправить уведомление</span></h2>
  <form id="notify-form">
    <label>User / <span lang="ru">Пользователь</span> <input id="notify-user" list="notify-users" maxlength="64" required autocomplete="off"></label>
    <datalist id="notify-users"></datalist>
    <label>Command / <span lang="ru">Команда</span> <select id="notify-cmd">
      <option value="channels">channels</option>
      <option value="WebcastStarted">WebcastStarted</option>
      <option value="WebcastStopped">WebcastStopped</option>
      <option value="accountChanged" selected>accountChanged</option>
      <option value="accountDeleted">accountDeleted</option>
      <option value="addedToListModerators">addedToListModerators</option>
      <option value="removedFromListModerators">removedFromListModerators</option>
      <option value="ParticipationRequestAccepted">ParticipationRequestAccepted</option>
      <option value="ParticipationRequestRejected">ParticipationRequestRejected</option>
      <option value="ParticipantMovedToWebcast">ParticipantMovedToWebcast</option>
      <option value="ConferenceParticipantTokenIssued">ConferenceParticipantTokenIssued</option>
    </select></label>
    <label>Conference / <span lang="ru">Конференция</span> <input id="notify-conference" maxlength="128" value="3000" autocomplete="off"></label>
    <label>Webcast type / <span lang="ru">Тип трансляции</span> <input id="notify-webcast-type" maxlength="64" value="webcast" autocomplete="off"></label>
    <label>Participant / <span lang="ru">Участник</span> <input id="notify-participant" maxlength="128" value="Guest" autocomplete="off"></label>
    <label>Token (JWT) / <span lang="ru">Токен (JWT)</span> <input id="notify-jwt" maxlength="4096" value="header.payload.signature" autocomplete="off"></label>
    <label>Input channels / <span lang="ru">Входные каналы</span> <input id="notify-input" maxlength="64" value="1" autocomplete="off"></label>
    <label>Output channels / <span lang="ru">Выходные каналы</span> <input id="notify-output" maxlength="64" value="2" autocomplete="off"></label>
    <label>Route / <span lang="ru">Способ</span> <select id="notify-via">
      <option value="auto">auto: INFO in a call, else NOTIFY / INFO в звонке, иначе NOTIFY</option>
      <option value="notify">NOTIFY (outside a dialog / вне диалога)</option>
      <option value="info">INFO (in the call / в звонке)</option>
    </select></label>
    <button type="submit" id="notify-button">Send / <span lang="ru">Отправить</span></button>
  </form>
  <p id="notify-status" role="status" aria-live="polite"></p>
</section>
<section aria-labelledby="calls-heading">
  <h2 id="calls-heading">Calls / <span lang="ru">Звонки</span></h2>
  <p id="status" role="status" aria-live="polite"></p>
  <table>
    <thead><tr>
      <th scope="col">ID</th>
      <th scope="col">From / <span lang="ru">Абонент</span></th>
      <th scope="col">Display name / <span lang="ru">Имя</span></th>
      <th scope="col">Conference / <span lang="ru">Конференция</span></th>
      <th scope="col">Direction / <span lang="ru">Направление</span></th>
      <th scope="col">State / <span lang="ru">Состояние</span></th>
      <th scope="col">Media / <span lang="ru">Медиа</span></th>
      <th scope="col">Actions / <span lang="ru">Действия</span></th>
    </tr></thead>
    <tbody id="calls"></tbody>
  </table>
  <p id="no-calls" class="muted">No calls yet / <span lang="ru">Звонков пока нет</span></p>
</section>
</main>
</body>
</html>
`;

export const CONSOLE_HTML = HTML;
export const CONSOLE_JS = `'use strict';\n(${consoleScript.toString()})();\n(${consoleNotifyScript.toString()})();\n`;

const styleHash = createHash('sha256').update(STYLE, 'utf8').digest('base64');
/**
 * Only same-origin resources; the inline stylesheet is allowed by its hash.
 * No inline script, no eval, no framing, no plugins.
 */
export const CONSOLE_CSP = `default-src 'self'; style-src 'self' 'sha256-${styleHash}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'`;
