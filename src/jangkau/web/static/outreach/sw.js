// Service worker of the field app (served at /sw.js, scope /field): keeps the app shell and the last prospect list
// so that the agent's pages open without a connection. Writes (visits, enrolments) never go through the cache:
// the page queues them in IndexedDB and syncs them itself.
"use strict";
var CACHE = "jangkau-field-v2";
var SHELL = [
  "/field",
  "/field/help",
  "/static/app.css",
  "/static/outreach/field.css",
  "/static/outreach/field.js",
  "/static/outreach/nik.js",
  "/static/outreach/icon.svg",
  "/field/manifest.webmanifest"
];
var CACHED = [/^\/field/, /^\/static\//, /^\/api\/v1\/outreach\/today$/];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (!CACHED.some(function (pattern) { return pattern.test(url.pathname); })) { return; }
  // network first, so that an agent online always sees the latest list; the cache when offline
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (cached) {
        if (cached) { return cached; }
        if (request.mode === "navigate") { return caches.match("/field"); }
        return new Response(JSON.stringify({ error: { code: "offline", message: "offline" } }),
          { status: 503, headers: { "Content-Type": "application/json" } });
      });
    })
  );
});
