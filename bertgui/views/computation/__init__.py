"""The Computation tab: how BERT computes, on the loaded model and the current sentence."""

from .computation_view import ComputationView

__all__ = ["ComputationView"]
