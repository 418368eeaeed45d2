"""BERT Explorer's model core: a BERT written from scratch in PyTorch, Hugging Face checkpoint
compatibility, WordPiece tokenization and the inspection API. Never imports Qt.

    import model
    bert = model.load()                     # the bundled model, or model.load("path/to/folder")
    result = bert.inspect("The cat sat on the [MASK].")
    result.attentions.shape                 # (layers, heads, T, T)
"""

from .bert import BUNDLED_MODEL, Bert, load
from .checkpoint import load_checkpoint, save_checkpoint
from .config import BertConfig
from .errors import BertError, CapabilityError, CheckpointError, ModelNotFoundError
from .heads import BertWithHeads, HeadSpec
from .inspection import Inspection, LogitLens, MaskPrediction, Prediction
from .rollout import attention_rollout
from .tokenizer import BertTokenizer, Encoding

__all__ = [
    "BUNDLED_MODEL", "Bert", "BertConfig", "BertError", "BertTokenizer", "BertWithHeads", "CapabilityError",
    "CheckpointError", "Encoding", "HeadSpec", "Inspection", "LogitLens", "MaskPrediction", "ModelNotFoundError",
    "Prediction", "attention_rollout", "load", "load_checkpoint", "save_checkpoint",
]
