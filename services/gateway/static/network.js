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

  // A node grows with its ties, less so in a large network, where room is short.
  var growth = 2;
  function size(node) {
    return 14 + Math.min(node.data("degree"), 20) * growth;
  }

  function draw(photograph) {
    growth = photograph.nodes.length > 200 ? 0.6 : 2;
    var elements = photograph.nodes.map(function (node) {
      return { group: "nodes", data: { id: node.id, label: node.label, kind: node.kind, degree: node.degree } };
    }).concat(photograph.ties.map(function (tie, index) {
      return { group: "edges", data: { id: "tie-" + index, source: tie.source, target: tie.target, relation: tie.relation } };
    }));
    var started = window.performance.now();
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
            width: function (node) { return size(node); },
            height: function (node) { return size(node); },
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
      layout: layout(photograph.nodes.length)
    });
    cy.on("tap", "node", function (event) {
      var node = event.target;
      window.location.href = "/t/" + holder.dataset.slug + "/" + collections[node.data("kind")] + "/" + node.id();
    });
    separate(cy);
    // How long the layout took, for `make bench`.
    holder.dataset.layoutMs = String(Math.round(window.performance.now() - started));
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
      // The organisations, partnerships and projects drawn over another one: what
      // makes a drawing unreadable.
      overlapping: function () {
        var shown = cy.nodes().filter(function (n) { return n.data("kind") !== "person"; });
        var boxes = shown.map(function (n) { return n.boundingBox({ includeLabels: false }); });
        return boxes.filter(function (a, i) {
          return boxes.some(function (b, j) {
            return i !== j && a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
          });
        }).length;
      },
      node: function (label) { return cy.nodes().filter(function (n) { return n.data("label") === label; }); }
    };
  }

  // fCoSE (spectral placement, then forces) when it is there: it keeps 500 nodes and
  // 2,000 ties apart in well under a second; Cytoscape.js' own CoSE otherwise. Each
  // component is packed beside the others, and people, who hang off one organisation,
  // stay close to it.
  function layout(count) {
    var spread = count > 200 ? 3 : 1;
    if (typeof window.cytoscapeFcose === "function") {
      return {
        name: "fcose", quality: "default", animate: false, randomize: true, packComponents: true,
        nodeSeparation: 90, padding: 30,
        nodeRepulsion: function (node) { return (node.data("kind") === "person" ? 2500 : 9000) * spread; },
        idealEdgeLength: function (edge) { return edge.data("relation") === "affiliated_to" ? 35 : 70 * spread; },
        edgeElasticity: function (edge) { return edge.data("relation") === "affiliated_to" ? 0.8 : 0.45; }
      };
    }
    return { name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 8000; }, idealEdgeLength: function () { return 60; }, numIter: 1000, padding: 30 };
  }

  // Force layouts bring records with the same ties to the same spot: push apart any
  // two nodes drawn over each other (a few passes, each moving both by half the
  // overlap), then fit the drawing to its frame again.
  function separate(cy) {
    var nodes = cy.nodes().toArray();
    // A square's corners reach √2 times its half-width from its centre.
    var points = nodes.map(function (n) { var p = n.position(); return { x: p.x, y: p.y, r: n.width() * 0.71 + 3 }; });
    for (var pass = 0; pass < 80; pass++) {
      var moved = false;
      for (var i = 0; i < points.length; i++) {
        for (var j = i + 1; j < points.length; j++) {
          var a = points[i], b = points[j];
          var dx = b.x - a.x, dy = b.y - a.y;
          var distance = Math.sqrt(dx * dx + dy * dy);
          var overlap = a.r + b.r - distance;
          if (overlap > 0) {
            // Two nodes on the very same spot part along a direction of their own.
            if (distance < 0.01) { dx = Math.cos(i + j); dy = Math.sin(i + j); distance = 1; }
            var push = overlap / 2 / distance;
            a.x -= dx * push; a.y -= dy * push;
            b.x += dx * push; b.y += dy * push;
            moved = true;
          }
        }
      }
      if (!moved) {
        break;
      }
    }
    cy.batch(function () {
      nodes.forEach(function (node, i) { node.position({ x: points[i].x, y: points[i].y }); });
    });
    cy.fit(undefined, 30);
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
