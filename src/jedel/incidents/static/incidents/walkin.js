// The walk-in page: a second tap on a form already being sent is ignored, so a double tap at the door does not
// register (or count) one person twice. The button is not disabled, or the browser would drop its value.
(function () {
  "use strict";
  document.querySelectorAll("form[data-walkin-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      form.classList.add("sending");
    });
  });
  // Back from the page cache (bfcache): the forms may be used again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-walkin-form]").forEach(function (form) {
      form.dataset.sending = "";
      form.classList.remove("sending");
    });
  });
})();
