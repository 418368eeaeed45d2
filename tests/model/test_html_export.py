"""The attention page: self-contained (nothing fetched), small, and working in a real browser."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import numpy as np
import pytest

from model.html_export import attention_page, save_attention_page


def attention(layers, heads, T, seed=0) -> np.ndarray:
    a = np.random.default_rng(seed).random((layers, heads, T, T)) ** 4
    return (a / a.sum(-1, keepdims=True)).astype(np.float32)


def embedded_data(page: str) -> dict:
    return json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S).group(1))


def test_the_page_is_self_contained_and_carries_the_weights_in_thousandths():
    tokens = ["[CLS]", "the", "</script>", "cat", "[SEP]"]  # a token that must not end the data block
    a = attention(2, 3, 5)
    page = attention_page(tokens, a, "Title <b>", layer=1, heads=(0, 2))
    data = embedded_data(page)
    assert data["tokens"] == tokens and data["layer"] == 1 and data["heads"] == [0, 2]
    np.testing.assert_array_equal(np.array(data["attention"]), np.rint(a * 1000).astype(int))
    assert "Title &lt;b&gt;" in page
    assert not re.search(r"<(script|link|img|iframe)[^>]*(src|href)=", page)  # nothing fetched
    assert "@import" not in page and "url(" not in page


def test_a_128_token_4_layer_4_head_page_is_under_2_mb(tmp_path):
    path = save_attention_page(tmp_path / "attention", [f"t{i}" for i in range(128)], attention(4, 4, 128), "big")
    assert path.suffix == ".html" and path.stat().st_size < 2_000_000


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="do not match 3 tokens"):
        attention_page(["a", "b", "c"], attention(1, 1, 4), "x")


PROBE = """<script>
const count = () => document.querySelectorAll("#lines line").length;
const out = { initial: count() };
const query = document.querySelector('#lines text[data-side="query"][data-index="1"]');
query.dispatchEvent(new MouseEvent("mouseenter"));
out.hovered = count();
out.hoveredQueries = [...new Set([...document.querySelectorAll("#lines line")].map(l => l.dataset.query))];
out.readout = document.getElementById("readout").textContent;
query.dispatchEvent(new MouseEvent("mouseleave"));
document.querySelector('#heads input[data-head="1"]').click();
out.twoHeads = count();
document.querySelector('#grid canvas[data-layer="1"][data-head="2"]').click();
out.layer = document.getElementById("layer").value;
out.checked = [...document.querySelectorAll("#heads input")].filter(b => b.checked).map(b => +b.dataset.head);
out.afterGrid = count();
document.body.dataset.results = JSON.stringify(out);
</script></body>"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_page_works_in_a_real_headless_browser(tmp_path):
    tokens = ["[CLS]", "the", "cat", "sat", "[SEP]"]
    a = attention(2, 3, 5, seed=1)
    a[0, 1, 1] = [0.0, 0.0, 1.0, 0.0, 0.0]  # head 1 of layer 0: "the" looks only at "cat"
    path = tmp_path / "page.html"
    path.write_text(attention_page(tokens, a, "probe", layer=0, heads=(0,)).replace("</body>", PROBE, 1))
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    results = json.loads(html.unescape(re.search(r'data-results="([^"]*)"', dom).group(1)))
    drawn = lambda layer, heads: int(sum((np.rint(a[layer, h] * 1000) > 0).sum() for h in heads))  # noqa: E731
    assert results["initial"] == drawn(0, [0])
    assert results["hovered"] == int((np.rint(a[0, 0, 1] * 1000) > 0).sum()) and results["hoveredQueries"] == ["1"]
    assert results["readout"].startswith("head 0: the looks most at")
    assert results["twoHeads"] == drawn(0, [0, 1])
    assert results["layer"] == "1" and results["checked"] == [2] and results["afterGrid"] == drawn(1, [2])
