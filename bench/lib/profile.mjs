// Attributes CPU-profile samples (DevTools Profiler) to "ours" (src/, components/), JsSIP (and its
// dependencies), Lit, or the rest (the browser's own work, other scripts, the page), through the
// bundle's source map. A tiny source-map reader: only what we need (generated line/column → source).
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT.get(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Per generated line: sorted [column, sourceIndex, originalLine] triples. */
function parseMappings(mappings) {
  const lines = [];
  let source = 0;
  let originalLine = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let column = 0;
    if (line) {
      for (const text of line.split(',')) {
        const fields = decodeSegment(text);
        column += fields[0];
        if (fields.length >= 4) {
          source += fields[1];
          originalLine += fields[2];
          segments.push([column, source, originalLine]);
        }
      }
    }
    lines.push(segments);
  }
  return lines;
}

export function categoryOfSource(path) {
  const p = path.replace(/^(\.\.\/)+/, '').replace(/^\.\//, '');
  if (p.startsWith('src/') || p.startsWith('components/') || p === 'index.ts') return 'ours';
  if (/node_modules\/(@krivega|events|debug|ms|sdp-transform)\//.test(p)) return 'jssip';
  if (/node_modules\/(lit|lit-html|lit-element|@lit)/.test(p)) return 'lit';
  return 'other';
}

/**
 * Maps (0-based line, column) of a bundle to `{ category, source }`; `text` is the source map's JSON. Our own
 * sources are named with the line (`src/call/CallService.ts:120`): a profile node's position is where its
 * function starts, so the line tells which function it is.
 * `pageSource` names sources that are the benchmark page's own code (category "page").
 */
export function loadBundleMap(text, pageSource = /^$/) {
  const map = JSON.parse(text);
  const lines = parseMappings(map.mappings);
  const sources = map.sources.map((path) => path.replace(/^(\.\.\/)+/, '').replace(/^\.\//, ''));
  const categories = sources.map((path) => (pageSource.test(path) ? 'page' : categoryOfSource(path)));
  const unknown = { category: 'other', source: '?' };
  return (line, column) => {
    const segments = lines[line];
    if (!segments || segments.length === 0) return unknown;
    let low = 0;
    let high = segments.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (segments[mid][0] <= column) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found < 0) return unknown;
    const [, index, originalLine] = segments[found];
    const category = categories[index];
    return { category, source: category === 'ours' ? `${sources[index]}:${originalLine + 1}` : sources[index] };
  };
}

/**
 * Self time (ms) by category from a DevTools CPU profile. `classify(url, line, column)` gives
 * `{ category, source }` of a JS frame; native frames are "browser" ((program), (root)…), "gc" or
 * "idle". Sample times are converted to the page's performance.now() through `offsetMs` (profile
 * time µs / 1000 − offsetMs). `top(startMs, endMs, n)`: the functions with the most self time.
 */
export function attribute(profile, classify, offsetMs = 0) {
  const frameOfNode = new Map();
  for (const node of profile.nodes) {
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    let frame;
    if (functionName === '(idle)') frame = { category: 'idle', source: '(idle)' };
    else if (functionName === '(garbage collector)') frame = { category: 'gc', source: '(gc)' };
    else if (!url) frame = { category: 'browser', source: functionName || '(native)' };
    else frame = classify(url, lineNumber, columnNumber);
    frameOfNode.set(node.id, { ...frame, name: `${functionName || '(anonymous)'} ${frame.source}` });
  }
  const byCategory = {};
  const samples = [];
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    time += profile.timeDeltas[i] ?? 0;
    const next = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    const frame = frameOfNode.get(profile.samples[i]) ?? { category: 'browser', name: '?' };
    const duration = Math.max(0, next) / 1000;
    byCategory[frame.category] = (byCategory[frame.category] ?? 0) + duration;
    samples.push([time / 1000 - offsetMs, frame.category, duration, frame.name]);
  }
  return {
    byCategory,
    /** The `n` functions (name and source file) with the most self time between two page times (of one category when given). */
    top(startMs, endMs, n = 10, only) {
      const byName = new Map();
      for (const [at, category, duration, name] of samples) {
        if (at < startMs || at >= endMs || category === 'idle' || (only && category !== only)) continue;
        byName.set(name, (byName.get(name) ?? 0) + duration);
      }
      return [...byName.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 }));
    },
    /** Self time by category between two page times (ms). */
    between(startMs, endMs) {
      const out = {};
      for (const [at, category, duration] of samples) {
        if (at >= startMs && at < endMs) out[category] = (out[category] ?? 0) + duration;
      }
      return out;
    },
  };
}

/**
 * Self time of the renderer main thread's trace events by name between page times (a Chromium trace of
 * `devtools.timeline` and `v8` events: compiling and evaluating scripts, style, layout, paint, tasks).
 * `events`: the trace's events; `offsetMs`: as for {@link attribute}. Returns `between(startMs, endMs, n)`:
 * the `n` event names with the most self time.
 */
export function traceSelfTimes(events, offsetMs = 0) {
  // Each renderer has a main thread: the page's is the busiest one.
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const count = (m) => events.reduce((n, e) => n + (e.pid === m.pid && e.tid === m.tid ? 1 : 0), 0);
  const main = mains.map((m) => [m, count(m)]).sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) return { between: () => [] };
  // Complete events ('X') and begin/end pairs of the main thread, as [start, end, name] in page ms.
  const spans = [];
  const open = [];
  for (const e of events) {
    if (e.pid !== main.pid || e.tid !== main.tid) continue;
    const at = e.ts / 1000 - offsetMs;
    if (e.ph === 'X' && typeof e.dur === 'number') spans.push([at, at + e.dur / 1000, e.name]);
    else if (e.ph === 'B') open.push([at, e.name]);
    else if (e.ph === 'E' && open.length) {
      const [start, name] = open.pop();
      spans.push([start, at, name]);
    }
  }
  // Nesting by time: each span's self time is its length minus its direct children's.
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const self = [];
  const stack = [];
  for (const span of spans) {
    while (stack.length && stack.at(-1).end <= span[0]) stack.pop();
    const node = { start: span[0], end: span[1], name: span[2], children: 0 };
    const parent = stack.at(-1);
    if (parent) parent.children += Math.min(node.end, parent.end) - node.start;
    stack.push(node);
    self.push(node);
  }
  return {
    between(startMs, endMs, n = 12) {
      const byName = new Map();
      for (const node of self) {
        const start = Math.max(node.start, startMs);
        const end = Math.min(node.end, endMs);
        if (end <= start) continue;
        const share = (end - start) / Math.max(1e-6, node.end - node.start);
        const ms = Math.max(0, node.end - node.start - node.children) * share;
        byName.set(node.name, (byName.get(node.name) ?? 0) + ms);
      }
      return [...byName.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 }));
    },
  };
}
