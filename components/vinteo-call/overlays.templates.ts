import { css, html, nothing, type TemplateResult } from 'lit';
import type { RoomSnapshot } from '../../src/conference/types.js';
import type { QualityLevel } from '../../src/stats/types.js';
import { isolate } from '../shared/bidi.js';
import type { HumanError } from '../shared/human-errors.js';
import type { Labels } from '../shared/i18n.js';

// The call's states, errors and announcements (issue #16): rendered here, placed by `renderCall`.

/** What `renderCall` places for the states, errors and announcements (each `nothing` when not shown). */
export interface CallOverlays {
  /** Over the stage: the reconnecting veil (class `veil`; `overlay` is the control bar's) and the quality badge. */
  readonly stage: unknown;
  /** Under the status line: "the server is not answering" with Retry. */
  readonly notices: unknown;
  /** The `error` part. */
  readonly error: unknown;
  /** The one polite live region for notices (part `announcer`). */
  readonly announcer: unknown;
}

export const NO_OVERLAYS: CallOverlays = { stage: nothing, notices: nothing, error: nothing, announcer: nothing };

/** The role and moderator notices on show in a call (part `notice`), each also said once by the announcer. */
export function roomNotices(labels: Labels, room: RoomSnapshot, receiveOnly: boolean): string[] {
  const notices: string[] = [];
  if (receiveOnly) notices.push(labels.receiveOnly);
  if (room.role === 'spectator') notices.push(room.spectatorMode === 1 ? labels.roleSpectatorMaySend : labels.roleSpectator);
  if (room.microphoneBlocked) notices.push(labels.microphoneBlocked);
  if (room.cameraRequested) notices.push(labels.cameraRequested);
  else if (room.cameraBlocked) notices.push(labels.cameraBlocked);
  return notices;
}

/**
 * "Reconnecting… attempt N" over the last frame of the conference video (which stays in place), with a
 * Cancel that leaves the call. Not a live region: the status line already says it.
 */
export function renderReconnecting(labels: Labels, attempt: number | undefined, cancel: () => void): TemplateResult {
  const text = attempt ? labels.reconnectingAttempt.replace('{attempt}', String(attempt)) : labels.statusReconnecting;
  return html`<div part="reconnecting" class="veil" role="group" aria-label=${text}>
    <p part="reconnecting-text"><span class="spinner" aria-hidden="true"></span>${text}</p>
    <button part="reconnecting-cancel-button" class="join leave" type="button" @click=${cancel}>${labels.cancel}</button>
  </div>`;
}

/** The server has not answered for 5 s: which server, in plain words, and a Retry (cancel and join again). */
export function serverNotAnsweringText(labels: Labels, host: string | undefined): string {
  return host ? labels.serverNotAnswering.replace('{server}', host) : labels.serverNotAnsweringUnnamed;
}

export function renderServerNotAnswering(labels: Labels, host: string | undefined, retry: () => void): TemplateResult {
  const [before, after] = labels.serverNotAnswering.split('{server}') as [string, string | undefined];
  return html`<div part="server-not-answering" class="notice">
    <p part="server-not-answering-text">
      ${host && after !== undefined ? html`${before}${isolate(host)}${after}` : labels.serverNotAnsweringUnnamed}
      ${labels.serverNotAnsweringHint}
    </p>
    <button part="retry-button" class="join" type="button" @click=${retry}>${labels.retry}</button>
  </div>`;
}

const QUALITY_LABEL: Record<QualityLevel, keyof Labels> = { good: 'qualityGood', fair: 'qualityFair', poor: 'qualityPoor' };

/**
 * The connection quality inside the call: a dot and a word. Not a live region (`aria-live="off"`): a
 * change is not announced; its accessible name says what it is ("Connection quality: Good").
 */
export function renderQualityBadge(labels: Labels, level: QualityLevel | undefined): unknown {
  if (!level) return nothing;
  const word = labels[QUALITY_LABEL[level]];
  return html`<span part="quality-badge" class="quality ${level}" role="img" aria-live="off" aria-label="${labels.qualityBadge}: ${word}" title="${labels.qualityBadge}: ${word}" data-level=${level}
    ><span class="dot" aria-hidden="true"></span><span aria-hidden="true">${word}</span></span
  >`;
}

/**
 * The `error` part: the sentence for people (what happened and what to do), and the technical detail
 * (the error's message: URL, SIP code) behind a "Details" disclosure (part `error-details`). A mistake in
 * the attributes is a configuration notice for the page author (class `author`).
 */
export function renderError(labels: Labels, error: HumanError | string | undefined): unknown {
  if (error === undefined) return nothing;
  if (typeof error === 'string') return html`<div part="error" class="error" role="alert"><p class="error-text">${isolate(error)}</p></div>`;
  return html`<div part="error" class="error ${error.author ? 'author' : ''}" role="alert">
    <p part="error-text" class="error-text">${error.author ? isolate(error.text) : error.text}</p>
    ${error.detail
      ? html`<details part="error-details" class="error-details"><summary>${labels.errorDetails}</summary><p>${isolate(error.detail)}</p></details>`
      : nothing}
  </div>`;
}

/** The one polite live region for moderator notices, role changes and the server's silence: each said once. */
export function renderAnnouncer(message: string): TemplateResult {
  return html`<p part="announcer" class="visually-hidden" role="status" aria-live="polite">${message}</p>`;
}

export const overlayStyles = css`
  .veil {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
    /* The last frame (part last-frame) stays visible under a light veil; the texts have their own background. */
    background: color-mix(in srgb, var(--_bg) 45%, transparent);
    color: var(--_text);
    text-align: center;
  }
  .last-frame {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: contain;
  }
  .last-frame[hidden] {
    display: none;
  }
  .veil p {
    margin: 0;
    padding: calc(var(--_space) / 2) var(--_space);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_bg);
  }
  .quality {
    position: absolute;
    right: var(--_space);
    top: var(--_space);
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: calc(var(--_space) / 4) calc(var(--_space) / 2);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_bg);
    color: var(--_text);
    font-size: 0.8125em;
  }
  .quality .dot {
    width: 0.6em;
    height: 0.6em;
    border-radius: 50%;
    background: var(--_accent);
  }
  .quality.fair .dot {
    background: var(--_muted);
  }
  .quality.poor .dot {
    background: var(--_danger);
  }
  .error-text {
    margin: 0;
  }
  .error.author {
    padding: var(--_space);
    border: 1px dashed var(--_danger);
    border-radius: calc(var(--_radius) / 2);
  }
  .error-details {
    margin-top: calc(var(--_space) / 2);
    color: var(--_muted);
    font-size: 0.875em;
  }
  .error-details p {
    margin: calc(var(--_space) / 2) 0 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
