// The network page's drawing: the photograph the page shows (read again from the API,
// with the page's filters) drawn by Cytoscape.js with a force layout. A click on a
// node opens its record; the drawing downloads as PNG or SVG. Without JavaScript the
// page's list of ties says the same.
(function () {
  "use strict";
  var holder = document.getElementById("network-drawing");
  if (!holder || typeof window.cytoscape !== "function") {
    return;
  }
  var collections = { organisation: "organisations", person: "people", partnership: "partnerships", project: "projects" };
  var colours = { organisation: "#000091", person: "#18753c", partnership: "#b34000", project: "#6a6af4" };
  var shapes = { organisation: "ellipse", person: "ellipse", partnership: "rectangle", project: "diamond" };
  var relations = { partner_in: "#b34000", affiliated_to: "#18753c", works_on: "#6a6af4", funds: "#000091" };

  fetch(holder.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(draw)
    .catch(function () {
      holder.textContent = "Le dessin n'a pas pu être chargé ; la liste des liens ci-dessous est à jour.";
    });

  function draw(photograph) {
    var elements = photograph.nodes.map(function (node) {
      return { group: "nodes", data: { id: node.id, label: node.label, kind: node.kind, degree: node.degree } };
    }).concat(photograph.ties.map(function (tie, index) {
      return { group: "edges", data: { id: "tie-" + index, source: tie.source, target: tie.target, relation: tie.relation } };
    }));
    var cy = window.cytoscape({
      container: holder,
      elements: elements,
      wheelSensitivity: 0.3,
      // A small network is not blown up to fill the frame.
      maxZoom: 2,
      style: [
        {
          selector: "node",
          style: {
            "background-color": function (node) { return colours[node.data("kind")] || "#3a3a3a"; },
            shape: function (node) { return shapes[node.data("kind")] || "ellipse"; },
            width: function (node) { return 14 + Math.min(node.data("degree"), 20) * 2; },
            height: function (node) { return 14 + Math.min(node.data("degree"), 20) * 2; },
            label: "data(label)",
            "font-size": 11,
            "min-zoomed-font-size": 7,
            "text-valign": "bottom",
            "text-margin-y": 3,
            color: "#1e1e1e"
          }
        },
        {
          selector: "node[kind = 'person']",
          style: { label: "", width: 10, height: 10 }
        },
        {
          selector: "edge",
          style: {
            width: 1.5,
            "line-color": function (edge) { return relations[edge.data("relation")] || "#999999"; },
            opacity: 0.6,
            "curve-style": "haystack"
          }
        }
      ],
      layout: { name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 8000; }, idealEdgeLength: function () { return 60; }, numIter: 1000, padding: 30 }
    });
    cy.on("tap", "node", function (event) {
      var node = event.target;
      window.location.href = "/t/" + holder.dataset.slug + "/" + collections[node.data("kind")] + "/" + node.id();
    });
    holder.dataset.drawnNodes = String(cy.nodes().length);
    holder.dataset.drawnTies = String(cy.edges().length);
    var exports = document.querySelector(".exports");
    if (exports) {
      exports.hidden = false;
    }
    document.getElementById("export-png").addEventListener("click", function () {
      download("reseau.png", cy.png({ full: true, scale: 2, bg: "#ffffff" }));
    });
    document.getElementById("export-svg").addEventListener("click", function () {
      var blob = new Blob([svgOf(cy)], { type: "image/svg+xml" });
      var url = URL.createObjectURL(blob);
      download("reseau.svg", url);
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    });
    // For the browser tests: the drawing as SVG, and a node by its name.
    window.maillageNetwork = {
      svg: function () { return svgOf(cy); },
      node: function (label) { return cy.nodes().filter(function (n) { return n.data("label") === label; }); }
    };
  }

  function download(name, href) {
    var link = document.createElement("a");
    link.download = name;
    link.href = href;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // The drawing as SVG, from the positions the layout gave (the SVG extension of
  // Cytoscape.js is GPL-licensed; this is the little it would do here).
  function svgOf(cy) {
    var box = cy.elements().boundingBox();
    var margin = 40;
    var parts = [];
    cy.edges().forEach(function (edge) {
      var a = edge.source().position();
      var b = edge.target().position();
      parts.push('<line x1="' + num(a.x) + '" y1="' + num(a.y) + '" x2="' + num(b.x) + '" y2="' + num(b.y) +
        '" stroke="' + (relations[edge.data("relation")] || "#999999") + '" stroke-opacity="0.6" stroke-width="1.5"/>');
    });
    cy.nodes().forEach(function (node) {
      var p = node.position();
      var r = node.width() / 2;
      var fill = colours[node.data("kind")] || "#3a3a3a";
      if (node.data("kind") === "partnership") {
        parts.push('<rect x="' + num(p.x - r) + '" y="' + num(p.y - r) + '" width="' + num(2 * r) + '" height="' + num(2 * r) + '" fill="' + fill + '"/>');
      } else {
        parts.push('<circle cx="' + num(p.x) + '" cy="' + num(p.y) + '" r="' + num(r) + '" fill="' + fill + '"/>');
      }
      if (node.data("kind") !== "person") {
        parts.push('<text x="' + num(p.x) + '" y="' + num(p.y + r + 12) + '" font-family="sans-serif" font-size="11" text-anchor="middle">' +
          escapeXml(node.data("label")) + "</text>");
      }
    });
    return '<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + num(box.x1 - margin) + " " + num(box.y1 - margin) + " " +
      num(box.w + 2 * margin) + " " + num(box.h + 2 * margin) + '">' + "<title>Réseau</title>" + parts.join("") + "</svg>";
  }

  function num(value) {
    return String(Math.round(value * 10) / 10);
  }

  function escapeXml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;" }[c];
    });
  }
}());
