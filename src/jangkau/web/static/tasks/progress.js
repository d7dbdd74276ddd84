// A task's progress on the page that queued it: every element [data-task-progress] follows its task
// (GET /api/v1/tasks/{id}) without reloading; the page can be left and opened again at any time.
(function () {
  "use strict";
  var ACTIVE = { queued: true, running: true, retrying: true };

  function part(box, name) { return box.querySelector("[data-part='" + name + "']"); }

  function show(box, task) {
    box.dataset.status = task.status;
    var bar = part(box, "bar");
    if (task.total) {
      bar.max = task.total;
      bar.value = task.done || 0;
    } else if (task.status === "done") {
      bar.max = 1;
      bar.value = 1;
    }
    part(box, "status").textContent = task.status;
    part(box, "count").textContent = task.total ? (task.done || 0) + "/" + task.total : "";
    part(box, "error").textContent = task.error || "";
    var done = document.querySelector("[data-task-done='" + box.dataset.taskProgress + "']");
    if (done && task.status === "done" && task.result && task.result.list_id) {
      done.href = "/linkage/lists/" + task.result.list_id;
      done.hidden = false;
    }
  }

  function poll(box) {
    fetch("/api/v1/tasks/" + box.dataset.taskProgress,
          { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (task) {
        if (!task) { return; }
        show(box, task);
        if (ACTIVE[task.status]) { setTimeout(function () { poll(box); }, 1000); }
      })
      .catch(function () { setTimeout(function () { poll(box); }, 5000); });
  }

  document.querySelectorAll("[data-task-progress]").forEach(function (box) {
    if (ACTIVE[box.dataset.status]) { poll(box); }
  });
})();
