/* global module, console -- CommonJS, as the `debug` module it stands in for (JsSIP calls `require('debug')(name)`) */
'use strict';
// The script-tag builds' copy of JsSIP logs through this instead of the npm `debug` module (vite.config.ts
// aliases `debug` here for `--mode sip` and `--mode single`; the ESM build and the tests keep the real one).
// JsSIP creates three loggers for every object it builds (UA, transport, each transaction and session), and
// `debug` gives each a colour and a formatter and reads `localStorage.debug` as it loads: 1.8 KB of the gzipped
// chunk (and 20–30 ms in the bench's 4× CPU-throttled profiles), for a log that stays off unless the page calls
// `enableSipDebug()` (src/connection/jssip.ts). What JsSIP and jssip.ts use is kept: `debug(namespace)` and
// `debug.default(namespace)` make a logger (`logger(format, ...args)`, its `log`, `enabled`, `namespace`),
// and `enable(namespaces)`, `disable()`, `enabled(name)`, `namespaces` and `save` switch namespaces with
// debug's syntax (`JsSIP*,-JsSIP:Transport`). Unlike `debug`, nothing is read from or written to storage:
// the log starts off, whatever `localStorage.debug` says.

let setting = '';
let version = 0;
/** @type {{ names: RegExp[]; skips: RegExp[] }} */
let compiled = { names: [], skips: [] };

/** @param {string} pattern a namespace, `*` matching anything */
function toRegExp(pattern) {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`);
}

/** @param {string} name */
function enabled(name) {
  if (compiled.skips.some((skip) => skip.test(name))) return false;
  return compiled.names.some((pattern) => pattern.test(name));
}

/** @param {string} namespace */
function createDebug(namespace) {
  let seen = -1;
  let on = false;
  /** @param {...unknown} args */
  function logger(...args) {
    if (!logger.enabled) return;
    const [first, ...rest] = args;
    // The console formats `%s`, `%o`, `%d` as debug did.
    if (typeof first === 'string') logger.log(`${namespace} ${first}`, ...rest);
    else logger.log(namespace, ...args);
  }
  logger.namespace = namespace;
  /** @param {...unknown} args */
  logger.log = (...args) => console.debug(...args);
  logger.destroy = () => false;
  logger.extend = (/** @type {string} */ name, delimiter = ':') => createDebug(`${namespace}${delimiter}${name}`);
  Object.defineProperty(logger, 'enabled', {
    enumerable: true,
    get() {
      if (seen !== version) {
        seen = version;
        on = enabled(namespace);
      }
      return on;
    },
    set(value) {
      seen = Infinity;
      on = Boolean(value);
    },
  });
  return logger;
}

/** @param {string} namespaces debug's syntax: comma- or space-separated, `*` wildcards, `-` to exclude */
function enable(namespaces) {
  setting = typeof namespaces === 'string' ? namespaces : '';
  createDebug.namespaces = setting;
  version += 1;
  const names = [];
  const skips = [];
  for (const part of setting.split(/[\s,]+/)) {
    if (!part) continue;
    if (part.startsWith('-')) skips.push(toRegExp(part.slice(1)));
    else names.push(toRegExp(part));
  }
  compiled = { names, skips };
}

function disable() {
  const previous = setting;
  enable('');
  return previous;
}

createDebug.default = createDebug;
createDebug.enable = enable;
createDebug.disable = disable;
createDebug.enabled = enabled;
createDebug.namespaces = '';
createDebug.save = () => undefined;
createDebug.load = () => '';
createDebug.formatters = {};

module.exports = createDebug;
