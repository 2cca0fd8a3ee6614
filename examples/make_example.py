#!/usr/bin/env python3
"""Regenerates examples/dataset/: small drawn images (PNG, JPEG, WebP) with raw booru-style captions.

The images are drawn here (simple shapes), so the example owes nothing to anyone. Needs Pillow
(`pip install pillow`); the generated files are committed, so running Sluice's example does not.
"""
import os
import random
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "dataset", "mika_example")

CAPTIONS = [
    "1girl, mika_(blue_archive), halo, long_hair, pink_hair, highres, absurdres, smile, 1girl, wings, outdoors, blue_sky",
    "mika_(blue_archive), 1girl, solo, looking_at_viewer, white_dress, commentary_request, smile, smile, day",
    "1girl, pink_hair, yellow_eyes, halo, upper_body, translated, bad_id, indoors, classroom, shirt, white_shirt",
    "mika_(blue_archive), 1girl, sitting, chair, cake, fork, holding_fork, open_mouth, highres, cafe",
    "1girl, halo, wings, night, starry_sky, from_behind, long_hair, pink_hair, absurdres, general",
    "mika \\(blue archive\\), 1girl, ^_^, closed_eyes, smile, >_<, sparkle, simple_background, white_background",
]
FORMATS = ["png", "jpg", "webp", "png", "jpeg", "webp"]


def draw(index: int) -> Image.Image:
    rng = random.Random(index)
    width, height = rng.choice([(320, 448), (384, 384), (448, 320)])
    image = Image.new("RGB", (width, height), (rng.randrange(150, 256), rng.randrange(150, 256), rng.randrange(200, 256)))
    pen = ImageDraw.Draw(image)
    cx, cy = width // 2, height // 2
    pen.ellipse([cx - 70, cy - 110, cx + 70, cy + 30], fill=(255, 224, 210))          # face
    pen.polygon([(cx - 90, cy - 90), (cx + 90, cy - 90), (cx + 110, cy + 160), (cx - 110, cy + 160)], fill=(245, 160, 200))
    pen.ellipse([cx - 40, cy - 60, cx - 15, cy - 35], fill=(240, 200, 40))            # eyes
    pen.ellipse([cx + 15, cy - 60, cx + 40, cy - 35], fill=(240, 200, 40))
    pen.ellipse([cx - 60, cy - 170, cx + 60, cy - 140], outline=(250, 230, 120), width=6)  # halo
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        pen.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(255, 255, 255))
    return image


def write_pair(out: str, stem: str, index: int, caption: str, extension: str) -> None:
    """Draws image `index` into `out/stem.extension` and its caption into `out/stem.txt`."""
    image = draw(index)
    path = os.path.join(out, f"{stem}.{extension}")
    if extension in ("jpg", "jpeg"):
        image.save(path, quality=88)
    elif extension == "webp":
        image.save(path, quality=85)
    else:
        image.save(path)
    with open(os.path.join(out, f"{stem}.txt"), "w", encoding="utf-8") as handle:
        handle.write(caption + "\n")


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    for index, (caption, extension) in enumerate(zip(CAPTIONS, FORMATS)):
        write_pair(OUT, f"mika_{index + 1:02d}", index, caption, extension)
    print(f"wrote {len(CAPTIONS)} images and captions into {OUT}")


if __name__ == "__main__":
    main()
