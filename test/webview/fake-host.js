/* global window, document -- runs in the test page */
// Stands in for VS Code's webview host: acquireVsCodeApi() records posted messages and
// answers requests (ok by default; window.__fakeHost.mode = 'manual' | 'fail' changes that).
(() => {
  const host = {
    posted: [],
    violations: [],
    state: undefined,
    mode: 'auto',
    respond(id, ok = true, result = null, error) {
      window.postMessage(ok ? { type: 'response', id, ok: true, result } : { type: 'response', id, ok: false, error: error ?? 'failed' }, '*');
    },
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    host.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  window.__fakeHost = host;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      postMessage(message) {
        host.posted.push(JSON.parse(JSON.stringify(message)));
        if (message?.type !== 'request' || host.mode === 'manual') return;
        setTimeout(() => host.respond(message.id, host.mode !== 'fail', null, `${message.request.method} failed in the fake host`), 5);
      },
      getState: () => host.state,
      setState: (s) => { host.state = s; return s; },
    };
  };
})();
