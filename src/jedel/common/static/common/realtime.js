/* Jedel real-time client: one websocket to /ws/events/, any number of streams, nothing lost.
 *
 *   <script src="{% static 'common/realtime.js' %}"></script>
 *   const feed = JedelRealtime.subscribe("capacity", {
 *     after: Number(board.dataset.realtimeSeq),  // head seq read by the view BEFORE it read the state
 *     onEvent: (ev) => { ... },                   // {type:"event", stream, seq, kind, at, data}; apply idempotently
 *     onReset: (seq) => { ... },                  // missed too much: reload the full state, then events go on
 *     onStatus: (state) => { ... },               // optional: "connecting" | "live" | "offline" | "unauthorised"
 *   });
 *   feed.close();                                 // stop listening to this stream
 *
 * The server replays every event after `after` (only those the user may read), then sends "subscribed";
 * on reconnect the client asks again from the last seq it saw, with exponential backoff (0.5 s .. 30 s, with
 * jitter). A ping every 25 s keeps proxies from closing an idle socket and lets the server send anything a
 * lost live message left behind; no message for 60 s means a dead connection, so it reconnects.
 */
(function (global) {
  "use strict";

  var PING_MS = 25000;
  var DEAD_MS = 60000;
  var BACKOFF_MIN_MS = 500;
  var BACKOFF_MAX_MS = 30000;
  var CLOSE_UNAUTHENTICATED = 4401;

  var subs = {};          // stream -> {last, opts}
  var ws = null;
  var attempt = 0;
  var retryTimer = null;
  var pingTimer = null;
  var lastHeard = 0;
  var stopped = false;    // true after a 4401: signing in again reloads the page anyway

  function url() {
    var scheme = global.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + global.location.host + "/ws/events/";
  }

  function status(state) {
    Object.keys(subs).forEach(function (name) {
      var cb = subs[name].opts.onStatus;
      if (cb) { try { cb(state); } catch (e) { console.error(e); } }
    });
  }

  function send(msg) {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(msg)); }
  }

  function sendSubscribe(name) {
    var last = subs[name].last;
    send({type: "subscribe", stream: name, after: last === null || last === undefined ? null : last});
  }

  function call(fn, arg) {
    if (!fn) { return; }
    try { fn(arg); } catch (e) { console.error(e); }
  }

  function onMessage(raw) {
    lastHeard = Date.now();
    var msg;
    try { msg = JSON.parse(raw.data); } catch (e) { return; }
    var sub = msg.stream ? subs[msg.stream] : null;
    if (msg.type === "event" && sub) {
      if (sub.last !== null && msg.seq <= sub.last) { return; }  // belt and braces: the server dedups too
      sub.last = msg.seq;
      call(sub.opts.onEvent, msg);
    } else if (msg.type === "subscribed" && sub) {
      sub.last = msg.seq;
      attempt = 0;
      status("live");
    } else if (msg.type === "reset" && sub) {
      sub.last = msg.seq;
      attempt = 0;
      call(sub.opts.onReset, msg.seq);
      status("live");
    } else if (msg.type === "error") {
      console.warn("realtime:", msg.code, msg.message);
    }
  }

  function schedule() {
    if (stopped || retryTimer || !Object.keys(subs).length) { return; }
    var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, attempt));
    attempt += 1;
    delay = delay / 2 + Math.random() * delay / 2;  // jitter: a restarted server is not hit by all at once
    retryTimer = global.setTimeout(function () { retryTimer = null; open(); }, delay);
  }

  function open() {
    if (stopped || ws || !Object.keys(subs).length) { return; }
    status("connecting");
    var socket = new global.WebSocket(url());
    ws = socket;
    socket.onopen = function () {
      lastHeard = Date.now();
      Object.keys(subs).forEach(sendSubscribe);
      pingTimer = global.setInterval(function () {
        if (Date.now() - lastHeard > DEAD_MS) { socket.close(); return; }
        send({type: "ping"});
      }, PING_MS);
    };
    socket.onmessage = onMessage;
    socket.onclose = function (ev) {
      global.clearInterval(pingTimer);
      pingTimer = null;
      if (ws === socket) { ws = null; }
      if (ev.code === CLOSE_UNAUTHENTICATED) {
        stopped = true;
        status("unauthorised");
        return;
      }
      status("offline");
      schedule();
    };
  }

  function subscribe(name, opts) {
    opts = opts || {};
    var after = opts.after;
    subs[name] = {last: typeof after === "number" && isFinite(after) ? after : null, opts: opts};
    if (ws && ws.readyState === 1) { sendSubscribe(name); } else { open(); }
    return {
      close: function () {
        delete subs[name];
        if (!Object.keys(subs).length && ws) { ws.close(1000); }
      },
      get seq() { return subs[name] ? subs[name].last : null; },
    };
  }

  // A page coming back from the background or the network returning: try at once instead of waiting.
  global.addEventListener("online", function () {
    if (!ws && retryTimer) { global.clearTimeout(retryTimer); retryTimer = null; attempt = 0; open(); }
  });

  global.JedelRealtime = {subscribe: subscribe};
})(window);
