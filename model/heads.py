"""Task heads on top of the encoder, and BertWithHeads, the network a checkpoint describes.

Which heads exist is a property of the checkpoint (`HeadSpec`): BertForPreTraining has
MLM + NSP, BertForMaskedLM only MLM, BertModel none, BertForSequenceClassification a
classifier on the pooled [CLS] vector, BertForTokenClassification one on every token.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .config import BertConfig
from .transformer import ACTIVATIONS, BertModel, EncoderOutput


class PredictionHeadTransform(nn.Module):
    """dense -> activation -> LayerNorm, applied before the MLM decoder."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.act = ACTIVATIONS[config.hidden_act]
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.act(self.dense(x)))


class MaskedLMHead(nn.Module):
    """Predicts the original token at each position (Hugging Face: `cls.predictions`).

    The decoder's weight is the word-embedding matrix when the config ties them (BERT does),
    plus an output-only bias per vocabulary entry.
    """

    def __init__(self, config: BertConfig):
        super().__init__()
        self.transform = PredictionHeadTransform(config)
        self.decoder = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.bias = nn.Parameter(torch.zeros(config.vocab_size))

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.transform(hidden)) + self.bias  # (..., vocab)


class PretrainingHeads(nn.Module):
    """The `cls` module: `predictions`, the masked-LM head, and/or `seq_relationship`, the
    next-sentence head: a linear map of the pooled [CLS] vector to (IsNext, NotNext) logits."""

    def __init__(self, config: BertConfig, mlm: bool, nsp: bool):
        super().__init__()
        self.predictions = MaskedLMHead(config) if mlm else None
        self.seq_relationship = nn.Linear(config.hidden_size, 2) if nsp else None  # class 0 = IsNext


@dataclass(frozen=True)
class HeadSpec:
    """What a checkpoint can do."""

    mlm: bool = True  # masked-LM head (fill-mask)
    nsp: bool = True  # next-sentence head
    classifier: str | None = None  # None, "sequence" or "token"
    num_labels: int = 0  # classes of the classifier
    pooler: bool = True  # the pooler's weights are present

    @property
    def architecture(self) -> str:
        """The Hugging Face class that loads the same weights."""
        if self.classifier == "sequence":
            return "BertForSequenceClassification"
        if self.classifier == "token":
            return "BertForTokenClassification"
        if self.mlm and self.nsp:
            return "BertForPreTraining"
        if self.mlm:
            return "BertForMaskedLM"
        if self.nsp:
            return "BertForNextSentencePrediction"
        return "BertModel"


@dataclass
class BertOutput:
    encoder: EncoderOutput
    mlm_logits: torch.Tensor | None = None  # (N, vocab) at the requested positions, or (B, T, vocab)
    nsp_logits: torch.Tensor | None = None  # (B, 2)
    classifier_logits: torch.Tensor | None = None  # (B, labels) or (B, T, labels)


class BertWithHeads(nn.Module):
    """The whole network: `bert` (trunk) + `cls` (pre-training heads) + `classifier`."""

    def __init__(self, config: BertConfig, heads: HeadSpec = HeadSpec()):
        super().__init__()
        self.config = config
        self.heads = heads
        self.bert = BertModel(config, add_pooling_layer=heads.pooler)
        self.cls = PretrainingHeads(config, heads.mlm, heads.nsp) if (heads.mlm or heads.nsp) else None
        if heads.classifier:
            p = config.classifier_dropout if config.classifier_dropout is not None else config.hidden_dropout_prob
            self.dropout = nn.Dropout(p)
            self.classifier = nn.Linear(config.hidden_size, heads.num_labels)
        else:
            self.dropout = self.classifier = None
        self.tie_weights()

    def tie_weights(self) -> None:
        if self.heads.mlm and self.config.tie_word_embeddings:
            self.cls.predictions.decoder.weight = self.bert.embeddings.word_embeddings.weight

    def init_weights(self) -> None:
        """BERT's initialisation, for training from scratch: N(0, initializer_range) weights,
        zero biases, LayerNorm at identity."""
        std = self.config.initializer_range
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, std=std)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                nn.init.normal_(module.weight, std=std)
                if module.padding_idx is not None:
                    with torch.no_grad():
                        module.weight[module.padding_idx].zero_()
            elif isinstance(module, nn.LayerNorm):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
        if self.heads.mlm:
            nn.init.zeros_(self.cls.predictions.bias)
        self.tie_weights()

    def pooled(self, last_hidden_state: torch.Tensor) -> torch.Tensor:
        return self.bert.pooler(last_hidden_state)

    def forward(
        self,
        input_ids: torch.Tensor,
        token_type_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        head_mask: torch.Tensor | None = None,
        output_attentions: bool = False,
        output_hidden_states: bool = False,
        output_embedding_parts: bool = False,
        mlm_positions: torch.Tensor | None | bool = None,
        nsp: bool = True,
        classify: bool = True,
    ) -> BertOutput:
        """mlm_positions: None = MLM logits at every position (B, T, vocab); a bool (B, T) mask
        = logits only where it is True, (N, vocab); an integer (B, P) index = logits at those
        positions, (B, P, vocab), one fixed shape per run (see pretraining.data.make_batch).
        The last two skip the big vocabulary projection everywhere else. False = no MLM logits."""
        want_mlm = self.heads.mlm and mlm_positions is not False
        need_pooled = (nsp and self.heads.nsp) or (classify and self.heads.classifier == "sequence")
        # Only the pooled [CLS] vector is read: the last layer need not compute the other rows.
        first_token_only = need_pooled and not want_mlm and not (classify and self.heads.classifier == "token")
        enc = self.bert(
            input_ids,
            token_type_ids,
            attention_mask,
            head_mask,
            output_attentions,
            output_hidden_states,
            output_embedding_parts,
            first_token_only,
        )
        out = BertOutput(enc)
        h = enc.last_hidden_state  # (B, T, hidden), or (B, 1, hidden) if first_token_only
        if want_mlm:
            if mlm_positions is None:
                selected = h
            elif mlm_positions.dtype == torch.bool:
                selected = h[mlm_positions]  # (N, hidden)
            else:
                selected = h.gather(1, mlm_positions.unsqueeze(-1).expand(-1, -1, h.shape[-1]))  # (B, P, hidden)
            out.mlm_logits = self.cls.predictions(selected)
        pooled = self.pooled(h) if need_pooled else None  # (B, hidden)
        if nsp and self.heads.nsp:
            out.nsp_logits = self.cls.seq_relationship(pooled)
        if classify and self.heads.classifier == "sequence":
            out.classifier_logits = self.classifier(self.dropout(pooled))
        elif classify and self.heads.classifier == "token":
            out.classifier_logits = self.classifier(self.dropout(h))
        return out
