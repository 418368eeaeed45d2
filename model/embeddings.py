"""The input representation: token + segment + position embeddings, summed, then LayerNorm.

BERT (Devlin et al., 2019, fig. 2) builds each input vector as the sum of three parts;
each part is a module of its own here so the inspector can show them one by one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from .config import BertConfig


class TokenEmbedding(nn.Embedding):
    """One learned vector per WordPiece id (Hugging Face: `word_embeddings`)."""

    def __init__(self, config: BertConfig):
        super().__init__(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)


class SegmentEmbedding(nn.Embedding):
    """One learned vector per segment, A (0) or B (1) (Hugging Face: `token_type_embeddings`)."""

    def __init__(self, config: BertConfig):
        super().__init__(config.type_vocab_size, config.hidden_size)


class PositionEmbedding(nn.Embedding):
    """One learned vector per position, BERT's default (Hugging Face: `position_embeddings`)."""

    def __init__(self, config: BertConfig):
        super().__init__(config.max_position_embeddings, config.hidden_size)


class PositionalEncoding(nn.Module):
    """Fixed sinusoidal positions from "Attention Is All You Need" (Vaswani et al., 2017):

        PE[pos, 2i]   = sin(pos / 10000^(2i / d))
        PE[pos, 2i+1] = cos(pos / 10000^(2i / d))

    It has no parameters, so it is a non-persistent buffer: checkpoints never carry it.
    """

    def __init__(self, config: BertConfig):
        super().__init__()
        self.register_buffer(
            "weight", sinusoidal_table(config.max_position_embeddings, config.hidden_size), persistent=False
        )

    def forward(self, position_ids: torch.Tensor) -> torch.Tensor:
        return self.weight[position_ids]


def sinusoidal_table(num_positions: int, dim: int) -> torch.Tensor:
    """The (num_positions, dim) table of PositionalEncoding, in float32."""
    position = torch.arange(num_positions, dtype=torch.float64).unsqueeze(1)  # (P, 1)
    inv_freq = torch.exp(torch.arange(0, dim, 2, dtype=torch.float64) * (-math.log(10000.0) / dim))  # (ceil(d/2),)
    table = torch.zeros(num_positions, dim, dtype=torch.float64)
    table[:, 0::2] = torch.sin(position * inv_freq)
    table[:, 1::2] = torch.cos(position * inv_freq[: dim // 2])
    return table.float()


@dataclass
class EmbeddingParts:
    """The three summands, kept apart for inspection; each (B, T, hidden)."""

    token: torch.Tensor
    segment: torch.Tensor
    position: torch.Tensor


class BertEmbeddings(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        self.word_embeddings = TokenEmbedding(config)
        self.token_type_embeddings = SegmentEmbedding(config)
        if config.position_embedding_type == "sinusoidal":
            self.position_embeddings = PositionalEncoding(config)
        else:
            self.position_embeddings = PositionEmbedding(config)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def materialize_buffers(self) -> None:
        """Recompute the fixed sinusoidal table after building on the meta device (it is not
        in checkpoints, so loading cannot supply it)."""
        if isinstance(self.position_embeddings, PositionalEncoding):
            pe = self.position_embeddings
            pe.weight = sinusoidal_table(*pe.weight.shape)

    def forward(
        self, input_ids: torch.Tensor, token_type_ids: torch.Tensor, keep_parts: bool = False
    ) -> tuple[torch.Tensor, EmbeddingParts | None]:
        # input_ids, token_type_ids: (B, T)
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)  # (T,)
        token = self.word_embeddings(input_ids)  # (B, T, hidden)
        segment = self.token_type_embeddings(token_type_ids)  # (B, T, hidden)
        position = self.position_embeddings(positions).unsqueeze(0)  # (1, T, hidden)
        x = self.dropout(self.LayerNorm(token + segment + position))  # (B, T, hidden)
        parts = EmbeddingParts(token, segment, position.expand_as(token)) if keep_parts else None
        return x, parts
