"""The Fine-tune tab wired: its view, its controller, and what they need of the inspector (the
sentence the attention comparison runs on). MainWindow only places the view and loads the model
a run made when the user asks to open it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from .controller import FinetuneController
from .view import FinetuneView

if TYPE_CHECKING:
    from ..controller import Controller

DEFAULT_COMPARISON_TEXT = "The cat sat on the mat."


class FinetuneWing(QObject):
    openModelRequested = Signal(str)  # the folder of the model a run made, for the inspector

    def __init__(
        self,
        inspector: Controller,
        inspector_text: Callable[[], tuple[str, str]],
        dialogs: QWidget | None,
        parent: QObject | None = None,
    ):
        """`inspector_text` gives the inspector's sentences A and B; `dialogs` see FinetuneController."""
        super().__init__(parent)
        self._inspector_text = inspector_text
        self.view = view = FinetuneView()
        self.controller = controller = FinetuneController(inspector, dialogs, self)
        view.startRequested.connect(controller.start_from_inspector_model)
        view.pauseToggled.connect(controller.set_paused)
        view.cancelRequested.connect(controller.cancel)
        view.openModelRequested.connect(self.openModelRequested)
        view.previewRequested.connect(controller.preview)
        view.tokenPreviewRequested.connect(controller.preview_tokens)
        view.classifyRequested.connect(controller.classify)
        view.compareRequested.connect(self._on_view_compare_requested)
        controller.runningChanged.connect(view.set_running)
        controller.runStarted.connect(view.run_started)
        controller.progressed.connect(view.monitor.show_step)
        controller.pausedChanged.connect(view.monitor.show_paused)
        controller.evaluated.connect(view.monitor.show_eval)
        controller.runFinished.connect(view.run_finished)
        controller.runFinished.connect(self._on_controller_run_finished)
        controller.runFailed.connect(view.run_failed)
        controller.pretrainFinished.connect(view.pretrain_finished)
        controller.pretrainFinished.connect(self._on_view_compare_requested)  # its arguments are not needed
        controller.logged.connect(view.monitor.log.appendPlainText)
        controller.previewReady.connect(view.form.data.show_preview)
        controller.previewFailed.connect(view.form.data.show_error)
        controller.classified.connect(view.results.show_probabilities)
        controller.attentionCompared.connect(view.results.show_attention_change)
        controller.resultFailed.connect(view.results.show_error)

    @Slot(object)
    def _on_controller_run_finished(self, result) -> None:
        if result.output is not None:
            self._on_view_compare_requested()

    @Slot()
    def _on_view_compare_requested(self) -> None:
        """How the new model's attention differs from its base model's, on the sentence in the inspector."""
        text, text_b = self._inspector_text()
        self.controller.compare_attention(text or DEFAULT_COMPARISON_TEXT, text_b)
