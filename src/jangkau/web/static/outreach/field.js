// Field app: today's work from the server (or the copy kept on the phone), visits and enrolments queued in
// IndexedDB with an idempotency key each, synced when a connection is there; every queued record shows its state,
// and a rejected or conflicting one can be opened, corrected and sent again under the same key (never twice).
// Every text comes from the catalog of the page's language (the JSON block #field-texts of field.html).
(function () {
  "use strict";
  var DB_NAME = "jangkau-field";
  var db = null;
  var syncing = false;
  var TEXTS = {};
  var DISTRICTS = [];

  function t(name, values) {
    var out = TEXTS[name] || name;
    Object.keys(values || {}).forEach(function (k) { out = out.split("{" + k + "}").join(String(values[k])); });
    return out;
  }

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
    $("work-source").textContent = fromPhone ? t("source_phone") : t("source_server");
    $("work-source").dataset.source = fromPhone ? "phone" : "server";
    (data.items || []).forEach(function (p) {
      var item = document.createElement("li");
      item.dataset.prospect = p.id;
      var who = document.createElement("div");
      who.appendChild(text("span", p.full_name, "who"));
      var where = p.village + (p.rt ? " · RT " + p.rt : "") + (p.address ? " · " + p.address : "");
      who.appendChild(text("span", where, "where"));
      item.appendChild(who);
      item.appendChild(text("span", TEXTS["reason_" + p.reason] || p.reason, "badge " + p.reason));
      var button = text("button", t("visit_button"), "small");
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
    if (!(data.items || []).length) { list.appendChild(text("li", t("no_prospects"), "muted")); }
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
        item.appendChild(text("span", TEXTS["state_" + record.state] || record.state, "badge state-" + record.state));
        if (record.state === "error" || record.state === "conflict") {
          var fix = text("button", t("correct"), "small correct");
          fix.type = "button";
          fix.addEventListener("click", function () { openForCorrection(record); });
          item.appendChild(fix);
        }
        list.appendChild(item);
      });
      $("queue-count").textContent = String(items.filter(function (r) { return r.state === "pending"; }).length);
    });
  }

  // A new record gets a new key; a corrected one keeps its key (the server stored nothing for a refusal, so the
  // key sends it once; a retry after a lost answer replays the first answer instead of registering twice).
  function enqueue(kind, label, payload, key) {
    var editing = Boolean(key);
    key = key || newKey();
    if (kind === "visit") { payload.client_key = key; }
    var saved = editing ? load("queue", key) : Promise.resolve(null);
    return saved.then(function (old) {
      return save("queue", { key: key, kind: kind, label: label, payload: payload, state: "pending", message: "",
                             created: old ? old.created : Date.now(), corrected: editing });
    }).then(renderQueue).then(syncAll);
  }

  function openForCorrection(record) {
    var form = record.kind === "visit" ? $("visit-form") : $("enrol-form");
    var note = record.kind === "visit" ? $("v-correcting") : $("e-correcting");
    form.reset();
    var values = record.kind === "visit" ? record.payload : record.payload.person;
    Object.keys(values).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.type !== "checkbox") { field.value = values[name]; }
    });
    if (record.kind === "enrolment") {
      form.elements.namedItem("declared_income").value = String(record.payload.declared_income);
      form.elements.namedItem("jht").checked = record.payload.programs.indexOf("jht") >= 0;
      checkNik();
    }
    form.dataset.editing = record.key;
    note.textContent = t("correcting", { label: record.label }) + (record.message ? " — " + record.message : "");
    note.hidden = false;
    form.scrollIntoView();
    var first = form.querySelector("input, select");
    if (first) { first.focus(); }
  }

  function doneEditing(form) {
    var key = form.dataset.editing || null;
    delete form.dataset.editing;
    var note = form.id === "visit-form" ? $("v-correcting") : $("e-correcting");
    note.hidden = true;
    note.textContent = "";
    return key;
  }

  function settle(record, state, message) {
    record.state = state;
    record.message = message || "";
    return save("queue", record);
  }

  function errorMessage(body, fallback) {
    var error = body && (body.error || body);
    if (!error || !(error.message || error.message_id)) { return fallback; }
    var english = document.documentElement.lang === "en";
    return english ? (error.message || error.message_id) : (error.message_id || error.message);
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
        return settle(record, "synced", t("enrolled", { id: answer.body.membership.id }));
      }
      if (answer.status === 409) { return settle(record, "conflict", errorMessage(answer.body, t("state_conflict"))); }
      if (answer.status === 422 || answer.status === 403) {
        return settle(record, "error", errorMessage(answer.body, t("state_error")));
      }
      if (answer.status === 401) { return settle(record, "pending", t("session_ended")); }
      return settle(record, "pending", t("server_busy", { status: answer.status }));
    });
  }

  function syncVisits(records) {
    if (!records.length) { return Promise.resolve(); }
    var payload = { records: records.map(function (r) { return r.payload; }) };
    return postJson("/api/v1/outreach/visits/sync", payload).then(function (answer) {
      if (answer.status === 401) {
        return Promise.all(records.map(function (r) { return settle(r, "pending", t("session_ended")); }));
      }
      if (answer.status !== 200) {
        var message = errorMessage(answer.body, t("server_busy", { status: answer.status }));
        return Promise.all(records.map(function (r) { return settle(r, "pending", message); }));
      }
      var byKey = {};
      answer.body.results.forEach(function (result) { byKey[result.client_key] = result; });
      return Promise.all(records.map(function (record) {
        var result = byKey[record.key];
        if (!result) { return settle(record, "pending", ""); }
        if (result.status === "error") { return settle(record, "error", errorMessage(result, t("state_error"))); }
        return settle(record, "synced", t("visit_recorded", { id: result.visit_id }));
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
    var label = t("visit_label", { name: name, outcome: TEXTS["outcome_" + values.outcome] || values.outcome });
    enqueue("visit", label, payload, doneEditing(event.target));
    $("v-note").value = "";
  }

  function onEnrol(event) {
    event.preventDefault();
    var verdict = checkNik(true);
    if (!verdict.valid) {
      $("e-nik").focus();
      return;
    }
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
    var label = t("enrolment_label", { name: person.full_name || "", nik: person.nik || "" });
    enqueue("enrolment", label, payload, doneEditing(event.target));
    event.target.reset();
    showNikStatus(null);
  }

  // --- the NIK, checked on the phone (nik.js: the rules of the server) and, with a signal, by the server ---------

  var lastAsked = "";

  function showNikStatus(lines) {
    var box = $("e-nik-status");
    box.textContent = "";
    (lines || []).forEach(function (line) {
      box.appendChild(text("span", line[1], line[0]));
    });
    $("e-nik").setAttribute("aria-invalid", (lines || []).some(function (l) { return l[0] === "field-error"; }));
  }

  function nikLines(verdict) {
    var lines = verdict.errors.map(function (e) { return ["field-error", t("nik_" + e.code, e)]; });
    verdict.warnings.forEach(function (w) {
      var value = w.code === "sex_differs" ? t("sex_" + w.value) : w.value;
      if (w.code === "birth_date_differs") { value = formatDate(w.value); }
      lines.push(["warn", t("nik_" + w.code, { value: value })]);
    });
    return lines;
  }

  function formatDate(isoDate) {
    var parts = isoDate.split("-");
    var date = new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2])));
    var locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    return date.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  // force: show the verdict even while the NIK is still being typed (the form is being saved)
  function checkNik(force) {
    var nik = $("e-nik").value;
    var verdict = window.JangkauNik.check(nik, {
      birthDate: $("e-birth").value || null, sex: $("e-sex").value || null, districts: DISTRICTS
    });
    var typed = nik.replace(/[\s.\-]/g, "");
    if (!typed && force !== true) { showNikStatus(null); return verdict; }
    if (typed.length < 16 && force !== true && document.activeElement === $("e-nik")) {
      showNikStatus(null);
      return verdict;
    }
    var lines = nikLines(verdict);
    if (verdict.valid && !verdict.warnings.length) { lines.push(["ok", t("nik_ok")]); }
    showNikStatus(lines);
    document.body.dataset.nikCheck = verdict.valid ? (verdict.warnings.length ? "warning" : "ok") : "error";
    if (verdict.valid && navigator.onLine && typed !== lastAsked) { askServer(typed, verdict); }
    return verdict;
  }

  // with a signal: the server's answer (its decoded birth date and sex, the region tree, whether it is registered)
  function askServer(nik, local) {
    lastAsked = nik;
    postJson("/enrol/check-nik", { nik: nik }).then(function (answer) {
      if (answer.status !== 200 || $("e-nik").value.replace(/[\s.\-]/g, "") !== nik) { return; }
      var body = answer.body;
      var verdict = { errors: [], warnings: local.warnings.slice() };
      var birth = $("e-birth").value, sex = $("e-sex").value;
      verdict.warnings = verdict.warnings.filter(function (w) { return w.code === "district_elsewhere"; });
      if (body.birth_date && birth && birth !== body.birth_date) {
        verdict.warnings.push({ code: "birth_date_differs", value: body.birth_date });
      }
      if (body.sex && sex && sex !== body.sex) { verdict.warnings.push({ code: "sex_differs", value: body.sex }); }
      var lines = nikLines(verdict);
      if (body.exists && body.elsewhere) { lines.push(["warn", t("nik_registered_elsewhere")]); }
      else if (body.exists) { lines.push(["warn", t("nik_registered", { name: body.full_name || "" })]); }
      else if (!lines.length) { lines.push(["ok", t("nik_ok")]); }
      showNikStatus(lines);
      document.body.dataset.nikServer = body.exists ? "registered" : "checked";
    }).catch(function () { /* no signal after all: the phone's check stands */ });
  }

  function showNetwork() {
    var badge = $("net");
    badge.textContent = navigator.onLine ? t("online") : t("offline");
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

  function readJson(id, fallback) {
    var node = $(id);
    try { return node ? JSON.parse(node.textContent) : fallback; } catch (e) { return fallback; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    TEXTS = readJson("field-texts", {});
    DISTRICTS = readJson("field-districts", []);
    registerWorker();
    showNetwork();
    window.addEventListener("online", function () { showNetwork(); syncAll(); });
    window.addEventListener("offline", showNetwork);
    $("visit-form").addEventListener("submit", onVisit);
    $("enrol-form").addEventListener("submit", onEnrol);
    $("sync-now").addEventListener("click", syncAll);
    ["input", "change"].forEach(function (kind) {
      $("e-nik").addEventListener(kind, checkNik);
      $("e-birth").addEventListener(kind, checkNik);
      $("e-sex").addEventListener(kind, checkNik);
    });
    $("e-nik").addEventListener("blur", checkNik);
    openDb().then(function (opened) {
      db = opened;
      document.body.dataset.db = "open";
      return Promise.all([loadWork(), renderQueue()]);
    }).then(syncAll);
  });
})();
