"""Which input tokens a prediction depends on: gradient x input and integrated gradients
(Sundararajan et al. 2017) for the token predicted at a [MASK] or a classifier's class.

The GUI thread reads the Attribution dataclass; the computation runs on the model worker.
torch is imported inside the functions, not at the top, so that importing this module for the
dataclass loads no torch (as model/computation.py does).

What is attributed to: the token (WordPiece) embeddings only. The segment and position
embeddings stay as in the input at every integration step, as in Captum's BERT tutorial: a
token's score says how much its identity matters, not its place or its sentence. The baseline
replaces each text token's vector by the [PAD] embedding ("pad") or by zeros ("zero"); with
"pad" the [CLS] and [SEP] added around the text are kept, so they get exactly zero.

    scores[t] = sum_c (x[t, c] - x'[t, c]) * mean_k dF/dx[t, c] at x' + a_k (x - x')

F is the target's logit (the MLM vocabulary logit at the explained position, or the sequence
classifier's class logit), not its probability: a logit depends on the input alone, not on how
the other candidates score. Integrated gradients take the Riemann midpoint rule, a_k = (k + 1/2)
/ steps: its error falls as 1/steps^2 (the left or right sum's as 1/steps) and it needs no
gradient at the endpoints. Gradient x input is the one-point version at a = 1: the gradient at
the input times (input - baseline), the textbook gradient x input with the "zero" baseline.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .errors import BertError, CapabilityError

if TYPE_CHECKING:
    import torch

    from .config import BertConfig
    from .heads import BertWithHeads
    from .tokenizer import BertTokenizer

METHODS = ("ig", "grad")
BASELINES = ("pad", "zero")
# What the activations kept for the backward pass may take per chunk of integration steps: the
# steps run in batches of as many as fit (all 32 at once for the bundled model at 32 tokens,
# two at a time for BERT-base at 512 tokens), so memory stays bounded whatever the step count.
CHUNK_BYTES = 1 << 30


@dataclass
class Attribution:
    """Per-input-token attribution of one output score. T = tokens. Arrays float32, C-contiguous."""

    tokens: list[str]  # the input's WordPiece tokens, [CLS] ... [SEP]
    special_tokens_mask: np.ndarray  # (T,) bool, [CLS]/[SEP]: the views can hide them and renormalise
    method: str  # "ig" (integrated gradients) or "grad" (gradient x input)
    target: str  # what is explained, in words, e.g. "'door' at position 6" or "class 'positive'"
    target_position: int  # the output position explained: the [MASK]'s, or 0 ([CLS]) for a classifier
    target_id: int  # the vocabulary id (fill-mask) or the class index (classifier)
    score: float  # the explained quantity at the input (the target's logit)
    baseline_score: float  # the same quantity at the baseline input
    scores: np.ndarray  # (T,) float32, each input token's attribution; for IG they sum to about score - baseline_score
    completeness_gap: float  # sum(scores) - (score - baseline_score): IG's error (shrinks as steps grow)
    steps: int  # integration steps (1 for gradient x input)
    baseline: str  # "pad" ([PAD] embedding at every non-special token) or "zero" (zero vectors)


@dataclass
class _Target:
    """The score to explain: a vocabulary logit at `position`, or a class logit at [CLS]."""

    position: int
    index: int | None  # vocabulary id or class index; None until the default is known
    classifier: bool


def steps_per_chunk(config: BertConfig, length: int, dtype_bytes: int = 4) -> int:
    """How many integration steps of a `length`-token input fit in CHUNK_BYTES of saved activations.

    Per layer and token the backward pass keeps about ten hidden-size vectors (LayerNorm inputs,
    query, key, value, attention output, residuals) and two intermediate-size ones (the GELU's
    input and output), plus a row of attention probabilities per head where the attention kernel
    keeps them."""
    per_token = 10 * config.hidden_size + 2 * config.intermediate_size + config.num_attention_heads * length
    per_step = config.num_hidden_layers * length * per_token * dtype_bytes
    return max(1, CHUNK_BYTES // per_step)


def check_settings(method: str, steps, baseline: str) -> int:
    """One-line refusals of a bad method, step count or baseline; returns the step count."""
    if method not in METHODS:
        raise BertError(f"unknown attribution method {method!r}: give 'ig' (integrated gradients) or 'grad'")
    if baseline not in BASELINES:
        raise BertError(f"unknown baseline {baseline!r}: give 'pad' ([PAD] embeddings) or 'zero'")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise BertError(f"steps must be a whole number of at least 1, got {steps!r}")
    return 1 if method == "grad" else int(steps)


@contextmanager
def _inference_with_input_gradients(network: BertWithHeads):
    """Dropout off (eval mode), and no parameter asking for a gradient: autograd then keeps only
    what the gradient with respect to the input needs (a Linear need not save its input), and no
    .grad is ever written. Both are restored afterwards."""
    flags = [(p, p.requires_grad) for p in network.parameters()]
    was_training = network.training
    network.eval()
    for p, _ in flags:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p, flag in flags:
            p.requires_grad_(flag)
        network.train(was_training)


def read_vector(
    network: BertWithHeads,
    token_vectors: torch.Tensor,
    segments: torch.Tensor,
    head_mask: torch.Tensor | None,
    position: int,
    classifier: bool,
) -> torch.Tensor:
    """token_vectors: (B, T, hidden) in place of the word embeddings; segments: (1, T). Returns the
    vector the output layer reads, (B, hidden): the pooled [CLS] for a classifier, else the MLM
    head's transform of the last hidden state at `position`."""
    import torch

    from .fast_paths import first_token_layer

    emb = network.bert.embeddings
    positions = torch.arange(token_vectors.shape[1], device=token_vectors.device)  # (T,)
    # As BertEmbeddings.forward, from the token vectors instead of the ids (dropout is off).
    x = emb.LayerNorm(token_vectors + emb.token_type_embeddings(segments) + emb.position_embeddings(positions))
    layers = network.bert.encoder.layer
    for i, layer in enumerate(layers[:-1]):
        x = layer(x, None, None if head_mask is None else head_mask[i])[0]  # (B, T, hidden)
    # One row is read, so the last layer computes that row alone (fast_paths.py): its query,
    # attention output and feed-forward for one position instead of T.
    last_mask = None if head_mask is None else head_mask[len(layers) - 1]
    h = first_token_layer(layers[-1], x, None, last_mask, row=0 if classifier else position)  # (B, hidden)
    if classifier:
        return network.pooled(h[:, None])  # (B, hidden)
    return network.cls.predictions.transform(h)  # (B, hidden)


def _output_layer(network: BertWithHeads, classifier: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """The (outputs, hidden) weight and (outputs,) bias of the last linear map: the classifier's,
    or the MLM decoder's (the word embeddings when tied) and its bias."""
    if classifier:
        return network.classifier.weight, network.classifier.bias
    return network.cls.predictions.decoder.weight, network.cls.predictions.bias


def target_score(
    network: BertWithHeads,
    token_vectors: torch.Tensor,
    segments: torch.Tensor,
    head_mask: torch.Tensor | None,
    target: _Target,
) -> torch.Tensor:
    """The target's logit for each of the B inputs (see read_vector), (B,)."""
    h = read_vector(network, token_vectors, segments, head_mask, target.position, target.classifier)  # (B, hidden)
    weight, bias = _output_layer(network, target.classifier)
    # The one row read, not the whole (vocab x hidden) projection.
    return h @ weight[target.index] + bias[target.index]  # (B,)


def attribution_scores(
    network: BertWithHeads,
    inputs: torch.Tensor,
    baseline: torch.Tensor,
    segments: torch.Tensor,
    head_mask: torch.Tensor | None,
    target: _Target,
    method: str,
    steps: int,
    chunk: int,
) -> torch.Tensor:
    """inputs, baseline: (T, hidden) token vectors -> the (T,) attributions. The steps run
    `chunk` at a time."""
    import torch

    delta = inputs - baseline  # (T, hidden)
    if method == "grad":
        alphas = torch.ones(1, dtype=inputs.dtype, device=inputs.device)
    else:  # midpoint rule
        alphas = (torch.arange(steps, dtype=inputs.dtype, device=inputs.device) + 0.5) / steps  # (steps,)
    gradient_sum = torch.zeros_like(inputs)  # (T, hidden)
    with _inference_with_input_gradients(network):
        for part in alphas.split(chunk):
            points = (baseline + part[:, None, None] * delta).requires_grad_()  # (n, T, hidden)
            with torch.enable_grad():
                scores = target_score(network, points, segments, head_mask, target)  # (n,)
                # The inputs do not interact across the batch, so the gradient of the sum is
                # each one's own gradient; only the input's is computed, no parameter's.
                (gradient,) = torch.autograd.grad(scores.sum(), points)
            gradient_sum += gradient.sum(0)
    return (delta * gradient_sum / len(alphas)).sum(-1)  # (T,)


def run_attribution(
    network: BertWithHeads,
    tokenizer: BertTokenizer,
    device: torch.device,
    text: str,
    text_b: str | None = None,
    *,
    position: int | None = None,
    token: str | None = None,
    label: str | None = None,
    method: str = "ig",
    steps: int = 32,
    baseline: str = "pad",
    head_mask=None,
) -> Attribution:
    """See Bert.attribute. The input and the head mask are built as run_inspection builds them."""
    import torch

    from .inspection import check_head_mask

    steps = check_settings(method, steps, baseline)
    config = network.config
    mask = check_head_mask(head_mask, config.num_hidden_layers, config.num_attention_heads)  # (layers, heads)
    head_weights = None if bool((mask == 1).all()) else torch.from_numpy(mask).to(device)
    enc = tokenizer.encode(text, text_b)
    target = resolve_target(network, tokenizer, enc.ids, position, token, label)
    segments = torch.tensor([enc.segment_ids], device=device)  # (1, T)
    words = network.bert.embeddings.word_embeddings.weight.detach()  # (vocab, hidden)
    inputs = words[torch.tensor(enc.ids, device=device)]  # (T, hidden)
    special = torch.tensor(enc.special_tokens_mask, dtype=torch.bool, device=device)  # (T,)
    if baseline == "zero":
        reference = torch.zeros_like(inputs)
    else:  # [PAD] at every text token, [CLS] and [SEP] kept
        reference = torch.where(special[:, None], inputs, words[tokenizer.pad_token_id])

    # The input and the baseline in one pass: the scores at both ends, and the default target.
    with torch.no_grad(), _inference_with_input_gradients(network):
        ends = read_vector(
            network, torch.stack([inputs, reference]), segments, head_weights, target.position, target.classifier
        )  # (2, hidden)
        weight, bias = _output_layer(network, target.classifier)
        if target.index is None:  # the top prediction, or the most probable class
            target.index = int((ends[0] @ weight.T + bias).argmax())
        score, baseline_score = (ends @ weight[target.index] + bias[target.index]).tolist()

    chunk = steps_per_chunk(config, len(enc.ids), inputs.element_size())
    scores = attribution_scores(network, inputs, reference, segments, head_weights, target, method, steps, chunk)
    total = float(scores.double().sum())
    if target.classifier:
        description = f"class '{config.id2label[target.index]}'"
    else:
        description = f"'{tokenizer.id_to_token(target.index)}' at position {target.position}"
    return Attribution(
        tokens=enc.tokens,
        special_tokens_mask=np.asarray(enc.special_tokens_mask, dtype=bool),
        method=method,
        target=description,
        target_position=target.position,
        target_id=target.index,
        score=score,
        baseline_score=baseline_score,
        scores=np.ascontiguousarray(scores.detach().float().cpu().numpy(), dtype=np.float32),
        completeness_gap=total - (score - baseline_score),
        steps=steps,
        baseline=baseline,
    )


def resolve_target(
    network: BertWithHeads,
    tokenizer: BertTokenizer,
    ids: list[int],
    position: int | None,
    token: str | None,
    label: str | None,
) -> _Target:
    """What to explain, from the arguments and the model's heads; a one-line refusal of any value
    that does not fit. Defaults: the first [MASK]; the top-1 token there or the most probable
    class, left as index None for the caller, who runs the model."""
    heads = network.heads
    is_classifier = heads.classifier == "sequence"
    if label is not None or (is_classifier and position is None and token is None):
        if not is_classifier:
            raise CapabilityError(
                f"this model has no sequence-classification head (saved as {heads.architecture}), so it has "
                "no class to explain; leave out the label, or open a fine-tuned classifier"
            )
        if position is not None or token is not None:
            raise BertError("a class is explained at [CLS]: give a label, or a position and token, not both")
        return _Target(0, None if label is None else _label_index(network, label), True)
    if not heads.mlm:
        raise CapabilityError(
            f"this model has no MLM head (saved as {heads.architecture}), so it predicts no token to "
            "explain; open a checkpoint saved with its masked-LM head"
        )
    if position is None:
        if tokenizer.mask_token_id not in ids:
            raise BertError("no [MASK] in the input; type [MASK] where a word should be predicted, or give a position")
        position = ids.index(tokenizer.mask_token_id)
    elif isinstance(position, bool) or not isinstance(position, (int, np.integer)) or not 0 <= position < len(ids):
        raise BertError(f"position {position!r} is not in the input: give one from 0 to {len(ids) - 1}")
    return _Target(int(position), None if token is None else _token_id(tokenizer, token), False)


def _label_index(network: BertWithHeads, label: str) -> int:
    names = [network.config.id2label[i] for i in range(network.heads.num_labels)]
    if label not in names:
        raise BertError(f"label {label!r} is not one of this classifier's: {', '.join(names)}")
    return names.index(label)


def _token_id(tokenizer: BertTokenizer, token: str) -> int:
    """A vocabulary token as typed ("Paris" for an uncased model's "paris", "##s") -> its id."""
    index = tokenizer.token_to_id(token)
    if index is not None:
        return index
    pieces = tokenizer.encode_plain_batch([token])[0] if token.strip() else []
    if len(pieces) == 1 and pieces[0] != tokenizer.unk_token_id:
        return pieces[0]
    if len(pieces) > 1:
        split = " ".join(tokenizer.id_to_token(i) for i in pieces)
        raise BertError(f"{token!r} is several word pieces ({split}); give one of them as the token to explain")
    raise BertError(f"{token!r} is not in the model's vocabulary; give a token it predicts (see fill-mask)")
