// Enrolment form: check the NIK as soon as it is typed, and update the monthly contribution.
(function () {
  "use strict";
  var nik = document.getElementById("nik");
  var status = document.getElementById("nik-status");
  var income = document.getElementById("declared_income");
  var jht = document.getElementById("jht");
  var total = document.getElementById("quote-total");
  var lastChecked = "";

  function checkNik() {
    var value = nik.value.replace(/[\s.\-]/g, "");
    if (value.length !== 16 || value === lastChecked) { return; }
    lastChecked = value;
    fetch("/enrol/check-nik", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ nik: value })
    })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (!body.valid) {
          status.className = "field-error";
          status.textContent = "NIK tidak valid: " + body.errors.join("; ");
          return;
        }
        if (body.exists && body.elsewhere) {
          status.className = "warn";
          status.textContent = "NIK sudah terdaftar di wilayah lain.";
        } else if (body.exists) {
          var active = (body.memberships || []).filter(function (m) { return m.status === "active"; });
          status.className = active.length ? "ok" : "warn";
          status.textContent = "Sudah terdaftar: " + body.full_name +
            (active.length ? " (aktif: " + active.map(function (m) { return m.segment.toUpperCase(); }).join(", ") + ")"
                           : " (belum aktif)");
        } else if (body.register_checked) {
          status.className = "ok";
          status.textContent = "NIK valid, belum terdaftar.";
        } else {
          status.className = "ok";
          status.textContent = "NIK valid.";
        }
        var birth = document.getElementById("birth_date");
        var sex = document.getElementById("sex");
        if (birth && !birth.value && body.birth_date) { birth.value = body.birth_date; }
        if (sex && !sex.value && body.sex) { sex.value = body.sex; }
      })
      .catch(function () { status.textContent = ""; });
  }

  function updateQuote() {
    var programs = "jkk,jkm" + (jht && jht.checked ? ",jht" : "");
    var now = new Date();
    var month = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0");
    fetch("/api/v1/quotes/contribution?segment=bpu&month=" + month + "&income=" + income.value + "&programs=" + programs,
          { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body) { total.textContent = "Rp" + body.total.toLocaleString("id-ID"); }
      })
      .catch(function () { /* offline: keep the last figure */ });
  }

  if (nik) { nik.addEventListener("input", checkNik); nik.addEventListener("blur", checkNik); }
  if (income) { income.addEventListener("change", updateQuote); }
  if (jht) { jht.addEventListener("change", updateQuote); }
})();
