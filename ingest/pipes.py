"""Command-line output piped into a reader that goes away (`| head`) is not an error."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def silence_closed_pipe() -> None:
    """After BrokenPipeError: point stdout at /dev/null so the interpreter's final flush stays quiet."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def run_command(main: Callable[[], int]) -> int:
    try:
        return main()
    except BrokenPipeError:
        silence_closed_pipe()
        return 0
