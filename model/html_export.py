"""A head view and an attention grid as one self-contained web page: the data and the script are
inline, nothing is fetched, so the file opens in any browser offline and can go into slides or a
course page. Hover a token to follow its attention, tick heads, click a grid cell to show that
head. Pure Python: the GUI thread writes it from an Inspection's arrays.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np

from .atomic import atomic_write_text

# Colours of the heads, as the app's Head view draws them (matplotlib's tab10, then tab20's extras).
HEAD_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
]  # fmt: skip


def attention_page(tokens: list[str], attentions: np.ndarray, title: str, layer: int = 0, heads=(0,)) -> str:
    """The page for one input. attentions: (layers, heads, T, T), rows summing to 1. Weights are
    stored as integers in thousandths (three digits at most), which keeps a 128-token, 4 x 4-head
    page near 1 MB; the page shows them with three decimals."""
    a = np.asarray(attentions, dtype=np.float64)
    if a.ndim != 4 or a.shape[-1] != a.shape[-2] or a.shape[-1] != len(tokens):
        raise ValueError(f"attentions of shape {a.shape} do not match {len(tokens)} tokens")
    milli = np.rint(np.nan_to_num(a, nan=0.0) * 1000).astype(np.int32)
    data = {
        "title": title,
        "tokens": list(tokens),
        "attention": milli.tolist(),  # [layer][head][query][key], thousandths
        "layer": int(layer),
        "heads": [int(h) for h in heads],
        "colours": HEAD_COLOURS,
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return _PAGE.replace("__TITLE__", html.escape(title)).replace("__DATA__", payload)


def save_attention_page(path: str | Path, tokens: list[str], attentions: np.ndarray, title: str, **view) -> Path:
    path = Path(path)
    path = path if path.suffix.lower() in (".html", ".htm") else path.with_suffix(".html")
    atomic_write_text(path, attention_page(tokens, attentions, title, **view))
    return path


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>__TITLE__</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 16px; color: #1f2937; }
  h1 { font-size: 18px; margin: 0 0 4px; }
  p.note { color: #4b5563; margin: 4px 0 12px; max-width: 60em; }
  #controls { margin: 8px 0; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  #controls label { cursor: pointer; }
  #main { display: flex; gap: 32px; align-items: flex-start; }
  #lines text { font-size: 13px; cursor: pointer; }
  #lines text.picked { font-weight: bold; }
  #grid { display: grid; gap: 4px; }
  #grid canvas { border: 2px solid transparent; cursor: pointer; image-rendering: pixelated; }
  #grid canvas.shown { border-color: #111827; }
  #grid .label { font-size: 12px; color: #4b5563; align-self: center; text-align: center; }
  #readout { min-height: 1.4em; color: #111827; }
</style>
</head>
<body>
<h1>__TITLE__</h1>
<p class="note">Made by BERT Explorer. Left: the tokens that look (queries); right: the tokens they look at (keys).
A line's opacity is the attention weight, one colour per head. Hover a token to follow only its lines; tick heads
to compare them; click a cell of the grid (rows: layers, columns: heads) to show that head.</p>
<div id="controls"><label>Layer <select id="layer"></select></label><span id="heads"></span></div>
<div id="readout"></div>
<div id="main"><svg id="lines"></svg><div id="grid"></div></div>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const T = D.tokens.length, L = D.attention.length, H = D.attention[0].length;
const NS = "http://www.w3.org/2000/svg";
let layer = D.layer, heads = new Set(D.heads), picked = null;
const ROW = 20, WIDTH = 420, SIDE = 130;
const svg = document.getElementById("lines");
svg.setAttribute("width", WIDTH); svg.setAttribute("height", T * ROW + 10);
const layerSelect = document.getElementById("layer");
for (let l = 0; l < L; l++) layerSelect.add(new Option(String(l), String(l)));
layerSelect.value = String(layer);
layerSelect.onchange = () => { layer = +layerSelect.value; draw(); };
const headBoxes = document.getElementById("heads");
for (let h = 0; h < H; h++) {
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox"; box.checked = heads.has(h); box.dataset.head = h;
  box.onchange = () => { box.checked ? heads.add(h) : heads.delete(h); draw(); };
  label.append(box, " ");
  const swatch = document.createElement("span");
  swatch.textContent = "head " + h; swatch.style.color = D.colours[h % D.colours.length];
  label.append(swatch); headBoxes.append(label);
}
function text(x, y, s, anchor, side, i) {
  const t = document.createElementNS(NS, "text");
  t.setAttribute("x", x); t.setAttribute("y", y); t.setAttribute("text-anchor", anchor);
  t.setAttribute("dominant-baseline", "middle"); t.textContent = s;
  t.dataset.side = side; t.dataset.index = i;
  t.onmouseenter = () => { picked = { side, i }; draw(); };
  t.onmouseleave = () => { picked = null; draw(); };
  return t;
}
function draw() {
  svg.replaceChildren();
  for (let i = 0; i < T; i++) {
    const y = i * ROW + 12;
    const left = text(SIDE - 6, y, D.tokens[i], "end", "query", i);
    const right = text(WIDTH - SIDE + 6, y, D.tokens[i], "start", "key", i);
    if (picked && picked.i === i) (picked.side === "query" ? left : right).classList.add("picked");
    svg.append(left, right);
  }
  const readout = [];
  for (const h of [...heads].sort((a, b) => a - b)) {
    const m = D.attention[layer][h];
    for (let q = 0; q < T; q++) for (let k = 0; k < T; k++) {
      const w = m[q][k] / 1000;
      if (w <= 0) continue;
      if (picked && !(picked.side === "query" ? picked.i === q : picked.i === k)) continue;
      const line = document.createElementNS(NS, "line");
      line.setAttribute("x1", SIDE); line.setAttribute("y1", q * ROW + 12);
      line.setAttribute("x2", WIDTH - SIDE); line.setAttribute("y2", k * ROW + 12);
      line.setAttribute("stroke", D.colours[h % D.colours.length]);
      line.setAttribute("stroke-width", 2); line.setAttribute("stroke-opacity", w);
      line.dataset.head = h; line.dataset.query = q; line.dataset.key = k;
      svg.append(line);
    }
    if (picked && picked.side === "query") {
      const row = m[picked.i];
      const best = row.indexOf(Math.max(...row));
      const weight = (row[best] / 1000).toFixed(3);
      readout.push("head " + h + ": " + D.tokens[picked.i] + " looks most at " + D.tokens[best] + " (" + weight + ")");
    }
  }
  document.getElementById("readout").textContent = readout.join("; ");
  for (const c of document.querySelectorAll("#grid canvas"))
    c.classList.toggle("shown", +c.dataset.layer === layer && heads.has(+c.dataset.head));
}
const grid = document.getElementById("grid");
grid.style.gridTemplateColumns = "auto repeat(" + H + ", auto)";
grid.append(document.createElement("span"));
for (let h = 0; h < H; h++) {
  const s = document.createElement("span"); s.className = "label"; s.textContent = "H" + h; grid.append(s);
}
const cell = Math.max(2, Math.min(6, Math.floor(96 / T)));
for (let l = 0; l < L; l++) {
  const s = document.createElement("span"); s.className = "label"; s.textContent = "L" + l; grid.append(s);
  for (let h = 0; h < H; h++) {
    const c = document.createElement("canvas");
    c.width = T; c.height = T; c.style.width = c.style.height = (T * cell) + "px";
    c.dataset.layer = l; c.dataset.head = h; c.title = "layer " + l + ", head " + h;
    const g = c.getContext("2d"), img = g.createImageData(T, T), m = D.attention[l][h];
    for (let q = 0; q < T; q++) for (let k = 0; k < T; k++) {
      const v = 255 - Math.round(255 * Math.min(1, m[q][k] / 1000)), p = 4 * (q * T + k);
      img.data[p] = v; img.data[p + 1] = v; img.data[p + 2] = 255; img.data[p + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    c.onclick = () => {
      layer = l; layerSelect.value = String(l); heads = new Set([h]);
      for (const b of headBoxes.querySelectorAll("input")) b.checked = +b.dataset.head === h;
      draw();
    };
    grid.append(c);
  }
}
draw();
</script>
</body>
</html>
"""
