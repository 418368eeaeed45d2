"""One forward pass that captures everything the inspector shows, as NumPy float32 arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .errors import BertError
from .heads import BertWithHeads
from .rollout import attention_rollout
from .tokenizer import BertTokenizer, Encoding, valid_unicode
from .word_attention import WordGroups, group_words, word_attention
from .word_tags import WordTag, tag_encoding
from .wordpiece_steps import WordExplanation


@dataclass
class Prediction:
    token: str
    token_id: int
    score: float  # softmax probability


@dataclass
class MaskPrediction:
    index: int  # position in the token sequence
    predictions: list[Prediction]  # top-k, most probable first


@dataclass
class CandidateScore:
    """A word the user asked about ("Check a word"), scored at every [MASK] of the text."""

    word: str  # as typed
    pieces: list[str]  # its word pieces, as the tokenizer splits it (one for a word in the vocabulary)
    piece_ids: list[int]
    probabilities: np.ndarray  # (masks, pieces) float32, P(piece) at each [MASK], in fill_mask's order
    ranks: np.ndarray  # (masks, pieces) int64, 1 = the model's most probable token there
    vocabulary_size: int  # what a rank is out of


@dataclass
class LogitLens:
    """One [MASK] read through the MLM head after every layer ("logit lens", nostalgebraist 2020):
    where in the network the final prediction appears."""

    index: int  # position in the token sequence
    layers: list[list[Prediction]]  # layers + 1 entries, [0] = embedding output; top-k each, most probable first


@dataclass
class Inspection:
    text: str
    text_b: str | None
    tokens: list[str]
    input_ids: np.ndarray  # (T,) int64
    segment_ids: np.ndarray  # (T,) int64, 0 = sentence A, 1 = sentence B
    offsets: np.ndarray  # (T, 2) int32, character span in the token's own sentence; (0, 0) for specials
    special_tokens_mask: np.ndarray  # (T,) bool, the [CLS]/[SEP] added around the text
    truncated: bool  # the input was longer than the model's maximum length and was cut
    token_embeddings: np.ndarray  # (T, hidden) float32, word-piece vectors
    segment_embeddings: np.ndarray  # (T, hidden) float32
    position_embeddings: np.ndarray  # (T, hidden) float32, learned or sinusoidal
    normalized_sum: np.ndarray  # (T, hidden) float32, LayerNorm(token + segment + position) = hidden_states[0]
    hidden_states: np.ndarray  # (layers + 1, T, hidden) float32; [0] = embedding output
    attentions: np.ndarray  # (layers, heads, T, T) float32; rows sum to 1, switched-off heads are 0
    head_mask: np.ndarray  # (layers, heads) float32 that was applied; 1 = on
    fill_mask: list[MaskPrediction]  # one entry per [MASK]; empty without an MLM head
    mlm_available: bool  # the checkpoint has a masked-LM head
    nsp_is_next: float | None  # P(IsNext) for a pair, when the checkpoint has an NSP head
    class_probabilities: dict[str, float] | None = None  # label -> P, for a sequence-classification checkpoint
    position_predictions: list[MaskPrediction] | None = None  # top-k at every position (on request)
    token_probabilities: np.ndarray | None = None  # (T,) float32, P(actual token) at each position (on request)
    rollout: np.ndarray | None = None  # (layers, T, T) float32 attention rollout (on request)
    logit_lens: list[LogitLens] | None = None  # one per [MASK], as in fill_mask (on request, MLM head only)
    logit_lens_final_probability: np.ndarray | None = None  # (layers + 1, masks) float32, P(final top-1) per layer
    text_warning: str | None = None  # characters that are not valid Unicode were replaced (see Encoding.warning)
    candidate_scores: list[CandidateScore] | None = None  # one per word asked about (on request, MLM head only)
    # Top-k at each [MASK] with every head on, when some are off (on request): the "before" of a before/after.
    fill_mask_all_heads_on: list[MaskPrediction] | None = None
    # Pseudo-log-likelihood (Salazar et al. 2020), on request: each text token hidden behind [MASK]
    # in a copy of its own, and the probability the model gives it back from its context alone.
    masked_token_probabilities: np.ndarray | None = None  # (T,) float32; NaN at [CLS], [SEP] and typed [MASK]s
    masked_position_predictions: list[MaskPrediction] | None = None  # top-k at each position so scored
    pseudo_log_likelihood: float | None = None  # sum of log P over the positions so scored
    # How WordPiece split each whitespace-separated word, per sentence (A, then B when a pair).
    wordpiece: list[list[WordExplanation]] | None = None
    word_tags: list[WordTag] | None = None  # one per word, for a token-classification checkpoint
    words: WordGroups | None = None  # the input's words (pieces joined; Chinese by jieba), for word mode
    # (layers, heads, W, W) float32: `attentions` between those words by WORD_RULE (on request: made on
    # the worker while word mode is on, so that it costs the GUI thread nothing); None when not asked
    # for or when no word is split (the same matrix).
    word_attentions: np.ndarray | None = None

    @property
    def num_layers(self) -> int:
        return self.attentions.shape[0]

    @property
    def num_heads(self) -> int:
        return self.attentions.shape[1]


def check_head_mask(head_mask, layers: int, heads: int) -> np.ndarray:
    """A (layers, heads) float32 array of head weights (1 = on, 0 = off); None = all on."""
    if head_mask is None:
        return np.ones((layers, heads), dtype=np.float32)
    mask = np.asarray(head_mask, dtype=np.float32)
    if mask.shape != (layers, heads):
        raise BertError(f"head_mask must have shape ({layers}, {heads}) (layers x heads), got {mask.shape}")
    return mask


def top_k_predictions(
    logits: torch.Tensor, positions: list[int], tokenizer: BertTokenizer, top_k: int
) -> tuple[list[MaskPrediction], torch.Tensor]:
    """logits: (N, vocab) at `positions` -> top-k per position, and the (N, vocab) probabilities."""
    probs = logits.float().softmax(dim=-1)  # (N, vocab)
    k = max(1, min(int(top_k), probs.shape[-1]))
    scores, ids = probs.topk(k, dim=-1)  # (N, k)
    out = [
        MaskPrediction(
            pos,
            [
                Prediction(tokenizer.id_to_token(i), int(i), float(s))
                for s, i in zip(row_scores.tolist(), row_ids.tolist())
            ],
        )
        for pos, row_scores, row_ids in zip(positions, scores, ids)
    ]
    return out, probs


def logit_lens_predictions(
    network: BertWithHeads, hidden: torch.Tensor, positions: list[int], tokenizer: BertTokenizer, top_k: int
) -> tuple[list[LogitLens], np.ndarray]:
    """hidden: (layers + 1, T, hidden) of the pass already run -> the MLM head's top-k at each of
    `positions` after every layer, and the (layers + 1, N) probability that each layer gives the
    token the last layer ranks first."""
    n_states, n = hidden.shape[0], len(positions)
    # One head call for every layer at once, on just the (layers + 1) x N vectors that are read.
    logits = network.cls.predictions(hidden[:, positions])  # (layers + 1, N, vocab)
    flat, probs = top_k_predictions(logits.flatten(0, 1), positions * n_states, tokenizer, top_k)
    lenses = [
        LogitLens(pos, [flat[layer * n + m].predictions for layer in range(n_states)])
        for m, pos in enumerate(positions)
    ]
    final_top1 = torch.tensor(
        [lens.layers[-1][0].token_id for lens in lenses], dtype=torch.long, device=probs.device
    )  # (N,)
    curve = probs.view(logits.shape)[:, torch.arange(n, device=probs.device), final_top1]  # (layers + 1, N)
    return lenses, _numpy(curve)


PLL_CHUNK_TOKENS = 4096  # tokens per forward pass when scoring masked copies: 32 copies of 128 tokens


def candidate_scores(
    mask_probabilities: torch.Tensor, candidates: tuple[str, ...], tokenizer: BertTokenizer
) -> list[CandidateScore]:
    """mask_probabilities: (masks, vocab) -> each candidate word's pieces scored at every [MASK]:
    the probability, and the rank among the whole vocabulary (1 = the most probable token)."""
    scores = []
    for word, piece_ids in zip(candidates, tokenizer.encode_plain_batch(list(candidates))):
        ids = torch.tensor(piece_ids, dtype=torch.long, device=mask_probabilities.device)
        chosen = mask_probabilities[:, ids]  # (masks, pieces)
        # Rank = 1 + how many tokens the model finds strictly more probable there.
        ranks = 1 + (mask_probabilities.unsqueeze(1) > chosen.unsqueeze(-1)).sum(-1)  # (masks, pieces)
        scores.append(
            CandidateScore(
                word=word,
                pieces=[tokenizer.id_to_token(i) for i in piece_ids],
                piece_ids=list(piece_ids),
                probabilities=_numpy(chosen),
                ranks=ranks.cpu().numpy().astype(np.int64),
                vocabulary_size=mask_probabilities.shape[-1],
            )
        )
    return scores


def masked_position_scores(
    network: BertWithHeads,
    ids: torch.Tensor,
    segments: torch.Tensor,
    head_mask: torch.Tensor | None,
    positions: list[int],
    tokenizer: BertTokenizer,
    top_k: int,
) -> tuple[np.ndarray, list[MaskPrediction]]:
    """ids, segments: (1, T). Each of `positions` hidden behind [MASK] in a copy of the input of its
    own (copy i masks position i only), the copies run in batches of about PLL_CHUNK_TOKENS tokens.
    Returns the (len(positions),) probability of the actual token at each, and the top-k there."""
    if not positions:
        return np.zeros(0, dtype=np.float32), []
    length = ids.shape[1]
    per_chunk = max(1, PLL_CHUNK_TOKENS // length)
    actual_probabilities, predictions = [], []
    for start in range(0, len(positions), per_chunk):
        chunk = positions[start : start + per_chunk]
        rows = torch.arange(len(chunk), device=ids.device)
        columns = torch.tensor(chunk, dtype=torch.long, device=ids.device)
        copies = ids.expand(len(chunk), length).clone()  # (copies, T)
        copies[rows, columns] = tokenizer.mask_token_id
        hidden = torch.zeros_like(copies, dtype=torch.bool)
        hidden[rows, columns] = True  # the one position each copy is read at
        out = network(
            copies,
            segments.expand(len(chunk), length),
            head_mask=head_mask,
            mlm_positions=hidden,
            nsp=False,
            classify=False,
        )
        chunk_predictions, probs = top_k_predictions(out.mlm_logits, chunk, tokenizer, top_k)  # probs: (copies, vocab)
        actual_probabilities.append(probs[rows, ids[0, columns]])
        predictions += chunk_predictions
    return _numpy(torch.cat(actual_probabilities)), predictions


@torch.inference_mode()
def run_inspection(
    network: BertWithHeads,
    tokenizer: BertTokenizer,
    device: torch.device,
    text: str,
    text_b: str | None = None,
    head_mask=None,
    top_k: int = 10,
    all_positions: bool = False,
    rollout: bool = False,
    logit_lens: bool = False,
    candidates: tuple[str, ...] = (),
    compare_all_heads_on: bool = False,
    masked_positions: bool = False,
    word_attentions: bool = False,
) -> Inspection:
    enc: Encoding = tokenizer.encode(text, text_b)
    config = network.config
    mask = check_head_mask(head_mask, config.num_hidden_layers, config.num_attention_heads)
    ids = torch.tensor([enc.ids], device=device)  # (1, T)
    segments = torch.tensor([enc.segment_ids], device=device)  # (1, T)
    is_mask = ids == tokenizer.mask_token_id  # (1, T)
    # The vocabulary projection is the costliest matrix product of a short input: compute it
    # only where it is read (every [MASK], or every position on request).
    mlm_positions = None if all_positions else is_mask
    all_on = bool((mask == 1).all())  # then there is nothing to multiply by
    head_weights = None if all_on else torch.from_numpy(mask).to(device)
    out = network(
        ids,
        segments,
        head_mask=head_weights,
        output_attentions=True,
        output_hidden_states=True,
        output_embedding_parts=True,
        mlm_positions=mlm_positions,
        nsp=text_b is not None,
        classify=network.heads.classifier is not None,
    )
    enc_out = out.encoder

    hidden = enc_out.hidden_states[:, 0]  # (layers + 1, T, hidden)
    fill_mask: list[MaskPrediction] = []
    position_predictions = token_probabilities = lenses = lens_curve = None
    candidates_scored = fill_mask_all_on = None
    masked_probabilities = masked_predictions = pseudo_log_likelihood = None
    if out.mlm_logits is not None:
        mask_positions = is_mask[0].nonzero().flatten().tolist()
        if all_positions:
            everywhere = list(range(len(enc.ids)))
            position_predictions, probs = top_k_predictions(out.mlm_logits[0], everywhere, tokenizer, top_k)
            fill_mask = [position_predictions[i] for i in mask_positions]
            token_probabilities = _numpy(probs.gather(-1, ids[0].unsqueeze(-1)).squeeze(-1))
            mask_probabilities = probs[mask_positions]  # (masks, vocab)
        else:
            fill_mask, mask_probabilities = top_k_predictions(out.mlm_logits, mask_positions, tokenizer, top_k)
        if logit_lens:
            lenses, lens_curve = logit_lens_predictions(network, hidden, mask_positions, tokenizer, top_k)
        if candidates:
            candidates_scored = candidate_scores(mask_probabilities, candidates, tokenizer)
        if compare_all_heads_on and not all_on and mask_positions:  # the one extra pass of a before/after
            before = network(ids, segments, mlm_positions=is_mask, nsp=False, classify=False)
            fill_mask_all_on, _ = top_k_predictions(before.mlm_logits, mask_positions, tokenizer, top_k)
        if masked_positions:
            text_positions = [
                i for i, special in enumerate(enc.special_tokens_mask) if not special and i not in mask_positions
            ]
            scored, masked_predictions = masked_position_scores(
                network, ids, segments, head_weights, text_positions, tokenizer, top_k
            )
            masked_probabilities = np.full(len(enc.ids), np.nan, dtype=np.float32)
            masked_probabilities[text_positions] = scored
            with np.errstate(divide="ignore"):  # a probability of 0 is a log of -inf, and says so
                pseudo_log_likelihood = float(np.log(scored.astype(np.float64)).sum())
    classes = tags = None
    if network.heads.classifier == "sequence":
        probabilities = out.classifier_logits[0].float().softmax(-1).tolist()
        classes = {network.config.id2label[i]: p for i, p in enumerate(probabilities)}
    elif network.heads.classifier == "token":
        tags = tag_encoding(_numpy(out.classifier_logits[0]), enc, text, text_b, network.config.id2label)
    nsp = None
    if out.nsp_logits is not None:
        nsp = float(out.nsp_logits.float().softmax(-1)[0, 0])

    words = group_words(
        enc.tokens,
        np.asarray(enc.offsets).reshape(-1, 2),
        np.asarray(enc.segment_ids),
        np.asarray(enc.special_tokens_mask, dtype=bool),
        (valid_unicode(text)[0], None if text_b is None else valid_unicode(text_b)[0]),
    )
    parts = enc_out.embedding_parts
    attentions = _numpy(enc_out.attentions[:, 0])  # (layers, heads, T, T)
    # The text as it was tokenized: a lone surrogate (possible from a shell) cannot be written out.
    text = valid_unicode(text)[0]
    text_b = None if text_b is None else valid_unicode(text_b)[0]
    return Inspection(
        text=text,
        text_b=text_b,
        tokens=enc.tokens,
        text_warning=enc.warning,
        input_ids=np.asarray(enc.ids, dtype=np.int64),
        segment_ids=np.asarray(enc.segment_ids, dtype=np.int64),
        offsets=np.asarray(enc.offsets, dtype=np.int32).reshape(-1, 2),
        special_tokens_mask=np.asarray(enc.special_tokens_mask, dtype=bool),
        truncated=enc.truncated,
        token_embeddings=_numpy(parts.token[0]),
        segment_embeddings=_numpy(parts.segment[0]),
        position_embeddings=_numpy(parts.position[0]),
        normalized_sum=_numpy(hidden[0]),
        hidden_states=_numpy(hidden),
        attentions=attentions,
        head_mask=mask,
        fill_mask=fill_mask,
        mlm_available=network.heads.mlm,
        nsp_is_next=nsp,
        class_probabilities=classes,
        word_tags=tags,
        position_predictions=position_predictions,
        token_probabilities=token_probabilities,
        rollout=attention_rollout(attentions) if rollout else None,
        logit_lens=lenses,
        logit_lens_final_probability=lens_curve,
        candidate_scores=candidates_scored,
        fill_mask_all_heads_on=fill_mask_all_on,
        masked_token_probabilities=masked_probabilities,
        masked_position_predictions=masked_predictions,
        pseudo_log_likelihood=pseudo_log_likelihood,
        wordpiece=[tokenizer.explain_words(t) for t in (text, text_b) if t is not None],
        words=words,
        word_attentions=word_attention(attentions, words) if word_attentions and words.merges_anything else None,
    )


def _numpy(t: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(t.detach().float().cpu().numpy(), dtype=np.float32)
