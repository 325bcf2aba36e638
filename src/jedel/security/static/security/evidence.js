/* Fills the evidence form's SHA-256 from the chosen file where the browser can hash (a secure context); the
 * server computes it again and refuses the upload if the two differ. */
(function () {
  "use strict";
  var form = document.getElementById("evidence-form");
  if (!form || !window.crypto || !window.crypto.subtle) { return; }
  var file = form.querySelector("input[type=file]");
  var hash = form.querySelector("input[name=sha256]");
  file.addEventListener("change", function () {
    if (!file.files.length) { return; }
    file.files[0].arrayBuffer().then(function (buf) { return window.crypto.subtle.digest("SHA-256", buf); })
      .then(function (digest) {
        hash.value = Array.prototype.map.call(new Uint8Array(digest), function (b) {
          return ("0" + b.toString(16)).slice(-2);
        }).join("");
      });
  });
}());
