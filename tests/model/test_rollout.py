import numpy as np
import pytest

from model.rollout import attention_rollout


def random_attention(layers=3, heads=2, T=5, seed=0):
    a = np.random.default_rng(seed).random((layers, heads, T, T))
    return a / a.sum(-1, keepdims=True)


def test_rollout_is_the_product_of_residual_mixed_head_averages():
    att = random_attention()
    eye = np.eye(5)
    expected = eye
    rollout = attention_rollout(att)
    for layer in range(3):
        a = 0.5 * att[layer].mean(0) + 0.5 * eye
        a = a / a.sum(-1, keepdims=True)
        expected = a @ expected
        assert np.allclose(rollout[layer], expected, atol=1e-6)
    assert rollout.dtype == np.float32 and np.allclose(rollout.sum(-1), 1, atol=1e-5)


def test_identity_attention_rolls_out_to_identity():
    att = np.broadcast_to(np.eye(4), (2, 3, 4, 4))
    assert np.allclose(attention_rollout(att, add_residual=False), np.eye(4))


def test_rejects_wrong_shape():
    with pytest.raises(ValueError, match="layers, heads, T, T"):
        attention_rollout(np.ones((2, 3, 4)))
