"""The one error family the model package raises for bad input.

Every message is a single line that names the file (and the tensor, where there is
one) and says what to do, so the CLI and the GUI can show it as it is.
"""


class BertError(Exception):
    """Base class: anything a user can fix (a bad folder, a bad argument)."""


class CheckpointError(BertError):
    """A model folder that cannot be loaded or saved; nothing was half-loaded."""


class ModelNotFoundError(CheckpointError):
    """No model folder at the given path (or the bundled model is not installed)."""


class CapabilityError(BertError):
    """The loaded checkpoint lacks the head a request needs (e.g. fill-mask without an MLM head)."""


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message (library errors can span many lines)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
