"""The hidden-states view on its own, fed inspections of a small saved model: layer names that
count from L0 like the Heads dock, and a PCA scatter that keeps its orientation across layers."""

from __future__ import annotations

import numpy as np
import pytest

from bertgui.views.hidden_states_view import pca_2d

TEXT = "the cat sat on the mat and the dog ran in the park"


@pytest.fixture
def bert(model_folder):
    import model

    return model.load(model_folder, device="cpu")


@pytest.fixture
def make_view(qtbot):
    from bertgui.views.hidden_states_view import HiddenStatesView

    def make():
        v = HiddenStatesView()
        qtbot.addWidget(v)
        return v

    return make


@pytest.fixture
def svd_with_random_signs(monkeypatch):
    """np.linalg.svd as it may legitimately answer: each singular vector pair negated or not."""
    exact_svd = np.linalg.svd
    rng = np.random.default_rng(0)

    def svd(a, *args, **kwargs):
        u, s, vt = exact_svd(a, *args, **kwargs)
        signs = rng.choice([-1.0, 1.0], size=len(s)).astype(vt.dtype)
        return u * signs, s, vt * signs[:, None]

    monkeypatch.setattr(np.linalg, "svd", svd)


def points(view) -> np.ndarray:
    x, y = view.points.getData()
    return np.column_stack([x, y])


def test_layer_names_count_from_zero_like_the_heads_dock(make_view, bert):
    view = make_view()
    view.show_inspection(bert.inspect(TEXT))
    names = []
    for state in range(view.slider.maximum() + 1):
        view.slider.setValue(state)
        names.append(view.layer_label.text())
    assert names == ["embeddings", "after L0", "after L1"]  # the small model has layers L0 and L1
    assert view.plot.getAxis("bottom").labelText.startswith("PC1 (")
    assert view.plot.getAxis("left").labelText.startswith("PC2 (")


def test_pca_does_not_depend_on_the_signs_the_svd_picks(request):
    x = np.random.default_rng(1).standard_normal((12, 16)).astype(np.float32)
    exact, _ = pca_2d(x)
    request.getfixturevalue("svd_with_random_signs")
    for _ in range(4):
        assert np.allclose(pca_2d(x)[0], exact, atol=1e-5)
    reference = -exact
    assert np.allclose(pca_2d(x, reference=reference)[0], reference, atol=1e-5)


def test_scatter_does_not_mirror_between_layers_whatever_the_svd_signs(request, make_view, bert):
    r = bert.inspect(TEXT)
    stepped = make_view()
    stepped.show_inspection(r)
    request.getfixturevalue("svd_with_random_signs")
    jumped = make_view()
    jumped.show_inspection(r)
    previous = points(stepped)
    for state in range(1, stepped.slider.maximum() + 1):
        stepped.slider.setValue(state)
        current = points(stepped)
        assert (np.sum(previous * current, axis=0) >= 0).all(), f"mirrored at {stepped.layer_label.text()}"
        previous = current
    jumped.slider.setValue(jumped.slider.maximum())  # the last layer looks the same however it is reached
    assert np.allclose(points(jumped), previous, atol=1e-5)
