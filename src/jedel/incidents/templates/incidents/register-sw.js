// The service worker of one incident's casualty registration page (its scope is that page alone). Network first:
// every answer that succeeds is kept, and when the network fails the last kept copy of the page, its findings
// partials and its static files are answered instead, so a scene tablet can reload the page with no connection.
// Everything else (the API, posts) goes to the network untouched. The page (incidents/offline_queue.js) also fills
// this cache on its first visit, before the worker controls it.
"use strict";
var CACHE = "jedel-register:" + new URL(self.registration.scope).pathname;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function keep(request, response) {
  if (response.ok && response.type === "basic" && !response.redirected) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  // Probes of the connection (cache: "no-store", common/site.js and the queue) must reach the network.
  if (request.method !== "GET" || request.cache === "no-store" || url.origin !== self.location.origin
      || url.pathname.indexOf("/api/") === 0) {
    return;
  }
  event.respondWith(fetch(request).then(function (response) { return keep(request, response); }, function (error) {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreVary: true });
    }).then(function (found) {
      if (found) { return found; }
      throw error;
    });
  }));
});
