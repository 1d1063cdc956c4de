import { IceleakError } from '../core/errors.js';

/**
 * Name of the DevTools binding (`Runtime.addBinding`, a native function that raises
 * `Runtime.bindingCalled`) the instrumentation reports through. The instrumentation keeps
 * its own reference and deletes the global before any page script runs, so a page can
 * neither see nor silence it.
 */
export const REPORT_BINDING = '__iceleak_report';

/** `//# sourceURL` of the instrumentation, so its own frames can be dropped from stacks. */
export const INSTRUMENT_SOURCE_URL = 'iceleak-instrument.js';

/**
 * Page JavaScript (for scan `token`, which routes reports to the right page when several
 * pages share a browser) evaluated in every frame (and worker) before the page's own scripts
 * (`Page.addScriptToEvaluateOnNewDocument`). It wraps the WebRTC surface in that realm and
 * reports each call with a V8 stack so the Node side can attribute it to a script URL.
 * Kept as a string (not a function's `toString()`) because tsx/esbuild rewrite function
 * bodies (`__name` helpers) that would not exist in the page.
 */
export function instrumentSource(token: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token))
    throw new IceleakError('E_SCAN_TOKEN', 'scan/instrument', 'token must be 1-64 of [A-Za-z0-9_-]');
  return String.raw`(() => {
  const G = globalThis;
  const REPORT = G['${REPORT_BINDING}'];
  if (typeof REPORT !== 'function') return;
  // Also the guard against running twice in one realm: the second run finds no binding.
  try { delete G['${REPORT_BINDING}']; } catch {}
  const PC = G.RTCPeerConnection;
  // Saved before the page can replace them.
  const apply = Reflect.apply, construct = Reflect.construct, defineProperty = Object.defineProperty;
  const getDesc = Object.getOwnPropertyDescriptor, stringify = JSON.stringify, now = Date.now;
  const ErrorCtor = Error, WeakMapCtor = WeakMap, StringCtor = String, isArray = Array.isArray;
  const ctx = Math.random().toString(36).slice(2, 8);
  let seq = 0, pcCounter = 0;
  const ids = new WeakMapCtor();
  const where = () => { try { return G.location ? G.location.href : ''; } catch { return ''; } };
  const stack = () => {
    const prep = ErrorCtor.prepareStackTrace, limit = ErrorCtor.stackTraceLimit;
    try { ErrorCtor.prepareStackTrace = undefined; ErrorCtor.stackTraceLimit = 40; } catch {}
    const s = new ErrorCtor().stack || '';
    try { ErrorCtor.prepareStackTrace = prep; ErrorCtor.stackTraceLimit = limit; } catch {}
    return s;
  };
  const pcId = (pc) => {
    if (pc === null || (typeof pc !== 'object' && typeof pc !== 'function')) return null;
    let id = ids.get(pc);
    if (id === undefined) { id = ctx + ':' + (++pcCounter); ids.set(pc, id); }
    return id;
  };
  const clip = (v, n) => { const s = StringCtor(v); return s.length > n ? s.slice(0, n) : s; };
  const pcOf = (x) => {
    try { return x instanceof PC ? x : (x && x.target instanceof PC ? x.target : null); } catch { return null; }
  };
  // callStack: for results delivered later (getStats), the stack of the call that asked.
  const report = (api, target, detail, callStack) => {
    // A page that reads a getter in a loop must not flood DevTools: cap per realm.
    if (seq >= 5000) return;
    try {
      REPORT(stringify({ token: '${token}', seq: ++seq, ctx, time: now(), api, pc: pcId(target), detail: detail || {}, stack: callStack || stack(), realm: where() }));
    } catch {}
  };
  // Wrappers print as the native functions they wrap, so a toString() check does not
  // reveal them (pages that harvest only when un-instrumented exist).
  const masks = new WeakMapCtor();
  {
    const fnToString = Function.prototype.toString;
    const toString = { toString() { return apply(fnToString, masks.get(this) || this, []); } }.toString;
    masks.set(toString, fnToString);
    defineProperty(Function.prototype, 'toString', { ...getDesc(Function.prototype, 'toString'), value: toString });
  }
  const mask = (wrapper, original) => { masks.set(wrapper, original); return wrapper; };
  const wrapMethod = (proto, name, describe) => {
    if (!proto) return;
    const d = getDesc(proto, name);
    if (!d || typeof d.value !== 'function') return;
    const orig = d.value;
    const w = { [name](...args) {
      let detail = {};
      try { detail = describe ? describe(args, this) : {}; } catch {}
      report(name, this, detail);
      const out = apply(orig, this, args);
      return out;
    } }[name];
    defineProperty(proto, name, { ...d, value: mask(w, orig) });
  };
  const wrapGetter = (proto, name, api, describe) => {
    if (!proto) return;
    const d = getDesc(proto, name);
    if (!d || typeof d.get !== 'function') return;
    const get = d.get;
    defineProperty(proto, name, { ...d, get: mask({ get [name]() {
      const v = apply(get, this, []);
      let detail = {};
      try { detail = describe ? describe(v, this) : {}; } catch {}
      report(api, pcOf(this), detail);
      return v;
    } }.__lookupGetter__(name), get) });
  };
  const wrapSetter = (proto, name, api) => {
    if (!proto) return;
    const d = getDesc(proto, name);
    if (!d || typeof d.set !== 'function') return;
    const set = d.set;
    defineProperty(proto, name, { ...d, set: mask({ set [name](v) {
      report(api, this, { handler: typeof v === 'function' });
      return apply(set, this, [v]);
    } }.__lookupSetter__(name), set) });
  };
  const urlsOf = (server) => {
    if (!server) return [];
    const u = server.urls !== undefined ? server.urls : server.url;
    return (isArray(u) ? u : [u]).filter((x) => x !== undefined).map((x) => clip(x, 300));
  };
  const sdpOf = (desc) => (desc && typeof desc.sdp === 'string' ? clip(desc.sdp, 8000) : null);

  // MediaDevices exists apart from WebRTC (and only in secure contexts).
  if (G.MediaDevices) {
    wrapMethod(G.MediaDevices.prototype, 'getUserMedia', (a) => ({ constraints: stringify(a[0] || null) }));
  }
  if (typeof PC !== 'function') return;
  const P = PC.prototype;
  const IceEvent = G.RTCPeerConnectionIceEvent, Cand = G.RTCIceCandidate, Desc = G.RTCSessionDescription;
  const candGet = Cand && getDesc(Cand.prototype, 'candidate') ? getDesc(Cand.prototype, 'candidate').get : null;
  const candString = (c) => { try { return c && candGet ? apply(candGet, c, []) : null; } catch { return null; } };
  const sdpGet = Desc && getDesc(Desc.prototype, 'sdp') ? getDesc(Desc.prototype, 'sdp').get : null;

  // The constructor: a Proxy keeps typeof, name, prototype and instanceof intact.
  const reportedAccess = new Set();
  const proxy = new Proxy(PC, {
    construct(target, args, newTarget) {
      const config = args[0] || {};
      let detail = {};
      try {
        const servers = isArray(config.iceServers) ? config.iceServers : [];
        detail = { iceServers: servers.flatMap(urlsOf), iceTransportPolicy: config.iceTransportPolicy || null, legacy: args.length > 1 };
      } catch {}
      const pc = construct(target, args, newTarget === proxy ? target : newTarget);
      report('RTCPeerConnection', pc, detail);
      return pc;
    },
  });
  try { defineProperty(P, 'constructor', { value: proxy, writable: true, configurable: true }); } catch {}
  for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection']) {
    const d = getDesc(G, name);
    if (!d || d.value !== PC) continue;
    let current = proxy;
    // An accessor sees feature detection (typeof RTCPeerConnection) without the page noticing.
    defineProperty(G, name, {
      configurable: true, enumerable: d.enumerable,
      get() {
        const s = stack();
        const key = s.split('\n').slice(2, 4).join('|');
        if (!reportedAccess.has(key) && reportedAccess.size < 50) { reportedAccess.add(key); report('constructor-access', null, { name }); }
        return current;
      },
      set(v) { current = v; },
    });
  }

  wrapMethod(P, 'createDataChannel', (a) => ({ label: clip(a[0], 100) }));
  wrapMethod(P, 'createOffer', (a) => ({ legacy: typeof a[0] === 'function', options: stringify((typeof a[0] === 'function' ? a[2] : a[0]) || null) }));
  wrapMethod(P, 'createAnswer', (a) => ({ legacy: typeof a[0] === 'function' }));
  wrapMethod(P, 'setLocalDescription', (a) => ({ type: a[0] && a[0].type ? StringCtor(a[0].type) : null }));
  wrapMethod(P, 'setRemoteDescription', (a) => ({ type: a[0] && a[0].type ? StringCtor(a[0].type) : null, sdp: sdpOf(a[0]) }));
  wrapMethod(P, 'addIceCandidate', (a) => ({ candidate: a[0] ? clip(a[0].candidate, 500) : null }));
  wrapMethod(P, 'addTrack', (a) => ({ kind: a[0] && a[0].kind ? StringCtor(a[0].kind) : null }));
  wrapMethod(P, 'addStream', () => ({}));
  wrapMethod(P, 'addTransceiver', (a) => ({ kind: typeof a[0] === 'string' ? a[0] : (a[0] && a[0].kind) || null, direction: a[1] && a[1].direction ? StringCtor(a[1].direction) : null }));
  wrapMethod(P, 'close', () => ({}));
  // getStats: also record what the page gets back (local-candidate addresses).
  {
    const d = getDesc(P, 'getStats');
    if (d && typeof d.value === 'function') {
      const orig = d.value;
      const w = { getStats(...args) {
        const self = this;
        const callStack = stack();
        report('getStats', self, {}, callStack);
        const out = apply(orig, self, args);
        if (out && typeof out.then === 'function') {
          out.then((stats) => {
            const found = [];
            try { stats.forEach((s) => { if (s.type === 'local-candidate') found.push({ address: s.address || s.ip || null, candidateType: s.candidateType || null }); }); } catch {}
            report('getStats-result', self, { localCandidates: found.slice(0, 50) }, callStack);
          }, () => {});
        }
        return out;
      } }.getStats;
      defineProperty(P, 'getStats', { ...d, value: mask(w, orig) });
    }
  }
  for (const name of ['onicecandidate', 'onicegatheringstatechange', 'ondatachannel', 'ontrack', 'onaddstream']) wrapSetter(P, name, name);
  {
    const ET = G.EventTarget && G.EventTarget.prototype;
    const add = ET && ET.addEventListener;
    if (add) {
      const w = { addEventListener(type, ...rest) {
        report('addEventListener', this, { type: clip(type, 60) });
        return apply(add, this, [type, ...rest]);
      } }.addEventListener;
      defineProperty(P, 'addEventListener', { value: mask(w, add), writable: true, configurable: true, enumerable: true });
    }
  }
  for (const name of ['localDescription', 'currentLocalDescription', 'pendingLocalDescription']) {
    wrapGetter(P, name, name, (v) => ({ sdp: v && sdpGet ? clip(apply(sdpGet, v, []), 8000) : null }));
  }
  wrapGetter(P, 'remoteDescription', 'remoteDescription', () => ({}));
  if (IceEvent) wrapGetter(IceEvent.prototype, 'candidate', 'icecandidate.candidate', (v) => ({ candidate: v ? clip(candString(v), 500) : null }));
  if (Cand) {
    for (const name of ['candidate', 'address', 'relatedAddress', 'foundation']) {
      wrapGetter(Cand.prototype, name, 'RTCIceCandidate.' + name, (v, self) => ({ value: v === null || v === undefined ? null : clip(v, 500), candidate: clip(candString(self), 500) }));
    }
    wrapMethod(Cand.prototype, 'toJSON', (a, self) => ({ candidate: clip(candString(self), 500) }));
  }
  if (Desc) {
    wrapGetter(Desc.prototype, 'sdp', 'RTCSessionDescription.sdp', (v) => ({ sdp: v ? clip(v, 8000) : null }));
    wrapMethod(Desc.prototype, 'toJSON', (a, self) => ({ sdp: sdpGet ? clip(apply(sdpGet, self, []), 8000) : null }));
  }
  if (G.RTCDataChannel) wrapMethod(G.RTCDataChannel.prototype, 'send', (a) => ({ bytes: typeof a[0] === 'string' ? a[0].length : (a[0] && a[0].byteLength) || 0 }));
})();
//# sourceURL=${INSTRUMENT_SOURCE_URL}
`;
}
