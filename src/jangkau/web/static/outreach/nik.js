// The NIK rules of jangkau.registry.nik.check_nik, in the browser, so that the field app checks a NIK without a
// connection. Keep the two in step: tests/e2e/test_day_field_agent.py runs one table of cases through both.
// Structure PP KK CC DD MM YY SSSS: province, regency/city, district of first registration, birth day (+40 for
// women), month, two-digit year, serial from 0001. A mismatch with a stated birth date or sex is a warning only,
// and so is a district outside the list given (a worker may have moved since the NIK was issued).
(function (root) {
  "use strict";
  var PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
    "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92",
    "93", "94", "95", "96"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(year, month, day) { return year + "-" + pad(month) + "-" + pad(day); }

  // options: birthDate "YYYY-MM-DD", sex "L"/"P", districts [codes "PP.KK.CC"] or null, today "YYYY-MM-DD"
  function check(text, options) {
    options = options || {};
    var nik = String(text || "").replace(/[\s.\-]/g, "");
    var result = { nik: nik, valid: false, errors: [], warnings: [], sex: null, birth_date: null, district_code: null };
    if (!/^\d{16}$/.test(nik)) {
      result.errors.push({ code: "length" });
      return result;
    }
    var pp = nik.slice(0, 2), kk = nik.slice(2, 4), cc = nik.slice(4, 6), serial = nik.slice(12);
    var dd = Number(nik.slice(6, 8)), mm = Number(nik.slice(8, 10)), yy = Number(nik.slice(10, 12));
    result.district_code = pp + "." + kk + "." + cc;
    if (PROVINCES.indexOf(pp) < 0) { result.errors.push({ code: "province", value: pp }); }
    if (kk === "00" || kk === "70") { result.errors.push({ code: "regency", value: kk }); }
    if (cc === "00") { result.errors.push({ code: "district", value: cc }); }
    if (serial === "0000") { result.errors.push({ code: "serial" }); }
    result.sex = dd > 40 ? "P" : "L";
    var day = dd > 40 ? dd - 40 : dd;
    var today = options.today || (function () {
      var now = new Date();
      return iso(now.getFullYear(), now.getMonth() + 1, now.getDate());
    })();
    var thisYear = Number(today.slice(0, 4));
    var year = 2000 + yy <= thisYear ? 2000 + yy : 1900 + yy;
    var date = new Date(Date.UTC(year, mm - 1, day));
    if (mm < 1 || mm > 12 || day < 1 || date.getUTCMonth() !== mm - 1 || date.getUTCDate() !== day) {
      result.errors.push({ code: "date", value: nik.slice(6, 12) });
    } else {
      result.birth_date = iso(year, mm, day);
      if (result.birth_date > today) { result.errors.push({ code: "future" }); }
    }
    if (!result.errors.length && options.districts && options.districts.indexOf(result.district_code) < 0) {
      result.warnings.push({ code: "district_elsewhere", value: result.district_code });
    }
    if (result.birth_date && options.birthDate && options.birthDate !== result.birth_date) {
      result.warnings.push({ code: "birth_date_differs", value: result.birth_date });
    }
    if (result.sex && options.sex && options.sex !== result.sex) {
      result.warnings.push({ code: "sex_differs", value: result.sex });
    }
    result.valid = !result.errors.length;
    return result;
  }

  root.JangkauNik = { check: check };
})(window);
