/* The security console: alarms of one facility live over the real-time channel, with a sound.
 * Element [data-console]: data-facility, data-seq (stream head read before the alerts), data-refresh-url
 * (the alerts partial, also fetched on every (re)connection so nothing unacknowledged is missed),
 * data-heartbeat-url and data-heartbeat-s (tells the server someone is watching). */
(function () {
  "use strict";
  var el = document.querySelector("[data-console]");
  if (!el || !window.JedelRealtime || !window.htmx) { return; }
  var facility = Number(el.dataset.facility);
  var statusEl = document.getElementById("console-status");
  var soundButton = document.getElementById("console-sound");
  var audio = null;
  var pending = null;

  function refresh() {
    if (pending) { return; }
    pending = setTimeout(function () {
      pending = null;
      window.htmx.ajax("GET", el.dataset.refreshUrl, {target: el, swap: "innerHTML"});
    }, 100);
  }

  function beep() {
    if (!audio) { return; }
    [0, 0.35, 0.7].forEach(function (t) {  // three short high tones: unmistakable, no file to load
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 1046;
      gain.gain.value = 0.3;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(audio.currentTime + t); osc.stop(audio.currentTime + t + 0.25);
    });
  }

  if (soundButton) {
    soundButton.addEventListener("click", function () {  // browsers allow sound only after a user gesture
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (Ctx && !audio) { audio = new Ctx(); }
      if (audio) { audio.resume(); beep(); }
      soundButton.disabled = true;
    });
  }

  function setStatus(state) {
    if (!statusEl) { return; }
    statusEl.dataset.state = state;
    var text = statusEl.dataset["text" + state.charAt(0).toUpperCase() + state.slice(1)];
    statusEl.textContent = text || state;
    if (state === "live") { refresh(); }  // (re)connected: show every alert still open, whatever was missed
  }

  function heartbeat() {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]") || document.querySelector("meta[name=csrf-token]");
    var headers = {};
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) { headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
    else if (token) { headers["X-CSRFToken"] = token.value || token.content; }
    fetch(el.dataset.heartbeatUrl, {method: "POST", headers: headers, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { setStatus("offline"); } })
      .catch(function () { setStatus("offline"); });
  }
  heartbeat();
  setInterval(heartbeat, 1000 * Number(el.dataset.heartbeatS || 15));

  window.JedelRealtime.subscribe("security", {
    after: Number(el.dataset.seq || 0),
    onEvent: function (ev) {
      if (ev.data.facility !== facility) { return; }
      if (ev.kind === "panic.raised" || ev.kind === "panic.pressed_again") { beep(); }
      refresh();
    },
    onReset: refresh,
    onStatus: setStatus
  });
}());
