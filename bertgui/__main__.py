"""`python -m bertgui`: the same as the `bertgui` command."""

import sys

from bertgui.app import main

sys.exit(main())
