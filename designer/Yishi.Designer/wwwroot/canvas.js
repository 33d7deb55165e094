// The designer's canvas. Blazor Server would make every pointer move a round trip to the server, so dragging,
// panning, zooming and drawing a connection all happen here, in the browser; .NET hears only the finished gesture
// (a drop, a connection, a selection, a key) and sends back the model to draw.

const SVG = "http://www.w3.org/2000/svg";
const NODE_W = 168;
const NODE_H = 60;
const PORT_GAP = 18;

const canvases = new Map();

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function nodeHeight(node) {
  return Math.max(NODE_H, 24 + node.outcomes.length * PORT_GAP);
}

function portY(node, i) {
  const h = nodeHeight(node);
  return h / 2 - ((node.outcomes.length - 1) * PORT_GAP) / 2 + i * PORT_GAP;
}

function edgePath(a, b) {
  const dx = Math.max(40, Math.abs(b.x - a.x) / 2);
  return `M ${a.x} ${a.y} C ${a.x + dx} ${a.y}, ${b.x - dx} ${b.y}, ${b.x} ${b.y}`;
}

export function create(host, dotnet, options) {
  const readOnly = !!options?.readOnly;
  const svg = el("svg", { class: "yd-canvas", tabindex: "0", role: "application", "aria-label": host.dataset.label || "canvas" }, host);
  const defs = el("defs", {}, svg);
  const marker = el("marker", { id: "yd-arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "8", markerHeight: "8", orient: "auto-start-reverse" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "yd-arrow" }, marker);
  const world = el("g", { class: "yd-world" }, svg);
  const edgeLayer = el("g", {}, world);
  const nodeLayer = el("g", {}, world);
  const ghost = el("path", { class: "yd-ghost", d: "" }, world);
  const minimap = el("svg", { class: "yd-minimap", "aria-hidden": "true" }, host);
  const c = {
    host, svg, world, edgeLayer, nodeLayer, ghost, minimap, dotnet,
    view: { x: 0, y: 0, k: 1 }, model: { nodes: [], edges: [] },
    nodes: new Map(), selected: new Set(), selectedEdges: new Set(), gesture: null, paints: [],
  };
  canvases.set(host, c);
  // The speed test reads the paint times from the page.
  host.ydPaintTimes = () => takePaintTimes(host);

  const toWorld = (evt) => {
    const r = svg.getBoundingClientRect();
    return { x: (evt.clientX - r.left - c.view.x) / c.view.k, y: (evt.clientY - r.top - c.view.y) / c.view.k };
  };
  c.toWorld = toWorld;

  svg.addEventListener("pointerdown", (evt) => {
    svg.focus();
    const port = readOnly ? null : evt.target.closest("[data-port]");
    const node = readOnly ? null : evt.target.closest("[data-node]");
    const edge = evt.target.closest("[data-edge]");
    if (port) {
      const id = port.dataset.of;
      const outcome = port.dataset.port;
      const n = c.nodes.get(id).data;
      const start = { x: n.x + NODE_W, y: n.y + portY(n, n.outcomes.indexOf(outcome)) };
      c.gesture = { kind: "connect", from: id, outcome, start };
    } else if (node) {
      const id = node.dataset.node;
      if (evt.shiftKey || evt.ctrlKey || evt.metaKey) {
        c.selected.has(id) ? c.selected.delete(id) : c.selected.add(id);
      } else if (!c.selected.has(id)) {
        c.selected = new Set([id]);
        c.selectedEdges.clear();
      }
      const p = toWorld(evt);
      const origin = new Map([...c.selected].map((s) => [s, { x: c.nodes.get(s).data.x, y: c.nodes.get(s).data.y }]));
      c.gesture = { kind: "drag", from: p, origin, moved: false };
      paintSelection(c);
    } else if (edge) {
      const key = edge.dataset.edge;
      c.selectedEdges = evt.shiftKey ? new Set([...c.selectedEdges, key]) : new Set([key]);
      if (!evt.shiftKey) c.selected.clear();
      paintSelection(c);
      notifySelection(c);
      return;
    } else {
      c.gesture = { kind: "pan", from: { x: evt.clientX, y: evt.clientY }, origin: { ...c.view }, moved: false };
    }
    svg.setPointerCapture(evt.pointerId);
    evt.preventDefault();
  });

  svg.addEventListener("pointermove", (evt) => {
    const g = c.gesture;
    if (!g) return;
    const t0 = performance.now();
    if (g.kind === "drag") {
      const p = toWorld(evt);
      const dx = p.x - g.from.x;
      const dy = p.y - g.from.y;
      g.moved = g.moved || Math.abs(dx) + Math.abs(dy) > 2;
      for (const [id, o] of g.origin) moveNode(c, id, o.x + dx, o.y + dy);
    } else if (g.kind === "pan") {
      c.view.x = g.origin.x + evt.clientX - g.from.x;
      c.view.y = g.origin.y + evt.clientY - g.from.y;
      g.moved = true;
      applyView(c);
    } else if (g.kind === "connect") {
      ghost.setAttribute("d", edgePath(g.start, toWorld(evt)));
    }
    // The time from the pointer event to the frame that shows its result: what the speed test reads.
    const at = evt.timeStamp;
    requestAnimationFrame(() => { c.paints.push(performance.now() - Math.min(at, t0)); if (c.paints.length > 2000) c.paints.shift(); });
  });

  svg.addEventListener("pointerup", async (evt) => {
    const g = c.gesture;
    c.gesture = null;
    if (!g) return;
    if (c.pending) {
      const model = c.pending;
      c.pending = null;
      if (g.kind === "drag") for (const n of model.nodes) { const moved = c.nodes.get(n.id); if (g.origin.has(n.id) && moved) { n.x = moved.data.x; n.y = moved.data.y; } }
      render(host, model);
    }
    if (g.kind === "drag") {
      if (g.moved) {
        const moves = [...g.origin.keys()].map((id) => ({ id, x: c.nodes.get(id).data.x, y: c.nodes.get(id).data.y }));
        await dotnet.invokeMethodAsync("OnMoved", moves);
      }
      notifySelection(c);
    } else if (g.kind === "pan") {
      if (!g.moved) {
        c.selected.clear();
        c.selectedEdges.clear();
        paintSelection(c);
        notifySelection(c);
      }
    } else if (g.kind === "connect") {
      ghost.setAttribute("d", "");
      const target = document.elementFromPoint(evt.clientX, evt.clientY)?.closest?.("[data-node]");
      if (target && target.dataset.node !== g.from) {
        await dotnet.invokeMethodAsync("OnConnect", g.from, g.outcome, target.dataset.node);
      }
    }
  });

  svg.addEventListener("wheel", (evt) => {
    evt.preventDefault();
    const r = svg.getBoundingClientRect();
    const mx = evt.clientX - r.left;
    const my = evt.clientY - r.top;
    const k = Math.min(3, Math.max(0.2, c.view.k * Math.exp(-evt.deltaY * 0.0015)));
    c.view.x = mx - ((mx - c.view.x) * k) / c.view.k;
    c.view.y = my - ((my - c.view.y) * k) / c.view.k;
    c.view.k = k;
    applyView(c);
  }, { passive: false });

  svg.addEventListener("keydown", async (evt) => {
    if (readOnly) return;
    const ctrl = evt.ctrlKey || evt.metaKey;
    const arrows = { ArrowLeft: [-10, 0], ArrowRight: [10, 0], ArrowUp: [0, -10], ArrowDown: [0, 10] };
    if (arrows[evt.key] && c.selected.size > 0) {
      evt.preventDefault();
      const [dx, dy] = arrows[evt.key];
      const moves = [...c.selected].map((id) => ({ id, x: c.nodes.get(id).data.x + dx, y: c.nodes.get(id).data.y + dy }));
      for (const m of moves) moveNode(c, m.id, m.x, m.y);
      await dotnet.invokeMethodAsync("OnMoved", moves);
      return;
    }
    if (evt.key === "Tab" && c.model.nodes.length > 0) {
      // Tab walks the activities, so the canvas works without a mouse.
      evt.preventDefault();
      const ids = c.model.nodes.map((n) => n.id);
      const current = ids.indexOf([...c.selected][0]);
      const next = ids[(current + (evt.shiftKey ? ids.length - 1 : 1)) % ids.length];
      c.selected = new Set([next]);
      c.selectedEdges.clear();
      paintSelection(c);
      notifySelection(c);
      return;
    }
    if (["Delete", "Backspace"].includes(evt.key) || (ctrl && ["z", "y", "c", "v", "a"].includes(evt.key.toLowerCase()))) {
      evt.preventDefault();
      if (ctrl && evt.key.toLowerCase() === "a") {
        c.selected = new Set(c.model.nodes.map((n) => n.id));
        paintSelection(c);
        notifySelection(c);
        return;
      }
      await dotnet.invokeMethodAsync("OnKey", evt.key.toLowerCase(), ctrl, evt.shiftKey);
    }
  });

  host.addEventListener("dragover", (evt) => {
    if (evt.dataTransfer.types.includes("application/x-yishi-activity")) evt.preventDefault();
  });
  host.addEventListener("drop", async (evt) => {
    if (readOnly) return;
    const type = evt.dataTransfer.getData("application/x-yishi-activity");
    if (!type) return;
    evt.preventDefault();
    const p = toWorld(evt);
    await dotnet.invokeMethodAsync("OnDrop", type, p.x - NODE_W / 2, p.y - NODE_H / 2);
  });
}

/** Lets a palette item be dragged onto the canvas with its activity type. */
export function paletteItem(item, type) {
  item.addEventListener("dragstart", (evt) => {
    evt.dataTransfer.setData("application/x-yishi-activity", type);
    evt.dataTransfer.effectAllowed = "copy";
  });
}

function applyView(c) {
  c.world.setAttribute("transform", `translate(${c.view.x} ${c.view.y}) scale(${c.view.k})`);
  paintMinimap(c);
}

function moveNode(c, id, x, y) {
  const entry = c.nodes.get(id);
  if (!entry) return;
  entry.data.x = x;
  entry.data.y = y;
  entry.g.setAttribute("transform", `translate(${x} ${y})`);
  for (const e of entry.edges) drawEdge(c, e);
}

function drawEdge(c, e) {
  const a = c.nodes.get(e.from);
  const b = c.nodes.get(e.to);
  if (!a || !b) return;
  const i = Math.max(0, a.data.outcomes.indexOf(e.outcome));
  const p1 = { x: a.data.x + NODE_W, y: a.data.y + portY(a.data, i) };
  const p2 = { x: b.data.x, y: b.data.y + nodeHeight(b.data) / 2 };
  e.path.setAttribute("d", edgePath(p1, p2));
  e.hit.setAttribute("d", edgePath(p1, p2));
}

function paintSelection(c) {
  for (const [id, entry] of c.nodes) entry.g.classList.toggle("selected", c.selected.has(id));
  for (const e of c.edgeList || []) e.g.classList.toggle("selected", c.selectedEdges.has(e.key));
}

function notifySelection(c) {
  if (!c.dotnet) return;
  c.dotnet.invokeMethodAsync("OnSelect", [...c.selected], [...c.selectedEdges]);
}

function paintMinimap(c) {
  const m = c.minimap;
  m.replaceChildren();
  const nodes = c.model.nodes;
  if (nodes.length < 12) { m.style.display = "none"; return; }
  m.style.display = "";
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const minX = Math.min(...xs) - 40, minY = Math.min(...ys) - 40;
  const w = Math.max(...xs) + NODE_W + 40 - minX, h = Math.max(...ys) + NODE_H + 40 - minY;
  m.setAttribute("viewBox", `${minX} ${minY} ${w} ${h}`);
  for (const n of nodes) el("rect", { x: n.x, y: n.y, width: NODE_W, height: NODE_H, class: n.error ? "error" : "" }, m);
  const r = c.svg.getBoundingClientRect();
  el("rect", { class: "view", x: -c.view.x / c.view.k, y: -c.view.y / c.view.k, width: r.width / c.view.k, height: r.height / c.view.k }, m);
}

/** Draws the model .NET sends (CanvasModel): {nodes: [{id, label, sub, x, y, outcomes, error, warning, active, current, diff}], edges: [{key, from, outcome, to}], selected: []}. */
export function render(host, model) {
  const c = canvases.get(host);
  if (!c) return;
  if (c.gesture) {
    // Never redraw under the user's hand (a check finishing mid-drag): draw once the gesture ends.
    c.pending = model;
    return;
  }
  c.model = model;
  c.nodes = new Map();
  c.nodeLayer.replaceChildren();
  c.edgeLayer.replaceChildren();
  if (model.selected) c.selected = new Set(model.selected.filter((id) => model.nodes.some((n) => n.id === id)));
  for (const n of model.nodes) {
    const g = el("g", { class: "yd-node" + (n.error ? " error" : n.warning ? " warning" : "") + (n.active ? " active" : "") + (n.current ? " current" : "") + (n.diff ? " diff-" + n.diff : ""),
      "data-node": n.id, transform: `translate(${n.x} ${n.y})`, role: "button", "aria-label": `${n.label} (${n.id})` }, c.nodeLayer);
    const h = nodeHeight(n);
    el("rect", { width: NODE_W, height: h, rx: 8 }, g);
    el("circle", { class: "yd-in", cx: 0, cy: h / 2, r: 5 }, g);
    const label = el("text", { x: 12, y: 22, class: "yd-label" }, g);
    label.textContent = n.label;
    const sub = el("text", { x: 12, y: 40, class: "yd-sub" }, g);
    sub.textContent = n.sub;
    n.outcomes.forEach((o, i) => {
      const port = el("g", { "data-port": o, "data-of": n.id, class: "yd-port", role: "button", "aria-label": `${n.label}: ${o}` }, g);
      el("circle", { cx: NODE_W, cy: portY(n, i), r: 6 }, port);
      const t = el("text", { x: NODE_W + 9, y: portY(n, i) - 6, class: "yd-port-label" }, port);
      t.textContent = n.outcomes.length > 1 || o !== "done" ? o : "";
    });
    c.nodes.set(n.id, { g, data: { ...n }, edges: [] });
  }
  c.edgeList = [];
  for (const e of model.edges) {
    const g = el("g", { class: "yd-edge" + (e.active ? " active" : "") + (e.diff ? " diff-" + e.diff : ""), "data-edge": e.key }, c.edgeLayer);
    const hit = el("path", { class: "yd-edge-hit" }, g);
    const path = el("path", { class: "yd-edge-line", "marker-end": "url(#yd-arrow)" }, g);
    const entry = { ...e, g, path, hit };
    c.edgeList.push(entry);
    c.nodes.get(e.from)?.edges.push(entry);
    c.nodes.get(e.to)?.edges.push(entry);
    drawEdge(c, entry);
  }
  paintSelection(c);
  applyView(c);
}

/** Centres the view on an activity (a problem clicked in the list). */
export function reveal(host, id) {
  const c = canvases.get(host);
  const n = c?.nodes.get(id);
  if (!n) return;
  const r = c.svg.getBoundingClientRect();
  c.view.x = r.width / 2 - (n.data.x + NODE_W / 2) * c.view.k;
  c.view.y = r.height / 2 - (n.data.y + NODE_H / 2) * c.view.k;
  c.selected = new Set([id]);
  applyView(c);
  paintSelection(c);
}

/** Zooms in (+1), out (-1) or back to 100 % (0): the buttons beside the canvas. */
export function zoom(host, direction) {
  const c = canvases.get(host);
  if (!c) return;
  c.view.k = direction === 0 ? 1 : Math.min(3, Math.max(0.2, c.view.k * (direction > 0 ? 1.2 : 1 / 1.2)));
  applyView(c);
}

/** The paint times measured so far (ms from pointer event to the frame), cleared: the speed test's probe. */
export function takePaintTimes(host) {
  const c = canvases.get(host);
  const times = c ? c.paints : [];
  if (c) c.paints = [];
  return times;
}

export function dispose(host) {
  canvases.delete(host);
  host.replaceChildren();
}
