// The target's drawing: each place (a full dot for today, a dashed ring for the ideal)
// is dragged to another ring, or out of the target; the drop posts the same form as
// the page's "Placer" section (the ring under the pointer and the angle around the
// centre), then the drawing, the gaps and the forms are read again from the page the
// server answers. Without JavaScript, or from the keyboard, that form does the same.
// The drawing also downloads as PNG (the SVG file is the gateway's own).
// Listeners sit on the document, so that the parts a move replaces need none.
(function () {
  "use strict";
  var dragged = null;

  function say(message) {
    var status = document.getElementById("target-status");
    if (status) {
      status.textContent = message;
    }
  }

  function frame() {
    return document.querySelector(".target-frame");
  }

  // What the page says, in the reader's language: the frame's data-said-* attributes.
  function words(name) {
    var shown = frame();
    return (shown && shown.dataset["said" + name]) || "";
  }

  function drawing() {
    return document.getElementById("target-drawing");
  }

  // The pointer's position in the drawing's coordinates (its centre is 0, 0).
  function inDrawing(event) {
    var svg = drawing();
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  // The ring under a point ("" outside the target) and its angle in degrees.
  function placeAt(point) {
    var svg = drawing();
    var radius = Number(svg.dataset.radius);
    var rings = Number(svg.dataset.rings);
    var distance = Math.sqrt(point.x * point.x + point.y * point.y);
    var ring = Math.floor(distance / (radius / rings));
    var angle = Math.atan2(point.y, point.x) * 180 / Math.PI;
    return { ring: ring >= rings ? "" : String(ring), angle: ((angle % 360) + 360) % 360 };
  }

  document.addEventListener("pointerdown", function (event) {
    var marker = event.target.closest ? event.target.closest(".target-frame circle.place") : null;
    if (!marker || frame().dataset.editable !== "true") {
      return;
    }
    event.preventDefault();
    dragged = marker;
    marker.classList.add("dragging");
  });

  document.addEventListener("pointermove", function (event) {
    if (dragged) {
      var point = inDrawing(event);
      dragged.setAttribute("cx", point.x.toFixed(1));
      dragged.setAttribute("cy", point.y.toFixed(1));
    }
  });

  document.addEventListener("pointerup", function (event) {
    if (!dragged) {
      return;
    }
    var marker = dragged;
    dragged = null;
    marker.classList.remove("dragging");
    var place = placeAt(inDrawing(event));
    var form = new URLSearchParams();
    form.set(marker.dataset.place === "ideal" ? "ideal_ring" : "today_ring", place.ring);
    form.set("angle", place.angle.toFixed(1));
    form.set("version", marker.dataset.version);
    say("Enregistrement…");
    fetch(frame().dataset.action + marker.dataset.stakeholder, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString()
    }).then(function (response) {
      return response.text().then(function (html) { return { ok: response.ok, html: html }; });
    }).then(function (answer) {
      var page = new DOMParser().parseFromString(answer.html, "text/html");
      if (!answer.ok) {
        var refusal = page.querySelector("main h1");
        reload(words("Refused") + " " + (refusal ? refusal.textContent.trim() : "") + ".");
        return;
      }
      ["target-view", "placer-section"].forEach(function (id) {
        var fresh = page.getElementById(id);
        var current = document.getElementById(id);
        if (fresh && current) {
          current.replaceWith(document.importNode(fresh, true));
        }
      });
      showExport();
      say(words("Saved"));
    }).catch(function () {
      reload(words("Offline"));
    });
  });

  function reload(message) {
    say(message + " " + words("Reloading"));
    window.setTimeout(function () { window.location.reload(); }, 1500);
  }

  // The drawing as a PNG image, twice its size, on a white ground.
  function png() {
    var svg = drawing();
    var box = svg.viewBox.baseVal;
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = box.width * 2;
      canvas.height = box.height * 2;
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      var link = document.createElement("a");
      link.download = "cible.png";
      link.href = canvas.toDataURL("image/png");
      document.body.appendChild(link);
      link.click();
      link.remove();
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  }

  document.addEventListener("click", function (event) {
    if (event.target.id === "export-png") {
      png();
    }
  });

  function showExport() {
    var button = document.getElementById("export-png");
    if (button) {
      button.hidden = false;
    }
  }

  showExport();
  window.maillageTarget = { placeAt: placeAt };
})();
