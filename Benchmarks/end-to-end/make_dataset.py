#!/usr/bin/env python3
"""Writes an example-style dataset of N images (drawn like examples/make_example.py, PNG/JPEG/WebP in turn) with raw
booru-style captions into OUT. Needs Pillow (run.sh makes a venv with it)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))
from make_example import CAPTIONS, FORMATS, draw  # noqa: E402


def main() -> None:
    out, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    for index in range(count):
        stem = f"mika_{index + 1:04d}"
        extension = FORMATS[index % len(FORMATS)]
        image = draw(index)
        path = os.path.join(out, f"{stem}.{extension}")
        if extension in ("jpg", "jpeg"):
            image.save(path, quality=88)
        elif extension == "webp":
            image.save(path, quality=85)
        else:
            image.save(path)
        with open(os.path.join(out, f"{stem}.txt"), "w", encoding="utf-8") as handle:
            handle.write(CAPTIONS[index % len(CAPTIONS)] + "\n")


if __name__ == "__main__":
    main()
