"""Application entry point: `python main.py` or the `bertgui` console script.

python main.py [--model DIR|HUB_ID] [--device auto|cpu|cuda] [--text "..."] [--text-b "..."]
               [--tab NAME] [--head LAYER-HEAD] [--size WIDTHxHEIGHT] [--dark] [--screenshot FILE.png]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .i18n import ENGLISH, LANGUAGES
from .tab_guide import TAB_NAMES, tab_key

SCREENSHOT_TIMEOUT_MS = 120_000
DEFAULT_TEXT = "The cat sat on the [MASK]."
WINDOW_SIDES = (200, 10_000)  # pixels: the smallest and largest width or height --size accepts
TAB_KEYS = [tab_key(name) for name in TAB_NAMES]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bertgui", description="BERT Explorer")
    parser.add_argument(
        "--model",
        default=None,
        metavar="DIR|ID",
        help="model folder, or a Hugging Face Hub id such as bert-base-uncased: opened from the cache, "
        "else downloaded (default: the bundled model)",
    )
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--text", default=None, help="sentence A to open with (default: the last one)")
    parser.add_argument("--text-b", default=None, help="sentence B to open with")
    parser.add_argument(
        "--tab",
        default=None,
        type=tab_name,
        metavar="NAME",
        help=f"tab to show by name: {', '.join(TAB_KEYS)}",
    )
    parser.add_argument(
        "--head",
        default=None,
        metavar="LAYER-HEAD",
        type=layer_and_head,
        help="head to show in the Attention and Head views, as LAYER-HEAD counted from 0, e.g. 1-1",
    )
    parser.add_argument(
        "--size",
        default=None,
        type=window_size,
        metavar="WxH",
        help="window size in pixels as WIDTHxHEIGHT, e.g. 1280x800",
    )
    parser.add_argument(
        "--dark", action="store_true", help="use the dark palette this time (View > Dark palette remembers it)"
    )
    parser.add_argument(
        "--language",
        default=None,
        choices=sorted(LANGUAGES),
        help="interface language this time (default: the one chosen in View > Language, else the system's)",
    )
    parser.add_argument(
        "--screenshot", default=None, metavar="FILE.png", help="render the window to this PNG once ready, then exit"
    )
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add BERT Explorer to the desktop's application menu (Linux: ~/.local/share), then exit",
    )
    desktop.add_argument(
        "--remove-desktop-entry", action="store_true", help="remove what --install-desktop-entry added, then exit"
    )
    return parser.parse_args(argv)


def tab_name(text: str) -> str:
    """A tab as the command line names it ("Head view", "head-view"), checked before any window exists."""
    if tab_key(text) not in TAB_KEYS:
        raise argparse.ArgumentTypeError(f"no tab '{text}'; choose one of {', '.join(TAB_KEYS)}")
    return tab_key(text)


def window_size(text: str) -> tuple[int, int]:
    low, high = WINDOW_SIDES
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not WIDTHxHEIGHT in pixels, e.g. 1280x800") from None
    if not (low <= width <= high and low <= height <= high):
        raise argparse.ArgumentTypeError(f"'{text}': width and height must each be from {low} to {high} pixels")
    return width, height


def layer_and_head(text: str) -> tuple[int, int]:
    try:
        layer, head = (int(v) for v in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not LAYER-HEAD, e.g. 1-1 (counted from 0)") from None
    return layer, head


def desktop_entry_command(install: bool) -> int:
    from . import desktop_entry

    try:
        if install:
            entry, icon = desktop_entry.install()
            print(f"bertgui: added to the application menu: {entry} (icon {icon})")
        else:
            removed = desktop_entry.remove()
            print(
                f"bertgui: removed {', '.join(map(str, removed))}" if removed else "bertgui: no desktop entry to remove"
            )
    except OSError as exc:
        print(f"bertgui: error: could not write the desktop entry ({exc.strerror or exc})", file=sys.stderr)
        return 1
    return 0


def opening_texts(text: str | None, text_b: str | None, remembered: tuple[str, str]) -> tuple[str, str]:
    """Sentences A and B to open with: the command line's, else the last session's, else the default.
    --text-b alone pairs with the sentence A the app would have shown."""
    if text is None and text_b is None:
        return remembered if any(remembered) else (DEFAULT_TEXT, "")
    return (text if text is not None else (remembered[0] or DEFAULT_TEXT)), (text_b or "")


def hub_model(model: str | None) -> tuple[str | None, str | None]:
    """--model as (a folder to open, a Hub id to download first): a folder wins over an id of the
    same name, and an id whose whole snapshot is in the cache opens from there, without network."""
    from model.hub import cached_snapshot, is_model_id

    if model is None or Path(model).exists() or not is_model_id(model):
        return model, None
    cached = cached_snapshot(model)
    return (str(cached), None) if cached is not None else (None, model)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.install_desktop_entry or args.remove_desktop_entry:
        return desktop_entry_command(args.install_desktop_entry)
    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from model.resource_paths import resources_folder

    from .controller import Controller
    from .garbage import set_aside_long_lived_objects
    from .i18n.translators import chosen_language, install_translators
    from .main_window import MainWindow
    from .palette import apply_palette
    from .settings import AppSettings
    from .worker_thread import any_abandoned

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("BERT Explorer")
    app.setDesktopFileName("bertgui")  # the desktop entry --install-desktop-entry writes
    app.setWindowIcon(QIcon(str(resources_folder() / "icons" / "bertgui.svg")))
    apply_palette(app, dark=False)
    # A screenshot shows exactly what the arguments say: no remembered state is read or written.
    settings = None if args.screenshot else AppSettings()
    language = (args.language or ENGLISH) if settings is None else chosen_language(settings.language, args.language)
    install_translators(app, language)  # parented to the app: they live as long as it
    controller = Controller()
    window = MainWindow(controller, show_dialogs=not args.screenshot, settings=settings)
    if args.tab:
        window.tabs.setCurrentIndex(TAB_KEYS.index(args.tab))
    if args.dark:  # for this session: the remembered choice is View > Dark palette's
        apply_palette(app, dark=True)
        window.dark_action.setChecked(True)
    if args.size:
        window.resize(*args.size)
    window.set_texts(*opening_texts(args.text, args.text_b, settings.text if settings else ("", "")))
    model_path, hub_id = hub_model(args.model)
    if hub_id and args.screenshot:
        print(
            f"bertgui: error: {hub_id} is not in the Hugging Face cache: download it first with "
            f"`python -m model download {hub_id}`",
            file=sys.stderr,
        )
        return 2
    if model_path is None and settings and settings.last_model and Path(settings.last_model).is_dir():
        model_path = settings.last_model
    if args.head:

        def show_head(info) -> None:  # once the model's shape is known; a head it lacks is clamped
            controller.modelLoaded.disconnect(show_head)
            layers, heads = info.config.num_hidden_layers, info.config.num_attention_heads
            shown = (min(args.head[0], layers - 1), min(args.head[1], heads - 1))
            if shown != args.head:
                print(
                    f"bertgui: warning: the model has {layers} layers of {heads} heads (counted from 0); "
                    f"showing head {shown[0]}-{shown[1]}",
                    file=sys.stderr,
                )
            window.show_head(*args.head)

        controller.modelLoaded.connect(show_head)
    window.show()
    set_aside_long_lived_objects()  # the window lives as long as the app: full collections need not scan it
    exit_code = {"value": 0}

    if args.screenshot:

        def grab(_result=None) -> None:
            QTimer.singleShot(300, lambda: (window.grab().save(args.screenshot), window.close()))

        def failed(message: str) -> None:
            print(f"error: {message}", file=sys.stderr)
            exit_code["value"] = 2
            window.close()

        controller.inspectionReady.connect(grab)
        controller.modelLoadFailed.connect(failed)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, lambda: failed("timed out waiting for the model"))

    # The model (and torch with it) loads on the worker thread once the window has painted.
    QTimer.singleShot(0, lambda: controller.load_model(model_path, args.device))
    if hub_id:  # the last (or bundled) model opens meanwhile; the downloaded one replaces it
        QTimer.singleShot(0, lambda: window.menus.open_from_hub(hub_id))
    app.exec()
    controller.shutdown()  # whatever ended the event loop; waits about 2 s at most
    if any_abandoned():  # a worker still busy (a long load): end without waiting for it
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(exit_code["value"])
    return exit_code["value"]
