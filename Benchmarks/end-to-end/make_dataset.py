#!/usr/bin/env python3
"""Writes an example-style dataset of N images (drawn like examples/make_example.py, PNG/JPEG/WebP in turn) with raw
booru-style captions into OUT. Needs Pillow (run.sh makes a venv with it)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))
from make_example import CAPTIONS, FORMATS, write_pair  # noqa: E402


def main() -> None:
    out, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    for index in range(count):
        write_pair(out, f"mika_{index + 1:04d}", index, CAPTIONS[index % len(CAPTIONS)], FORMATS[index % len(FORMATS)])


if __name__ == "__main__":
    main()
