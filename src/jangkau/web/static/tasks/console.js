// The task console: rows still queued or running follow their task without reloading the page.
(function () {
  "use strict";
  var ACTIVE = { queued: true, running: true, retrying: true };

  function cell(row, index) { return row.children[index]; }

  function show(row, task) {
    row.dataset.status = task.status;
    cell(row, 3).textContent = task.status;
    var progress = cell(row, 4);
    progress.textContent = "";
    if (task.total) {
      var bar = document.createElement("progress");
      bar.max = task.total;
      bar.value = task.done || 0;
      progress.appendChild(bar);
      progress.appendChild(document.createTextNode(" " + (task.done || 0) + "/" + task.total));
    }
    if (task.started_at) { cell(row, 5).textContent = task.started_at.replace("T", " ").slice(0, 19); }
    if (task.duration_seconds !== null) { cell(row, 6).textContent = task.duration_seconds.toFixed(1) + " s"; }
    cell(row, 8).textContent = task.attempts;
    cell(row, 9).textContent = task.error || "";
  }

  function poll(row) {
    fetch("/api/v1/tasks/" + row.dataset.task, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (task) {
        if (!task) { return; }
        show(row, task);
        if (ACTIVE[task.status]) { setTimeout(function () { poll(row); }, 3000); }
      })
      .catch(function () { setTimeout(function () { poll(row); }, 10000); });
  }

  document.querySelectorAll("#tasks tr[data-task]").forEach(function (row) {
    if (ACTIVE[row.dataset.status]) { setTimeout(function () { poll(row); }, 3000); }
  });
})();
