"""Choosing where the network runs."""

from __future__ import annotations

from pathlib import Path

import torch

from .errors import BertError


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """ "auto" -> the first CUDA device when there is one, else the CPU; "cpu"; "cuda"; "cuda:N"."""
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
            raise BertError(
                f"device '{name}' does not exist; this machine has {torch.cuda.device_count()} CUDA device(s)"
            )
    elif dev.type != "cpu":
        raise BertError(f"device '{name}' is not supported; use auto, cpu, cuda or cuda:N")
    return dev


def cpu_has_native_bf16() -> bool:
    """AMX: there bf16 autocast trains about twice as fast as fp32 (measured on two cores,
    4-layer model). AVX-512 BF16 alone is not enough: on such a CPU (two cores, no AMX) bf16
    autocast pretrained the 4-layer model at 3,800 tokens/s against fp32's 5,900."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return False
    return " amx_bf16" in flags


def use_bf16(precision: str, device: torch.device) -> bool:
    """Whether to train under bf16 autocast: "bf16", "fp32", or "auto" (where the hardware does bf16 natively)."""
    if precision == "fp32":
        return False
    if precision == "bf16":
        return True
    if precision != "auto":
        raise BertError(f"unknown precision '{precision}'; use auto, bf16 or fp32")
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return device.type == "cpu" and cpu_has_native_bf16()
