"""Where the app's resources (the bundled model, the sample dataset, the icon) are.

In a source checkout (`python main.py`, or `pip install -e .`) they are the `resources/` folder
beside the code. A wheel or a plain `pip install .` installs that folder as the data-only
package `bertgui_resources` (pyproject.toml maps it), so an installed app finds them there.
Pure Python: the GUI thread may import it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

PACKAGE = "bertgui_resources"  # the name the resources are installed under (pyproject.toml)
_CHECKOUT = Path(__file__).resolve().parent.parent  # the source tree, when this file is in one


def resources_folder() -> Path:
    """The checkout's resources/ when running from source, else the installed package's folder.
    A folder that does not exist is returned as is: the callers say in one line what is missing."""
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "resources").is_dir():
        return _CHECKOUT / "resources"
    spec = importlib.util.find_spec(PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        if Path(location).is_dir():
            return Path(location)
    return _CHECKOUT / "resources"
