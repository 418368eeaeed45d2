"""Choosing where the network runs."""

from __future__ import annotations

import torch

from .errors import BertError


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """"auto" -> the first CUDA device when there is one, else the CPU; "cpu"; "cuda"; "cuda:N"."""
    name = str(device)
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(name)
    except RuntimeError:
        raise BertError(f"unknown device '{name}'; use auto, cpu, cuda or cuda:N") from None
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            raise BertError(f"device '{name}' asked for, but CUDA is not available on this machine; use --device cpu")
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise BertError(f"device '{name}' does not exist; this machine has {torch.cuda.device_count()} CUDA device(s)")
    elif dev.type != "cpu":
        raise BertError(f"device '{name}' is not supported; use auto, cpu, cuda or cuda:N")
    return dev
