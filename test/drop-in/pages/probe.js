// Runs first on the drop-in test pages (a same-origin script, allowed by the strict CSP): records CSP
// violations, uncaught errors, custom element definitions, the page's globals, and every call to a
// browser API with side effects while `__dropIn.importing` is true (until after-import.js runs).
(function () {
  'use strict';
  var probe = {
    importing: true,
    importCalls: [],
    violations: [],
    errors: [],
    defines: [],
    globalsBefore: Object.getOwnPropertyNames(window),
    symbolMetadataBefore: Symbol.metadata,
  };
  Object.defineProperty(window, '__dropIn', { value: probe, enumerable: false });

  document.addEventListener('securitypolicyviolation', function (event) {
    probe.violations.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample, source: event.sourceFile, line: event.lineNumber });
  });
  window.addEventListener('error', function (event) {
    probe.errors.push(String((event.error && event.error.stack) || event.message));
  });
  window.addEventListener('unhandledrejection', function (event) {
    probe.errors.push(String((event.reason && event.reason.stack) || event.reason));
  });

  function record(label) {
    if (probe.importing) probe.importCalls.push(label);
  }
  function wrapMethod(target, name, label) {
    var original = target && target[name];
    if (typeof original !== 'function') return;
    target[name] = function () {
      record(label);
      return original.apply(this, arguments);
    };
  }
  function wrapConstructor(name) {
    var original = window[name];
    if (typeof original !== 'function') return;
    window[name] = new Proxy(original, {
      construct: function (target, args, newTarget) {
        record('new ' + name);
        return Reflect.construct(target, args, newTarget === window[name] ? target : newTarget);
      },
    });
  }
  function wrapGetter(target, name, label) {
    var descriptor = Object.getOwnPropertyDescriptor(target, name);
    if (!descriptor || !descriptor.get) return;
    Object.defineProperty(target, name, {
      configurable: true,
      enumerable: descriptor.enumerable,
      get: function () {
        record(label);
        return descriptor.get.call(this);
      },
      set: descriptor.set,
    });
  }

  ['fetch', 'setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback', 'open', 'alert'].forEach(function (name) {
    wrapMethod(window, name, name);
  });
  wrapMethod(XMLHttpRequest.prototype, 'open', 'XMLHttpRequest.open');
  wrapMethod(Storage.prototype, 'getItem', 'Storage.getItem');
  wrapMethod(Storage.prototype, 'setItem', 'Storage.setItem');
  wrapMethod(MediaDevices.prototype, 'getUserMedia', 'getUserMedia');
  wrapMethod(MediaDevices.prototype, 'enumerateDevices', 'enumerateDevices');
  wrapMethod(MediaDevices.prototype, 'getDisplayMedia', 'getDisplayMedia');
  wrapMethod(History.prototype, 'pushState', 'history.pushState');
  wrapMethod(Node.prototype, 'appendChild', 'Node.appendChild');
  wrapMethod(Node.prototype, 'insertBefore', 'Node.insertBefore');
  wrapMethod(Element.prototype, 'setAttribute', 'Element.setAttribute');
  wrapGetter(window, 'localStorage', 'localStorage');
  wrapGetter(window, 'sessionStorage', 'sessionStorage');
  wrapGetter(window, 'indexedDB', 'indexedDB');
  wrapGetter(Document.prototype, 'cookie', 'document.cookie');
  ['WebSocket', 'RTCPeerConnection', 'Worker', 'SharedWorker', 'BroadcastChannel', 'MutationObserver', 'ResizeObserver', 'IntersectionObserver', 'AudioContext'].forEach(wrapConstructor);

  var addEventListener = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type) {
    if (this === window || this === document || this === navigator.mediaDevices) record('addEventListener(' + type + ')');
    return addEventListener.apply(this, arguments);
  };

  var define = CustomElementRegistry.prototype.define;
  CustomElementRegistry.prototype.define = function (name) {
    probe.defines.push(name);
    return define.apply(this, arguments);
  };
})();
