"""Start BERT Explorer: `python main.py [--model DIR] [--device auto|cpu|cuda]`."""

import sys

from bertgui.app import main

if __name__ == "__main__":
    sys.exit(main())
