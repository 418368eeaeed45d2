"""Pretraining BERT from scratch, as Devlin et al. (2019) describe it: a WordPiece vocabulary,
sentence-pair examples with next-sentence labels, dynamic 80/10/10 masking, AdamW with warmup
and linear decay. `python -m model pretrain` drives it."""
