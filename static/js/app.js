// Evidence uploads on the dossier page: a file dropped on a criterion's zone is sent at once;
// while it travels, a progress bar fills and the button stays disabled (hx-disabled-elt).
(function () {
  "use strict";

  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = event.target.querySelector && event.target.querySelector(".upload-progress");
    if (!bar || !event.detail.lengthComputable || !event.detail.total) return;
    bar.hidden = false;
    bar.value = Math.round((100 * event.detail.loaded) / event.detail.total);
  });

  function zoneOf(event) {
    return event.target.closest && event.target.closest("[data-dropzone]");
  }

  ["dragenter", "dragover"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var zone = zoneOf(event);
      if (!zone) return;
      event.preventDefault();
      zone.classList.add("dropzone-over");
    });
  });

  document.addEventListener("dragleave", function (event) {
    var zone = zoneOf(event);
    if (zone) zone.classList.remove("dropzone-over");
  });

  document.addEventListener("drop", function (event) {
    var zone = zoneOf(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("dropzone-over");
    var input = zone.querySelector("input[type=file]");
    if (!input || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    zone.closest("form").requestSubmit();
  });
})();

// The dossier workspace: dialogs for the actions, answers saved as one types, and a warning
// before leaving with text not saved yet.
(function () {
  "use strict";

  // Without this class (no script), the action dialogs show in place, open (workspace.css).
  document.documentElement.classList.add("js");

  function enhanceDialogs(root) {
    root.querySelectorAll("[data-opens]").forEach(function (button) {
      var dialog = document.getElementById(button.getAttribute("data-opens"));
      if (!dialog || typeof dialog.showModal !== "function") return; // stays in place, open
      button.hidden = false;
      dialog.querySelectorAll("[data-closes]").forEach(function (close) { close.hidden = false; });
      // A form refused by the server (shown again with its errors) opens at once.
      if (dialog.hasAttribute("data-show") && !dialog.open) dialog.showModal();
    });
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-opens]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-opens"));
      if (dialog && !dialog.open) {
        dialog.showModal();
        var first = dialog.querySelector("textarea, input:not([type=hidden]), select, button[type=submit]");
        if (first) first.focus();
      }
      return;
    }
    var closer = event.target.closest && event.target.closest("[data-closes]");
    if (closer) closer.closest("dialog").close();
  });

  // Answers: saved a second after typing stops (hx-trigger); the status says where it stands.
  function statusOf(form) {
    return form.querySelector(".save-status");
  }

  function say(form, key) {
    var status = statusOf(form);
    if (status) status.textContent = form.getAttribute("data-" + key) || "";
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (!form) return;
    form.edits = (form.edits || 0) + 1;
    if (!form.hasAttribute("data-dirty")) {
      form.setAttribute("data-dirty", "");
      say(form, "unsaved");
    }
  });

  function autosaveForm(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.matches && elt.matches("form[data-autosave]") ? elt : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event);
    if (!form) return;
    form.sent = form.edits || 0;
    say(form, "saving");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event);
    if (!form) return;
    if (!event.detail.successful) {
      if (!event.detail.xhr || !event.detail.xhr.status) say(form, "offline");
      return; // still dirty: the server said why (its answer is shown), or could not be reached
    }
    if ((form.edits || 0) === form.sent) form.removeAttribute("data-dirty");
  });

  window.addEventListener("beforeunload", function (event) {
    if (!document.querySelector("form[data-autosave][data-dirty]")) return;
    event.preventDefault();
    event.returnValue = ""; // the browser shows its own "leave the page?" question
  });

  // A refresh sent out of band must not close a dialog someone is filling in: that panel
  // is left as it is (the next change or the dialog's own submit brings it up to date).
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.querySelector && target.querySelector("dialog[open]")) {
      event.detail.shouldSwap = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    enhanceDialogs(event.detail.elt && event.detail.elt.querySelectorAll ? event.detail.elt : document);
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target) enhanceDialogs(event.detail.target);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceDialogs(document); });
  } else {
    enhanceDialogs(document);
  }
})();
