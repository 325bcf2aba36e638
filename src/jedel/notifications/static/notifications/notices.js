/* Live notice pages: the inbox refreshes when a notice reaches this person; a notice's page when it changes.
 * Elements: [data-notices-live] with data-seq (stream head read before the page's state) and
 * data-refresh-url (the htmx partial); the inbox sets data-stream="inbox" (the person's own stream: its seq is
 * theirs); the notice page follows "notices" and adds data-notice (its id) to ignore other notices. */
(function () {
  "use strict";
  var el = document.querySelector("[data-notices-live]");
  if (!el || !window.JedelRealtime || !window.htmx) { return; }
  var noticeId = el.dataset.notice ? Number(el.dataset.notice) : null;
  var pending = null;

  function refresh() {
    if (pending) { return; }
    pending = setTimeout(function () {  // several events in a burst: one reload
      pending = null;
      window.htmx.ajax("GET", el.dataset.refreshUrl, {target: el, swap: "innerHTML"});
    }, 150);
  }

  window.JedelRealtime.subscribe(el.dataset.stream || "notices", {
    after: Number(el.dataset.seq || 0),
    onEvent: function (ev) {
      if (noticeId === null ? ev.kind === "notice.received" : ev.data.notice === noticeId) { refresh(); }
    },
    onReset: refresh
  });
}());
