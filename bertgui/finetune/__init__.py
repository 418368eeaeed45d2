"""The Fine-tune tab: a form for the run, a monitor for its progress, a panel for its results
(bertgui.finetune.view composes them), a controller that trains on a thread of its own, and
the wing that wires them to each other and to the inspector's model."""
