"""Fine-tuning a loaded BERT on a labelled dataset (sentences or sentence pairs)."""
