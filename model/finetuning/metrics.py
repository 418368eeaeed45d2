"""Classification metrics on the eval split."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class ClassificationMetrics:
    loss: float
    accuracy: float
    macro_f1: float
    confusion: np.ndarray  # (labels, labels) int64; rows = true label, columns = predicted

    accuracy_name = "accuracy"  # what the curves call `accuracy`
    score_name = "macro-F1"  # and `score`, the headline score beside it (a tagger's is chunk F1)

    @property
    def score(self) -> float:
        return self.macro_f1

    def as_dict(self) -> dict:
        return {"eval_loss": self.loss, "accuracy": self.accuracy, "macro_f1": self.macro_f1}


def classification_metrics(
    true: np.ndarray, predicted: np.ndarray, num_labels: int, loss: float
) -> ClassificationMetrics:
    confusion = np.zeros((num_labels, num_labels), dtype=np.int64)
    np.add.at(confusion, (true, predicted), 1)
    tp = np.diag(confusion).astype(np.float64)
    precision = np.divide(tp, confusion.sum(0), out=np.zeros_like(tp), where=confusion.sum(0) > 0)
    recall = np.divide(tp, confusion.sum(1), out=np.zeros_like(tp), where=confusion.sum(1) > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros_like(tp), where=(precision + recall) > 0)
    present = confusion.sum(1) > 0  # macro-F1 over the classes that occur in the eval split
    return ClassificationMetrics(
        loss, float(tp.sum() / max(1, confusion.sum())), float(f1[present].mean()) if present.any() else 0.0, confusion
    )
