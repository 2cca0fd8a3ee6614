"""Generates COUNT ~1 MP anime-dataset-like images (a third each JPEG, PNG and WebP) with a caption beside each.

    generate_dataset.py FOLDER COUNT [SCALE]

SCALE (default 1) multiplies both sides: 0.25 gives ~256 x 192 px images for the 100,000-image scale runs.

Images are noise-textured gradients with shapes (they compress like real illustrations, not like flat color),
1024-1280 x 768-960 px; captions are 15-30 booru tags with underscores, as an auto-tagger writes them. The same
COUNT always gives the same files.
"""
import os
import random
import sys
from multiprocessing import Pool

from PIL import Image, ImageDraw, ImageFilter

TAGS = [
    "1girl", "solo", "long_hair", "looking_at_viewer", "smile", "blush", "open_mouth", "short_hair", "blue_eyes",
    "brown_hair", "black_hair", "skirt", "shirt", "school_uniform", "white_shirt", "red_eyes", "outdoors", "sky",
    "cloud", "day", "upper_body", "holding", "hair_ornament", "bow", "jacket", "twintails", "ribbon", "dress",
    "simple_background", "white_background", "standing", "sitting", "full_body", "closed_eyes", "hat", "flower",
    "highres", "absurdres", "tree", "night", "indoors", "pleated_skirt", "thighhighs", "gloves", "long_sleeves",
]
FORMATS = [("jpg", "JPEG", {"quality": 90}), ("png", "PNG", {"compress_level": 6}), ("webp", "WEBP", {"quality": 85})]


def make(job):
    folder, index, scale = job
    rnd = random.Random(index)
    width, height = 1024 + rnd.randrange(0, 257, 16), 768 + rnd.randrange(0, 193, 16)
    width, height = max(16, int(width * scale)), max(16, int(height * scale))
    noise = Image.effect_noise((width // 4, height // 4), 30 + index % 40).resize((width, height), Image.BILINEAR)
    tint = Image.new("RGB", (width, height), tuple(rnd.randrange(40, 220) for _ in range(3)))
    image = Image.merge("RGB", [noise, noise.rotate(90, expand=False), noise.transpose(Image.FLIP_LEFT_RIGHT)])
    image = Image.blend(image, tint, 0.55)
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rnd.randrange(width), rnd.randrange(height)
        w, h = rnd.randrange(4, max(5, width // 2)), rnd.randrange(4, max(5, height // 2))
        color = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)([x, y, x + w, y + h], fill=color)
    image = image.filter(ImageFilter.SMOOTH)
    extension, kind, options = FORMATS[index % 3]
    name = f"img_{index:05d}"
    image.save(os.path.join(folder, f"{name}.{extension}"), kind, **options)
    tags = rnd.sample(TAGS, rnd.randrange(15, 31))
    with open(os.path.join(folder, f"{name}.txt"), "w", encoding="utf-8") as handle:
        handle.write(", ".join(tags))


def main():
    folder, count = sys.argv[1], int(sys.argv[2])
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    os.makedirs(folder, exist_ok=True)
    with Pool(os.cpu_count()) as pool:
        for done, _ in enumerate(pool.imap_unordered(make, [(folder, i, scale) for i in range(count)], chunksize=16), 1):
            if done % 250 == 0 or done == count:
                print(f"\r  generated {done}/{count}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
