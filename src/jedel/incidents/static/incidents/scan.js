// The scan page: read a triage tag's QR code with the phone camera (BarcodeDetector), put the tag into the form
// and send it. Browsers without BarcodeDetector or a camera keep the form for typing the tag (the fallback).
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  var start = document.getElementById("scan-start");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  if (!form || !start || !video || !status) return;
  var input = form.querySelector("input[name=tag]");
  var TAG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
  var usable = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;

  function say(text) { status.textContent = text || ""; }

  if (!usable) { say(form.dataset.noCamera); return; }
  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0) { say(form.dataset.noCamera); return; }
    start.hidden = false;
  }, function () { say(form.dataset.noCamera); });

  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var stream = null;
    function stop() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      video.hidden = true;
    }
    function look() {
      detector.detect(video).then(function (codes) {
        for (var i = 0; i < codes.length; i++) {
          var tag = String(codes[i].rawValue || "").trim();
          if (TAG.test(tag)) {
            stop();
            input.value = tag;
            form.requestSubmit ? form.requestSubmit() : form.submit();
            return;
          }
        }
        window.setTimeout(look, 150);
      }, function () { window.setTimeout(look, 300); });
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      start.hidden = true;
      say(form.dataset.looking);
      return video.play().then(look);
    }).catch(function () { stop(); say(form.dataset.cameraDenied); input.focus(); });
  });
})();
