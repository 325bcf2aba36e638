/* The site shell, loaded by every page after htmx (common/base.html). No inline script anywhere: the
   Content-Security-Policy allows scripts from our static files only.
   - the language menu submits itself on change;
   - htmx "every Ns" polls ask window.JedelBoard.due(elt) before each request when a page defines it (CSP
     forbids eval, so htmx trigger filters "[...]" cannot run; allowEval is off in base.html);
   - a signed-out session: a panel refresh answered with the sign-in page (or 401) is not swapped in; one
     notice says so, with a link to sign in again;
   - an unreachable server: "connection lost — figures as of HH:MM" (Almaty time of the last answer) until a
     request or a probe gets through again. */
(function () {
  "use strict";
  var notice = document.getElementById("site-notice");
  var htmx = window.htmx;
  var PROBE_MS = 5000;

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
  });

  if (!notice || !htmx) { return; }
  var cfg = notice.dataset;
  var lastAnswer = new Date();  // the page itself was an answer
  var probeTimer = null;

  function hhmm(date) {
    try {
      return date.toLocaleTimeString(cfg.lang || undefined,
                                     { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: cfg.timeZone });
    } catch (e) {
      return date.toTimeString().slice(0, 5);
    }
  }

  function show(state) {
    notice.textContent = "";
    if (state === "signed-out") {
      notice.appendChild(document.createTextNode(cfg.signedOut + " "));
      var link = document.createElement("a");
      link.href = cfg.loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
      link.textContent = cfg.signIn;
      notice.appendChild(link);
    } else {
      notice.textContent = cfg.connectionLost.replace("{time}", hhmm(lastAnswer));
    }
    notice.setAttribute("data-state", state);
    notice.hidden = false;
  }

  function clear(state) {
    if (notice.getAttribute("data-state") !== state) { return; }
    notice.hidden = true;
    notice.setAttribute("data-state", "");
    notice.textContent = "";
  }

  // -- connection -----------------------------------------------------------------------------------------
  function probe() {
    probeTimer = null;
    fetch(cfg.probeUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (r.status < 500) { back(); } else { lost("network"); } })
      .catch(function () { lost("network"); });
  }

  // network: nothing answered, so a probe of a static file tells when the server is back; server: it answered
  // 502-504 (database or upstream down), so only a real request that succeeds again clears the notice.
  function lost(how) {
    if (notice.getAttribute("data-state") !== "signed-out") { show("lost"); }
    if (how !== "server" && !probeTimer) { probeTimer = window.setTimeout(probe, PROBE_MS); }
  }

  function back() {
    clear("lost");
    if (probeTimer) { window.clearTimeout(probeTimer); probeTimer = null; }
  }

  window.addEventListener("offline", function () { lost("network"); });
  window.addEventListener("online", probe);

  // -- htmx -----------------------------------------------------------------------------------------------
  function isSignInPage(xhr) {
    if (xhr.status === 401) { return true; }
    try {
      return new URL(xhr.responseURL, location.href).pathname === cfg.loginUrl;
    } catch (e) {
      return false;
    }
  }

  // A "[...]" filter in hx-trigger cannot run under the CSP; strip it before htmx parses the trigger, or htmx
  // logs htmx:evalDisallowedError for every polled panel at every swap. The board's filter
  // ("[!window.JedelBoard || JedelBoard.due(this)]") is applied by the htmx:confirm handler below instead.
  document.addEventListener("htmx:beforeProcessNode", function (e) {
    var elt = e.target;
    var trigger = elt && elt.getAttribute && elt.getAttribute("hx-trigger");
    if (trigger && trigger.indexOf("[") >= 0) { elt.setAttribute("hx-trigger", trigger.replace(/\s*\[[^\]]*\]/g, "")); }
  });

  document.addEventListener("htmx:confirm", function (e) {
    var elt = e.detail.elt;
    var trigger = (elt && elt.getAttribute && elt.getAttribute("hx-trigger")) || "";
    if (window.JedelBoard && /^\s*every\s/.test(trigger) && !window.JedelBoard.due(elt)) { e.preventDefault(); }
  });

  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (isSignInPage(xhr)) {
      e.detail.shouldSwap = false;
      e.detail.isError = false;
      show("signed-out");
    }
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var xhr = e.detail.xhr;
    if (!xhr || !xhr.status || xhr.status >= 500) { return; }
    back();
    if (!isSignInPage(xhr)) {
      lastAnswer = new Date();
      clear("signed-out");
    }
  });

  document.addEventListener("htmx:sendError", function () { lost("network"); });
  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr && e.detail.xhr.status;
    if (status === 502 || status === 503 || status === 504) { lost("server"); }
  });
})();
