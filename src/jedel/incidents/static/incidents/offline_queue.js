// The casualty registration page on a scene tablet without a connection. When the network is down (the browser
// says so, or a probe of the server fails), a registration is not posted but kept in this device's localStorage
// (one queue per incident, surviving a reload); the page says how many are waiting, and sends them in order
// through the JSON API when the connection returns (the `online` event and a retry every RETRY_MS), each with its
// own Idempotency-Key. The API is idempotent by tag, so a registration that reached the server before the
// connection dropped comes back as the existing casualty, not a second one. A refusal (4xx) keeps the item,
// shown as needing attention; 401 stops sending and says to sign in. Online, the form posts as it always did
// (without this script too). A service worker (views_offline.py) keeps the page loadable offline.
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  var panel = document.getElementById("offline-queue");
  if (!form || !panel || !window.fetch || !window.JSON) { return; }
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }
  var cfg = panel.dataset;
  var T = JSON.parse(cfg.texts);
  var KEY = "jedel.offline-registrations." + cfg.incident;
  var CACHE = "jedel-register:" + cfg.scope;
  var RETRY_MS = 15000;
  var PROBE_MS = 4000;
  var TAG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var countEl = document.getElementById("offline-count");
  var listEl = document.getElementById("offline-list");
  var logEl = document.getElementById("offline-log");
  var sending = false;
  var signedOut = false;
  var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || undefined) : null;

  function fill(text, tag) { return text.replace("{tag}", tag); }

  function plural(forms, n) {
    var sample = n === 1 ? "1" : "5";
    if (rules) {
      var cat = rules.select(n);
      Object.keys(forms).forEach(function (s) { if (rules.select(Number(s)) === cat) { sample = s; } });
    }
    return forms[sample].replace("%(count)s", String(n));
  }

  function load() {
    try {
      var q = JSON.parse(store.getItem(KEY) || "[]");
      return Array.isArray(q) ? q : [];
    } catch (e) { return []; }
  }

  function save(q) { store.setItem(KEY, JSON.stringify(q)); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "q-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function log(text) {
    var li = document.createElement("li");
    li.textContent = text;
    logEl.insertBefore(li, logEl.firstChild);
    while (logEl.children.length > 10) { logEl.removeChild(logEl.lastChild); }
    panel.hidden = false;
  }

  // -- the page ---------------------------------------------------------------------------------------------
  function button(text, action, id) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button small";
    b.textContent = text;
    b.setAttribute("data-action", action);
    b.setAttribute("data-id", id);
    return b;
  }

  function render() {
    var q = load();
    var waiting = q.filter(function (i) { return i.state !== "attention"; });
    var refused = q.filter(function (i) { return i.state === "attention"; });
    var parts = [];
    if (waiting.length) { parts.push(sending ? T.sending : plural(T.waiting, waiting.length)); }
    if (refused.length) { parts.push(plural(T.attention, refused.length)); }
    countEl.textContent = parts.length ? parts.join(". ") : T.empty;
    panel.setAttribute("data-waiting", String(waiting.length));
    panel.setAttribute("data-attention", String(refused.length));
    listEl.textContent = "";
    q.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-tag", item.body.tag);
      li.setAttribute("data-state", item.state);
      var strong = document.createElement("strong");
      strong.textContent = item.body.tag;
      li.appendChild(strong);
      if (item.state === "attention") {
        li.className = "attention";
        li.appendChild(document.createTextNode(" — " + T.refused + ": " + (item.error || "")));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button(T.retry, "retry", item.id));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button(T.discard, "discard", item.id));
      }
      listEl.appendChild(li);
    });
    if (signedOut) {
      var p = document.createElement("li");
      p.className = "attention";
      p.setAttribute("data-state", "signed-out");
      p.appendChild(document.createTextNode(T.signed_out + " "));
      var a = document.createElement("a");
      a.href = cfg.loginUrl + "?next=" + encodeURIComponent(location.pathname);
      a.textContent = T.sign_in;
      p.appendChild(a);
      listEl.appendChild(p);
    }
    if (q.length || signedOut || !navigator.onLine) { panel.hidden = false; }
  }

  listEl.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-action]");
    if (!b) { return; }
    var q = load();
    var item = q.filter(function (i) { return i.id === b.getAttribute("data-id"); })[0];
    if (!item) { render(); return; }
    if (b.getAttribute("data-action") === "discard") {
      if (!window.confirm(fill(T.discard_confirm, item.body.tag))) { return; }
      q = q.filter(function (i) { return i !== item; });
    } else {
      item.state = "waiting";
      item.error = "";
    }
    save(q);
    render();
    flush();
  });

  // -- queueing ---------------------------------------------------------------------------------------------
  function collect() {
    var tag = String(form.elements.tag.value || "").trim();
    if (!TAG.test(tag)) { return null; }
    var method = form.elements.method ? form.elements.method.value : "auto";
    var findings = {};
    form.querySelectorAll("#findings input[name], #findings select[name]").forEach(function (el) {
      var value = String(el.value || "").trim();
      if (!value) { return; }
      if (value === "yes" || value === "no") { findings[el.name] = value === "yes"; }
      else if (el.tagName === "INPUT" && !isNaN(Number(value))) { findings[el.name] = Number(value); }
      else { findings[el.name] = value; }
    });
    var body = { tag: tag, age_band: form.elements.age_band.value, sex: form.elements.sex.value,
                 name: form.elements.name.value.trim(), description: form.elements.description.value.trim() };
    var needs = [];
    form.querySelectorAll("input[name=needs]:checked").forEach(function (el) { needs.push(el.value); });
    if (needs.length) { body.needs = needs; }
    var point = form.elements.collection_point ? form.elements.collection_point.value : "";
    if (point) { body.collection_point = Number(point); }
    if (Object.keys(findings).length) { body.triage = { method: method, findings: findings }; }
    return { id: newKey(), state: "waiting", queued_at: new Date().toISOString(), body: body };
  }

  function clearForm() {
    var method = form.elements.method ? form.elements.method.value : null;
    form.reset();
    if (method !== null) { form.elements.method.value = method; }
    form.elements.tag.focus();
  }

  function enqueue() {
    var item = collect();
    if (!item) {
      log(T.bad_tag);
      form.elements.tag.focus();
      return;
    }
    var q = load();
    if (q.some(function (i) { return i.body.tag.toUpperCase() === item.body.tag.toUpperCase(); })) {
      log(fill(T.duplicate, item.body.tag));
    } else {
      q.push(item);
      save(q);
      log(fill(T.queued, item.body.tag));
    }
    clearForm();
    render();
  }

  function reachable() {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, PROBE_MS) : null;
    return fetch(cfg.probeUrl, { cache: "no-store", credentials: "same-origin", signal: controller && controller.signal })
      .then(function (r) { return r.status < 500; }, function () { return false; })
      .then(function (ok) { if (timer) { window.clearTimeout(timer); } return ok; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!navigator.onLine) { enqueue(); return; }
    reachable().then(function (ok) {
      if (ok) { form.submit(); } else { enqueue(); }  // form.submit() posts as without this script
    });
  });

  // -- sending ----------------------------------------------------------------------------------------------
  function message(data) {
    var detail = data && Array.isArray(data.detail) ? data.detail : [];
    return detail.map(function (d) { return d.msg || d.code; }).join("; ");
  }

  function send(item) {
    return fetch(cfg.apiUrl, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json",
                 "X-CSRFToken": csrfInput ? csrfInput.value : "", "Idempotency-Key": item.id },
      body: JSON.stringify(item.body)
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (data) {
        var code = data && data.detail && data.detail[0] && data.detail[0].code;
        if (r.status === 200 || r.status === 201) {
          save(load().filter(function (i) { return i.id !== item.id; }));
          log(fill(r.status === 201 ? T.sent : T.existing, (data && data.tag) || item.body.tag));
          return "next";
        }
        if (r.status === 401) { signedOut = true; return "stop"; }
        if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429
            && code !== "idempotency_in_progress") {
          var q = load();
          q.forEach(function (i) {
            if (i.id === item.id) { i.state = "attention"; i.error = message(data) || String(r.status); }
          });
          save(q);
          return "next";
        }
        return "later";  // 5xx, 408, 429, still running: the periodic retry sends it again
      });
    }, function () { return "later"; });
  }

  function flush() {
    if (sending || signedOut || !navigator.onLine) { render(); return; }
    var next = load().filter(function (i) { return i.state !== "attention"; })[0];
    if (!next) { render(); return; }
    sending = true;
    render();
    send(next).then(function (outcome) {
      sending = false;
      if (outcome === "next") { flush(); } else { render(); }
    });
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (e) { if (e.key === KEY) { render(); } });
  window.setInterval(flush, RETRY_MS);
  render();
  flush();

  // -- the page itself, offline -----------------------------------------------------------------------------
  // Register the worker, and on a first visit (before it controls the page) keep the page, its static files and
  // the findings partials of every method, so the page loads and changes method without a connection.
  if (!("serviceWorker" in navigator) || !window.caches) { return; }
  navigator.serviceWorker.register(cfg.workerUrl, { scope: cfg.scope }).catch(function () { /* no offline reload */ });
  if (!navigator.onLine) { return; }
  var urls = [cfg.scope];
  document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel~=icon][href]").forEach(function (el) {
    urls.push(el.getAttribute("src") || el.getAttribute("href"));
  });
  var partials = [];
  if (form.elements.method) {
    Array.prototype.forEach.call(form.elements.method.options, function (o) {
      partials.push(cfg.scope + "?method=" + encodeURIComponent(o.value));
    });
  }
  caches.open(CACHE).then(function (cache) {
    urls.concat(partials).forEach(function (url) {
      cache.match(url, { ignoreVary: true }).then(function (found) {
        if (found) { return; }
        var headers = partials.indexOf(url) >= 0 ? { "HX-Request": "true" } : {};
        fetch(url, { credentials: "same-origin", headers: headers }).then(function (r) {
          if (r.ok && !r.redirected) { cache.put(url, r); }
        }).catch(function () { /* kept next time */ });
      });
    });
  });
})();
