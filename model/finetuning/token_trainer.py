"""Token classification: a tag for every word (chunks, named entities, parts of speech), read
from the word's first WordPiece token, as Hugging Face's BertForTokenClassification is trained;
the word's other pieces, [CLS], [SEP] and padding carry the label -100, which the loss skips.

Everything else is the sentence classifier's (trainer.FineTuner): the training loop, the
schedule, checkpoints, cancel, the time budget and data-parallel runs. Training sentences longer
than the maximum length are cut (the run says how many, and how many words that loses);
evaluation sentences are read in pieces cut between words instead, so that every word of the
evaluation data is scored, as conlleval scores a file."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from .datasets import count_of
from .token_datasets import (
    TaggedDataset,
    check_taggable,
    load_token_dataset,
    split_sentences,
    unseen_tags_warning,
)
from .token_metrics import OUTSIDE, TagCounter, TaggingCounts, TaggingMetrics, tag_order, tagging_metrics
from .trainer import FineTuner

IGNORED = -100  # the label of a position the loss skips (PyTorch's and Hugging Face's convention)
EVAL_BATCH = 64


class TaggedItem(NamedTuple):  # a training sentence
    ids: list[int]  # [CLS] pieces [SEP]
    labels: list[int]  # the tag id at each word's first piece, IGNORED elsewhere


class EvalWindow(NamedTuple):  # an evaluation sentence, or a piece of a long one
    ids: list[int]
    labels: list[int]
    sentence: int  # its index in the evaluation data
    words: list[int]  # the word of each labelled position, in order


def first_pieces(word_ids: list[int]) -> list[bool]:
    """True at each word's first token."""
    return [i == 0 or w != word_ids[i - 1] for i, w in enumerate(word_ids)]


def windows(word_ids: list[int], room: int) -> list[tuple[int, int]]:
    """(start, end) token ranges of at most `room` tokens that cover the sentence, cut between
    words (inside a word only when one word alone is longer than `room`)."""
    spans, start, n = [], 0, len(word_ids)
    while start < n:
        end = min(start + room, n)
        if end < n:
            cut = end
            while cut > start and word_ids[cut] == word_ids[cut - 1]:  # back to the first piece of that word
                cut -= 1
            end = cut if cut > start else end
        spans.append((start, end))
        start = end
    return spans


class TokenFineTuner(FineTuner):
    """A tag per word, from the encoder's output at the word's first token."""

    head = "token"

    def _read_data(self) -> tuple[TaggedDataset, TaggedDataset]:
        s = self.settings
        train = load_token_dataset(s.train, s.tag_column)
        if s.eval:
            eval_set = load_token_dataset(s.eval, s.tag_column)
        else:
            train, eval_set = split_sentences(train, s.eval_fraction, s.seed)
        check_taggable(train, s.batch_size)
        unseen = unseen_tags_warning(train, eval_set)
        if unseen:
            self.notes.append(unseen)
        return train, eval_set

    def _label_names(self) -> list[str]:
        # Evaluation tags that training lacks get an output too, never learnt: their words count as errors.
        return tag_order(set(self.train_set.tag_counts()) | set(self.eval_set.tag_counts()))

    @property
    def _room(self) -> int:
        return self.tokenizer.max_length - 2  # [CLS] and [SEP] take two positions

    def _wrap(self, ids: list[int], labels: list[int]) -> tuple[list[int], list[int]]:
        return [self.tokenizer.cls_token_id, *ids, self.tokenizer.sep_token_id], [IGNORED, *labels, IGNORED]

    def _encode(self, ds: TaggedDataset) -> list[TaggedItem]:
        tag_id = {t: i for i, t in enumerate(self.labels)}
        room, items = self._room, []
        cut, lost, skipped = 0, 0, 0
        for sentence, pieces in zip(ds.sentences, self.tokenizer.encode_words_batch([s.words for s in ds.sentences])):
            first = first_pieces(pieces.word_ids)
            labels = [tag_id[sentence.tags[w]] if f else IGNORED for w, f in zip(pieces.word_ids, first)]
            if len(pieces.ids) > room:
                cut += 1
                lost += sum(first[room:])
            if not any(first[:room]):  # nothing to learn from: every word was only control characters
                skipped += 1
                continue
            items.append(TaggedItem(*self._wrap(pieces.ids[:room], labels[:room])))
        if cut:
            self.notes.append(
                f"{count_of(cut, 'training sentence')} of {len(ds):,} {'is' if cut == 1 else 'are'} longer than "
                f"{self.tokenizer.max_length} tokens and {'was' if cut == 1 else 'were'} cut: "
                f"{count_of(lost, 'word')} at their ends {'is' if lost == 1 else 'are'} not trained on "
                "(a larger maximum length keeps them)"
            )
        if skipped:
            self.notes.append(
                f"{count_of(skipped, 'training sentence')} with no word WordPiece can read (only control "
                "characters) left out"
            )
        return items

    def _encode_eval(self, ds: TaggedDataset) -> list[EvalWindow]:
        tag_id = {t: i for i, t in enumerate(self.labels)}
        self.eval_gold = [[tag_id[t] for t in s.tags] for s in ds.sentences]
        out, split, unread = [], 0, 0
        for index, pieces in enumerate(self.tokenizer.encode_words_batch([s.words for s in ds.sentences])):
            gold, first = self.eval_gold[index], first_pieces(pieces.word_ids)
            unread += len(gold) - sum(first)
            spans = windows(pieces.word_ids, self._room)
            split += len(spans) > 1
            for start, end in spans:
                word_ids, starts = pieces.word_ids[start:end], first[start:end]
                labels = [gold[w] if f else IGNORED for w, f in zip(word_ids, starts)]
                words = [w for w, f in zip(word_ids, starts) if f]
                out.append(EvalWindow(*self._wrap(pieces.ids[start:end], labels), index, words))
        if split:
            self.notes.append(
                f"{count_of(split, 'evaluation sentence')} longer than {self.tokenizer.max_length} tokens "
                f"{'is' if split == 1 else 'are'} read in pieces cut between words, so that every word is scored"
            )
        if unread:
            self.notes.append(
                f"{count_of(unread, 'evaluation word')} with no WordPiece token (only control characters) "
                f"{'is' if unread == 1 else 'are'} predicted {self._fallback_tag}"
            )
        return out

    @property
    def _fallback_tag(self) -> str:
        """What a word the model cannot read is predicted as: O, or without O the commonest training tag."""
        if OUTSIDE in self.labels:
            return OUTSIDE
        return self.train_set.tag_counts().most_common(1)[0][0]

    def _collate(self, items) -> tuple[torch.Tensor, ...]:
        # Widths rounded up to a multiple of 8, as for sentences: a few shapes per run.
        T = -(-max(len(item[0]) for item in items) // 8) * 8
        ids = torch.full((len(items), T), self.tokenizer.pad_token_id, dtype=torch.long)
        labels = torch.full_like(ids, IGNORED)
        mask = torch.zeros_like(ids)
        for r, (i, lab, *_) in enumerate(items):
            ids[r, : len(i)] = torch.tensor(i)
            labels[r, : len(lab)] = torch.tensor(lab)
            mask[r, : len(i)] = 1
        types = torch.zeros_like(ids)  # one sentence: segment A throughout
        return tuple(x.to(self.device) for x in (ids, types, mask, labels))

    # --- the task the training loop runs ----------------------------------------------------

    def loss(self, module: torch.nn.Module, batch: np.ndarray) -> tuple[torch.Tensor, dict[str, float]]:
        ids, types, mask, labels = self._collate([self.train_batches[i] for i in batch])
        logits = module(ids, types, mask, mlm_positions=False, nsp=False).classifier_logits  # (B, T, tags)
        summed = F.cross_entropy(logits.float().flatten(0, 1), labels.flatten(), ignore_index=IGNORED, reduction="sum")
        # The mean over the words of the whole global batch. Ranks hold different numbers of words,
        # so the mean of each rank's own mean (what averaging their gradients would give) is not it:
        # each rank divides by the global count instead, times the world size that the average divides by.
        words = torch.tensor([float((labels != IGNORED).sum())])
        if self.world > 1:
            dist.all_reduce(words)  # a CPU tensor: summed by gloo
        return summed * self.world / words.clamp(min=1).item(), {"tokens": int(mask.sum())}

    @torch.no_grad()
    def evaluate(self) -> TaggingMetrics:
        """Word accuracy and chunk scores over the whole evaluation data; the loss is the mean
        per word. Each rank scores its share of the sentences; the counts are summed."""
        self.network.eval()
        mine = range(self.rank, len(self.eval_gold), self.world)
        fallback = self.labels.index(self._fallback_tag)
        predicted = {i: [fallback] * len(self.eval_gold[i]) for i in mine}
        # Shortest first: batches of like lengths waste little on padding.
        shard = sorted((w for w in self.eval_batches if w.sentence % self.world == self.rank), key=lambda w: len(w.ids))
        loss_sum, scored = 0.0, 0
        for start in range(0, len(shard), EVAL_BATCH):
            batch = shard[start : start + EVAL_BATCH]
            ids, types, mask, labels = self._collate(batch)
            logits = self._logits(ids, types, mask).float()  # (B, T, tags)
            keep = labels != IGNORED
            loss_sum += F.cross_entropy(logits[keep], labels[keep], reduction="sum").item()
            scored += int(keep.sum())
            best, keep = logits.argmax(-1).cpu(), keep.cpu()
            for row, window in enumerate(batch):
                for word, tag in zip(window.words, best[row][keep[row]].tolist()):
                    predicted[window.sentence][word] = tag
        counter = TagCounter(self.labels)
        for i in mine:
            counter.add(self.eval_gold[i], predicted[i])
        totals = torch.from_numpy(np.concatenate([counter.counts.vector(), [loss_sum, scored]]))
        if self.world > 1:
            dist.all_reduce(totals)  # a CPU tensor: summed by gloo (see train_loop.start_distributed)
        self.network.train()
        totals = totals.numpy()
        counts = TaggingCounts.from_vector(totals[:-2], len(self.labels), len(counter.types))
        return tagging_metrics(counts, self.labels, float(totals[-2] / max(1.0, totals[-1])))
