"""The Fine-tune tab's form: the data, the settings and the run buttons. It turns what the user
set into the run's settings, a FinetuneSettings or a PretrainSettings."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from model.finetuning.settings import FinetuneSettings, suggested_learning_rate  # pure: no torch on the GUI thread
from model.pretraining.settings import PretrainSettings

from ..views.strict_spin_box import StrictDoubleSpinBox, StrictSpinBox
from ..views.view_options import RemembersControls
from .dataset_panel import DatasetPanel, choose_folder, path_row
from .sample_data import default_output_folder, start_folder


def absolute(path_text: str) -> str:
    """The folder a typed path names, in full: the status then says where the model really is.
    Raises ValueError for a ~user whose home folder is unknown."""
    text = path_text.strip()
    if not text:
        return ""
    try:
        return str(Path(text).expanduser().resolve())
    except RuntimeError:  # pathlib's "Could not determine home directory"
        raise ValueError(f"{text}: no such user's home folder; type the folder's full path") from None


class FinetuneForm(RemembersControls, QWidget):
    pauseToggled = Signal(bool)
    inputsChanged = Signal()  # the data, its columns, the task or the output folder: what a run's error was about

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data = DatasetPanel()
        self.train_edit, self.eval_edit = self.data.train_edit, self.data.eval_edit
        self.task = QComboBox(
            toolTip=self.tr(
                "Train a classifier on labelled rows, or continue the model's pretraining (masked words "
                "and next sentence) on your own text, keeping its vocabulary"
            )
        )
        self.task.addItem(self.tr("Classify sentences or pairs (labelled rows)"), "classify")
        self.task.addItem(self.tr("Continue pretraining on a text file (masked LM + NSP)"), "pretrain")
        self.task.addItem(self.tr("Tag words (token classification: chunks, names)"), "tokens")
        self.task.currentIndexChanged.connect(self._on_task_changed)
        self.task.setToolTip(
            self.tr(
                "<p><b>Classify</b>: train a classifier (a new layer on top of the model) on rows labelled "
                "with classes, such as positive and negative reviews.</p><p><b>Continue pretraining</b>: "
                "go on teaching the model masked words and next sentences on your own plain text, keeping "
                "its vocabulary.</p><p><b>Tag words</b>: train a tagger that gives every word a tag, such "
                "as its chunk (B-NP begins a noun phrase, I-NP continues it, O is outside any) or a named "
                "entity (B-PER, I-LOC), from sentences tagged word by word.</p>"
            )
        )
        self.data_box = QGroupBox(self.tr("Data"))
        data_layout = QVBoxLayout(self.data_box)
        data_layout.addWidget(self.task)
        data_layout.addWidget(self.data)
        self.settings_box = self._settings_box()
        self.base_label = QLabel(self.tr("Starts from the model loaded in the inspector."))
        self.base_label.setWordWrap(True)
        self.base_label.setToolTip(self.tr("Load another model (File > Open) to fine-tune that one instead"))
        # One line for what the form refuses (an out-of-range number), in sight below the scrolling part.
        self.message = QLabel("", wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self._message_from: QWidget | None = None
        self._default_out = ""  # the output folder the form filled in, replaced when the data changes

        form_widget = QWidget()
        form_layout = QVBoxLayout(form_widget)
        form_layout.addWidget(self.base_label)
        form_layout.addWidget(self.data_box, 1)
        form_layout.addWidget(self.settings_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        scroll.setMinimumWidth(360)
        layout = QVBoxLayout(self)  # the run buttons stay in sight below the scrolling form
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())
        self.message.hide()

        self.train_edit.editingFinished.connect(self._on_train_edit_finished)
        for edit in (self.train_edit, self.eval_edit, self.out_edit):
            edit.textChanged.connect(self.inputsChanged)
        self.task.currentIndexChanged.connect(self.inputsChanged)
        for combo in (self.data.text_combo, self.data.text_b_combo, self.data.label_combo, self.data.tag_combo):
            combo.activated.connect(self.inputsChanged)

    def _settings_box(self) -> QGroupBox:
        self.out_edit, out_row = path_row(
            self.tr("set from the data"),
            self.tr(
                "<p>Where the fine-tuned model is written, as a Hugging Face folder (new, or holding only "
                "an earlier model). Filled in beside the data when you choose it (the sample's model goes "
                "under your home folder); type another folder to keep it elsewhere.</p><p>The model "
                "appears when the run finishes, or at the first checkpoint (Save every).</p>"
            ),
            choose_folder,
            lambda: start_folder(self.out_edit.text(), self.train_edit.text()),
        )
        defaults = FinetuneSettings(train="", out="")
        self.epochs = StrictSpinBox(
            name="Epochs",
            minimum=1,
            maximum=100,
            value=defaults.epochs,
            toolTip=self.tr(
                "<p>How many times training goes through every training row.</p><p>Too few and the loss is "
                "still falling at the end; too many and the model memorises its training rows (the eval "
                "loss turns up while the training loss keeps falling). 2 to 5 suit most data.</p>"
            ),
        )
        self.max_steps = StrictSpinBox(
            name=self.tr("Max steps"),
            minimum=0,
            maximum=1_000_000,
            value=0,
            specialValueText=self.tr("use epochs"),
            toolTip=self.tr(
                "<p>Stop after this many optimizer steps (one step = one batch of rows) instead of after "
                "the epochs. 0: use the epochs.</p>"
            ),
        )
        self.time_budget = StrictSpinBox(
            name=self.tr("Time limit"),
            minimum=0,
            maximum=24 * 60,
            value=0,
            suffix=" min",
            specialValueText="none",
            toolTip=self.tr(
                "<p>End training after this many minutes (pauses not counted), then evaluate and save as "
                "usual; the learning rate is scheduled to reach 0 by then. 0: no limit.</p>"
            ),
        )
        self.batch = StrictSpinBox(
            name=self.tr("Batch size"),
            minimum=1,
            maximum=1024,
            value=defaults.batch_size,
            toolTip=self.tr(
                "<p>Rows per training step. Larger batches give smoother, fewer steps and need more "
                "memory; smaller ones give more, noisier steps.</p>"
            ),
        )
        self.lr = StrictDoubleSpinBox(
            name=self.tr("Learning rate"),
            decimals=6,
            minimum=1e-6,
            maximum=1e-2,
            singleStep=1e-5,
            value=1e-4,
            toolTip=self.tr(
                "<p>How big a step each update takes at its peak (it warms up, then falls to 0). Set to "
                "suit the loaded model when it loads.</p><p>Too high: the loss jumps about or rises. Too "
                "low: it falls very slowly.</p>"
            ),
        )
        self.warmup = StrictDoubleSpinBox(
            name="Warmup",
            decimals=2,
            minimum=0.0,
            maximum=0.5,
            singleStep=0.05,
            value=defaults.warmup_ratio,
            toolTip=self.tr(
                "<p>Share of the steps over which the learning rate rises from 0 to its peak (0.1 = the "
                "first tenth), so that the new classifier's first, random answers do not shake the "
                "model.</p>"
            ),
        )
        self.weight_decay = StrictDoubleSpinBox(
            name=self.tr("Weight decay"),
            decimals=3,
            minimum=0.0,
            maximum=0.5,
            singleStep=0.01,
            value=defaults.weight_decay,
            toolTip=self.tr(
                "<p>Pulls the weights gently towards 0 at every step (AdamW; not biases or LayerNorm): a "
                "mild guard against memorising.</p>"
            ),
        )
        self.dropout = StrictDoubleSpinBox(
            name="Dropout",
            decimals=2,
            minimum=-0.05,
            maximum=0.9,
            singleStep=0.05,
            value=-0.05,
            specialValueText=self.tr("model's own"),
            toolTip=self.tr(
                "<p>Share of the hidden, attention and classifier values dropped at random while training: "
                "more dropout fights memorising (try 0.2 to 0.3 when the eval loss turns up). The lowest "
                "setting keeps the model's own.</p>"
            ),
        )
        self.max_len = StrictSpinBox(
            name=self.tr("Max length"),
            minimum=8,
            maximum=512,
            value=defaults.max_len,
            toolTip=self.tr(
                "<p>Tokens per row, [CLS] and [SEP] included; longer rows are cut. Shorter runs faster; "
                "the model itself reads at most its own maximum.</p><p>A tagger's training sentences are "
                "cut too (the log says how many words that loses); its evaluation sentences are read in "
                "pieces instead, so that every word is scored.</p>"
            ),
        )
        self.grad_accum = StrictSpinBox(
            name=self.tr("Gradient accumulation"),
            minimum=1,
            maximum=64,
            value=defaults.grad_accum,
            toolTip=self.tr(
                "<p>Batches added up per optimizer step: the effect of a batch this many times larger, in "
                "the memory of one.</p>"
            ),
        )
        self.freeze_embeddings = QCheckBox(
            self.tr("freeze embeddings"),
            toolTip=self.tr(
                "<p>Keep the token, position and segment embedding tables as they are: fewer weights to "
                "train, which can help on little data.</p>"
            ),
        )
        self.freeze_layers = StrictSpinBox(
            name=self.tr("Freeze lowest layers"),
            minimum=0,
            maximum=48,
            value=defaults.freeze_layers,
            toolTip=self.tr(
                "<p>Keep the lowest N encoder layers as they are and train only the layers above and the "
                "classifier: faster, and it guards the model's general knowledge on little data.</p>"
            ),
        )
        self.checkpoint_every = StrictSpinBox(
            name=self.tr("Save every"),
            minimum=0,
            maximum=1_000_000,
            value=0,
            singleStep=50,
            suffix=" steps",
            specialValueText=self.tr("at the end only"),
            toolTip=self.tr(
                "<p>Also save the model every N steps, so that a cancelled run keeps its latest "
                "checkpoint. 0: save only at the end.</p>"
            ),
        )
        self.seed = StrictSpinBox(
            name="Seed",
            minimum=0,
            maximum=2**31 - 1,
            value=defaults.seed,
            toolTip=self.tr(
                "<p>Starts the random choices (row order, the new classifier's first weights, dropout). "
                "Same seed, same data, same device: the same result; another seed shows how much of a "
                "result is luck.</p>"
            ),
        )
        box = QGroupBox(self.tr("Settings"))
        form = QFormLayout(box)
        form.addRow(self.tr("Output folder"), out_row)
        for name, widget in (
            (self.tr("Epochs"), self.epochs),
            (self.tr("Max steps"), self.max_steps),
            (self.tr("Time limit"), self.time_budget),
            (self.tr("Batch size"), self.batch),
            (self.tr("Learning rate"), self.lr),
            (self.tr("Warmup"), self.warmup),
            (self.tr("Weight decay"), self.weight_decay),
            (self.tr("Dropout"), self.dropout),
            (self.tr("Max length"), self.max_len),
            (self.tr("Gradient accumulation"), self.grad_accum),
            (self.tr("Freeze lowest layers"), self.freeze_layers),
            ("", self.freeze_embeddings),
            (self.tr("Save every"), self.checkpoint_every),
            (self.tr("Seed"), self.seed),
        ):
            form.addRow(name, widget)
            if isinstance(widget, (StrictSpinBox, StrictDoubleSpinBox)):
                widget.inputRefused.connect(lambda text, box=widget: self._on_spin_box_input_refused(box, text))
        for row in range(form.rowCount()):  # the row's name explains itself as its field does
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label and field and field.widget():
                tip = field.widget().toolTip() or self.out_edit.toolTip()
                label.widget().setToolTip(tip)
        return box

    def _buttons(self) -> QHBoxLayout:
        self.start_button = QPushButton(self.tr("Start"), toolTip=self.tr("Fine-tune the loaded model on this data"))
        self.pause_button = QPushButton(
            self.tr("Pause"), checkable=True, enabled=False, toolTip=self.tr("Pause or resume the run")
        )
        self.cancel_button = QPushButton(
            self.tr("Cancel"),
            enabled=False,
            toolTip=self.tr("Stop the run; only a complete checkpoint (see Save every) is kept"),
        )
        self.open_button = QPushButton(
            self.tr("Open in inspector"),
            enabled=False,
            toolTip=self.tr("Load the fine-tuned model into the other tabs"),
        )
        self.pause_button.toggled.connect(self._on_pause_toggled)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.cancel_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        return buttons

    def set_model_defaults(self, hidden_size: int, num_layers: int) -> None:
        """Settings that suit the model just loaded into the inspector (the one a run starts from)."""
        self.lr.setValue(suggested_learning_rate(hidden_size))
        self.freeze_layers.setMaximum(num_layers)

    def set_base_model(self, name: str) -> None:
        """The model a run starts from: whatever the inspector has loaded, a fine-tuned one included."""
        self.base_label.setText(
            self.tr("Starts from <b>{0}</b>, the model loaded in the inspector.").format(html.escape(name))
        )

    def _on_spin_box_input_refused(self, box: QWidget, message: str) -> None:
        if message:
            self._message_from = box
            self.message.setText(message)
            self.message.show()
        elif self._message_from is box:  # that box holds a number in range again
            self._message_from = None
            self.message.hide()

    def _on_train_edit_finished(self) -> None:
        """New data: the model goes beside it, unless the user has typed an output folder of their own."""
        if self.out_edit.text().strip() in ("", self._default_out):
            self.fill_default_output()

    def fill_default_output(self) -> None:
        train = self.train_edit.text().strip()
        if not train:
            return
        self._default_out = default_output_folder(train)
        self.out_edit.setText(self._default_out)

    def is_pretraining(self) -> bool:
        return self.task.currentData() == "pretrain"

    def is_tagging(self) -> bool:
        return self.task.currentData() == "tokens"

    def _on_task_changed(self) -> None:
        pretraining = self.is_pretraining()
        self.data.set_task(self.task.currentData())
        self.epochs.setEnabled(not pretraining)
        if pretraining and self.max_steps.value() == 0:
            self.max_steps.setValue(1000)  # plain text has no natural epoch for a short run
        self.max_steps.setMinimum(1 if pretraining else 0)
        self.start_button.setToolTip(
            self.tr("Continue pretraining the loaded model on this text")
            if pretraining
            else self.tr("Fine-tune a tagger from the loaded model on these tagged words")
            if self.is_tagging()
            else self.tr("Fine-tune the loaded model on this data")
        )

    def _on_pause_toggled(self, paused: bool) -> None:
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pauseToggled.emit(paused)

    def set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        # The run has read its data and settings: editing them now would change nothing but the display.
        self.data_box.setEnabled(not running)
        self.settings_box.setEnabled(not running)
        if not running:
            self.pause_button.setChecked(False)

    # --- the settings ------------------------------------------------------------------------

    FILE_CONTROLS = ("train", "eval")

    def set_options(self, options: dict) -> None:
        super().set_options(options)
        # The preview reads the file on the worker: only a regular file that is there is worth it
        # (a FIFO would block the worker for good; a missing file stays in the form, unread).
        if Path(self.train_edit.text().strip()).is_file():
            self.train_edit.editingFinished.emit()  # show the remembered dataset's preview again

    def remembered_controls(self) -> dict:
        """The form as the user left it. Not the learning rate, which is set to suit each model as
        it loads, nor the data columns, detected again when the file is previewed."""
        return {
            "task": self.task,
            "train": self.train_edit,
            "eval": self.eval_edit,
            "out": self.out_edit,
            "epochs": self.epochs,
            "max_steps": self.max_steps,
            "time_budget": self.time_budget,
            "batch": self.batch,
            "warmup": self.warmup,
            "weight_decay": self.weight_decay,
            "dropout": self.dropout,
            "max_len": self.max_len,
            "grad_accum": self.grad_accum,
            "freeze_embeddings": self.freeze_embeddings,
            "freeze_layers": self.freeze_layers,
            "checkpoint_every": self.checkpoint_every,
            "seed": self.seed,
        }

    def is_complete(self) -> bool:
        """Training data is chosen; an output folder left empty is filled in beside it."""
        if self.train_edit.text().strip() and not self.out_edit.text().strip():
            self.fill_default_output()
        return bool(self.train_edit.text().strip() and self.out_edit.text().strip())

    def run_settings(self) -> FinetuneSettings | PretrainSettings:
        """The run the Start button asks for; the base model and the device are the controller's to
        fill in. Raises ValueError for an output folder that cannot be named in full."""
        return self._pretrain_settings() if self.is_pretraining() else self._finetune_settings()

    def _finetune_settings(self) -> FinetuneSettings:
        dropout = self.dropout.value()
        return FinetuneSettings(
            task="tokens" if self.is_tagging() else "sequence",
            train=self.train_edit.text().strip(),
            eval=self.eval_edit.text().strip() or None,
            **self.data.columns(),
            out=absolute(self.out_edit.text()),
            epochs=self.epochs.value(),
            max_steps=self.max_steps.value() or None,
            batch_size=self.batch.value(),
            lr=self.lr.value(),
            warmup_ratio=self.warmup.value(),
            weight_decay=self.weight_decay.value(),
            dropout=None if dropout < 0 else dropout,
            max_len=self.max_len.value(),
            grad_accum=self.grad_accum.value(),
            freeze_embeddings=self.freeze_embeddings.isChecked(),
            freeze_layers=self.freeze_layers.value(),
            seed=self.seed.value(),
            time_budget_s=self._time_budget_s(),
            checkpoint_every=self.checkpoint_every.value() or None,
            log_every=1,
        )

    def _pretrain_settings(self) -> PretrainSettings:
        """Continued pretraining of the base model (its vocabulary and architecture) on a text file."""
        steps, budget = self.max_steps.value(), self._time_budget_s()
        return PretrainSettings(
            corpus=self.train_edit.text().strip(),
            out=absolute(self.out_edit.text()),
            max_len=self.max_len.value(),
            batch_size=self.batch.value(),
            lr=self.lr.value(),
            warmup_steps=max(1, round(self.warmup.value() * steps)),
            max_steps=steps,
            weight_decay=self.weight_decay.value(),
            seed=self.seed.value(),
            log_every=1,
            checkpoint_every=self.checkpoint_every.value() or max(100, steps // 10),
            time_budget_s=budget,
            # As in a fine-tune: with a time limit the learning rate decays to 0 as it ends (max_steps is a cap).
            fit_schedule=budget is not None,
        )

    def _time_budget_s(self) -> float | None:
        return self.time_budget.value() * 60 or None
