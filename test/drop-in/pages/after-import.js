// Runs right after the scripts under test on the drop-in pages: import time is over.
(function () {
  'use strict';
  var probe = window.__dropIn;
  probe.importing = false;
  probe.globalsAfter = Object.getOwnPropertyNames(window);
  probe.symbolMetadataAfter = Symbol.metadata;
})();
