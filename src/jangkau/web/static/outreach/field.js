// Field app: today's work from the server (or the copy kept on the phone), visits and enrolments queued in
// IndexedDB with an idempotency key each, synced when a connection is there; every queued record shows its state.
(function () {
  "use strict";
  var DB_NAME = "jangkau-field";
  var db = null;
  var syncing = false;
  var STATE_TEXT = {
    pending: "Menunggu sinkronisasi",
    synced: "Terkirim",
    conflict: "Konflik",
    error: "Ditolak"
  };
  var OUTCOME_TEXT = {
    not_home: "Tidak di rumah", refused: "Menolak", interested: "Tertarik", registered: "Mendaftar", paid: "Sudah bayar"
  };
  var REASON_TEXT = { follow_up_due: "Tindak lanjut", nearby: "Dekat", open: "Belum dikunjungi" };

  function $(id) { return document.getElementById(id); }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var d = request.result;
        if (!d.objectStoreNames.contains("queue")) { d.createObjectStore("queue", { keyPath: "key" }); }
        if (!d.objectStoreNames.contains("cache")) { d.createObjectStore("cache", { keyPath: "name" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(name, mode, action) {
    return new Promise(function (resolve, reject) {
      var transaction = db.transaction(name, mode);
      var request = action(transaction.objectStore(name));
      transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
      transaction.onerror = function () { reject(transaction.error); };
    });
  }

  function queued() { return withStore("queue", "readonly", function (s) { return s.getAll(); }); }
  function save(name, value) { return withStore(name, "readwrite", function (s) { return s.put(value); }); }
  function load(name, key) { return withStore(name, "readonly", function (s) { return s.get(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  // --- today's work ----------------------------------------------------------------------------------------

  function showWork(data, fromPhone) {
    var list = $("work");
    var select = $("v-prospect");
    list.textContent = "";
    select.textContent = "";
    $("work-source").textContent = fromPhone ? "Data tersimpan di HP (luring)" : "Data terbaru dari server";
    $("work-source").dataset.source = fromPhone ? "phone" : "server";
    (data.items || []).forEach(function (p) {
      var item = document.createElement("li");
      item.dataset.prospect = p.id;
      var who = document.createElement("div");
      who.appendChild(text("span", p.full_name, "who"));
      var where = p.village + (p.rt ? " · RT " + p.rt : "") + (p.address ? " · " + p.address : "");
      who.appendChild(text("span", where, "where"));
      item.appendChild(who);
      item.appendChild(text("span", REASON_TEXT[p.reason] || p.reason, "badge " + p.reason));
      var button = text("button", "Kunjungi", "small");
      button.type = "button";
      button.addEventListener("click", function () {
        select.value = String(p.id);
        $("v-outcome").focus();
      });
      item.appendChild(button);
      list.appendChild(item);
      var option = text("option", p.full_name + " (" + p.village + (p.rt ? " RT " + p.rt : "") + ")");
      option.value = p.id;
      select.appendChild(option);
    });
    if (!(data.items || []).length) { list.appendChild(text("li", "Tidak ada calon peserta.", "muted")); }
  }

  function loadWork() {
    return fetch("/api/v1/outreach/today", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (data) {
        save("cache", { name: "today", data: data });
        showWork(data, !navigator.onLine);
      })
      .catch(function () {
        return load("cache", "today").then(function (kept) { showWork(kept ? kept.data : { items: [] }, true); });
      });
  }

  // --- the queue -------------------------------------------------------------------------------------------

  function renderQueue() {
    return queued().then(function (items) {
      var list = $("queue");
      list.textContent = "";
      items.sort(function (a, b) { return b.created - a.created; });
      items.forEach(function (record) {
        var item = document.createElement("li");
        item.dataset.key = record.key;
        item.dataset.state = record.state;
        item.dataset.kind = record.kind;
        var body = document.createElement("div");
        body.appendChild(text("span", record.label, "who"));
        if (record.message) { body.appendChild(text("span", record.message, "msg")); }
        item.appendChild(body);
        item.appendChild(text("span", STATE_TEXT[record.state] || record.state, "badge state-" + record.state));
        list.appendChild(item);
      });
      $("queue-count").textContent = String(items.filter(function (r) { return r.state === "pending"; }).length);
    });
  }

  function enqueue(kind, label, payload) {
    var key = newKey();
    if (kind === "visit") { payload.client_key = key; }
    return save("queue", { key: key, kind: kind, label: label, payload: payload, state: "pending", message: "",
                           created: Date.now() })
      .then(renderQueue)
      .then(syncAll);
  }

  function settle(record, state, message) {
    record.state = state;
    record.message = message || "";
    return save("queue", record);
  }

  function errorMessage(body, fallback) {
    var error = body && body.error;
    return error ? (error.message_id || error.message) : fallback;
  }

  function postJson(url, payload, headers) {
    // X-Requested-With: the API refuses cookie-authenticated writes without it (CSRF protection)
    var all = { "Content-Type": "application/json", Accept: "application/json", "X-Requested-With": "jangkau" };
    Object.keys(headers || {}).forEach(function (k) { all[k] = headers[k]; });
    return fetch(url, { method: "POST", credentials: "same-origin", headers: all, body: JSON.stringify(payload) })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, body: body };
        });
      });
  }

  function syncEnrolment(record) {
    return postJson("/api/v1/enrolments", record.payload, { "Idempotency-Key": record.key }).then(function (answer) {
      if (answer.status === 201) {
        return settle(record, "synced", "Terdaftar, kepesertaan #" + answer.body.membership.id);
      }
      if (answer.status === 409) { return settle(record, "conflict", errorMessage(answer.body, "Konflik")); }
      if (answer.status === 422 || answer.status === 403) {
        return settle(record, "error", errorMessage(answer.body, "Ditolak"));
      }
      if (answer.status === 401) { return settle(record, "pending", "Sesi berakhir: masuk lagi untuk mengirim"); }
      return settle(record, "pending", "Server belum dapat menerima (" + answer.status + ")");
    });
  }

  function syncVisits(records) {
    if (!records.length) { return Promise.resolve(); }
    var payload = { records: records.map(function (r) { return r.payload; }) };
    return postJson("/api/v1/outreach/visits/sync", payload).then(function (answer) {
      if (answer.status === 401) {
        return Promise.all(records.map(function (r) { return settle(r, "pending", "Sesi berakhir: masuk lagi"); }));
      }
      if (answer.status !== 200) {
        var message = errorMessage(answer.body, "Server belum dapat menerima (" + answer.status + ")");
        return Promise.all(records.map(function (r) { return settle(r, "pending", message); }));
      }
      var byKey = {};
      answer.body.results.forEach(function (result) { byKey[result.client_key] = result; });
      return Promise.all(records.map(function (record) {
        var result = byKey[record.key];
        if (!result) { return settle(record, "pending", ""); }
        if (result.status === "error") { return settle(record, "error", errorMessage(result, "Ditolak")); }
        return settle(record, "synced", "Kunjungan #" + result.visit_id);
      }));
    });
  }

  function syncAll() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    document.body.dataset.sync = "running";
    return queued().then(function (items) {
      var pending = items.filter(function (r) { return r.state === "pending"; });
      var enrolments = pending.filter(function (r) { return r.kind === "enrolment"; });
      var visits = pending.filter(function (r) { return r.kind === "visit"; });
      // enrolments first, so that a visit "registered" finds the new membership
      return enrolments.reduce(function (chain, record) {
        return chain.then(function () { return syncEnrolment(record); });
      }, Promise.resolve()).then(function () { return syncVisits(visits); });
    }).catch(function () {
      // no connection: everything stays pending on the phone
    }).then(function () {
      syncing = false;
      document.body.dataset.sync = "idle";
      return renderQueue();
    }).then(function () {
      if (navigator.onLine) { return loadWork(); }
      return undefined;
    });
  }

  // --- forms -----------------------------------------------------------------------------------------------

  function formValues(form) {
    var out = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && value.trim() !== "") { out[name] = value.trim(); }
    });
    return out;
  }

  function onVisit(event) {
    event.preventDefault();
    var values = formValues(event.target);
    if (!values.prospect_id) { return; }
    var select = $("v-prospect");
    var name = select.options[select.selectedIndex] ? select.options[select.selectedIndex].textContent : "";
    var payload = {
      prospect_id: Number(values.prospect_id),
      visited_on: values.visited_on,
      outcome: values.outcome
    };
    if (values.follow_up_on) { payload.follow_up_on = values.follow_up_on; }
    if (values.note) { payload.note = values.note; }
    enqueue("visit", "Kunjungan: " + name + " · " + (OUTCOME_TEXT[values.outcome] || values.outcome), payload);
    $("v-note").value = "";
  }

  function onEnrol(event) {
    event.preventDefault();
    var values = formValues(event.target);
    var person = {};
    ["nik", "full_name", "birth_date", "sex", "village_code", "rt", "phone", "occupation"].forEach(function (k) {
      if (values[k]) { person[k] = values[k]; }
    });
    var payload = {
      person: person,
      programs: values.jht ? ["jkk", "jkm", "jht"] : ["jkk", "jkm"],
      declared_income: Number(values.declared_income || 1000000)
    };
    enqueue("enrolment", "Pendaftaran: " + (person.full_name || "") + " · NIK " + (person.nik || ""), payload);
    event.target.reset();
  }

  function showNetwork() {
    var badge = $("net");
    badge.textContent = navigator.onLine ? "Daring" : "Luring";
    badge.className = "badge " + (navigator.onLine ? "online" : "offline");
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) { document.body.dataset.sw = "unsupported"; return; }
    navigator.serviceWorker.addEventListener("controllerchange", function () { document.body.dataset.sw = "controlled"; });
    navigator.serviceWorker.register("/sw.js", { scope: "/field" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      document.body.dataset.sw = navigator.serviceWorker.controller ? "controlled" : "ready";
    }).catch(function () { document.body.dataset.sw = "failed"; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    registerWorker();
    showNetwork();
    window.addEventListener("online", function () { showNetwork(); syncAll(); });
    window.addEventListener("offline", showNetwork);
    $("visit-form").addEventListener("submit", onVisit);
    $("enrol-form").addEventListener("submit", onEnrol);
    $("sync-now").addEventListener("click", syncAll);
    openDb().then(function (opened) {
      db = opened;
      document.body.dataset.db = "open";
      return Promise.all([loadWork(), renderQueue()]);
    }).then(syncAll);
  });
})();
