"""Generates COUNT ~1 MP anime-dataset-like images (a third each JPEG, PNG and WebP) with a caption beside each.

    generate_dataset.py FOLDER COUNT [SCALE]

SCALE (default 1) multiplies both sides: 0.25 gives ~256 x 192 px images for the 100,000-image scale runs.

Images are noise-textured gradients with shapes (they compress like real illustrations, not like flat color),
1024-1280 x 768-960 px; captions are 15-30 booru tags with underscores, as an auto-tagger writes them. The same
COUNT always gives the same files.

Encoding ~1 MP PNG and WebP is what makes generation slow, so only BASES distinct images (default 300, a multiple
of 3; all of them when COUNT is smaller) are drawn and encoded, in parallel processes. Every further image is a
byte-distinct copy of a base of its own format: the base's bytes with a counter in a JPEG COM segment, a PNG
tEXt chunk, or a WebP chunk of its own (the lossy file turned into the extended VP8X form). The pixels, and so
the perceptual hash, are those of the base: copies are near duplicates (distance 0) of their base, never exact
duplicates (the SHA-256 differs). Captions are drawn per image, so every caption differs. With BASE_CACHE set
(lib.sh sets it), encoded bases are kept in that folder and reused by the next COUNT.
"""
import os
import random
import struct
import sys
import zlib
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


def draw_base(job):
    """Encodes base image `index`; returns its bytes."""
    index, scale = job
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
    _, kind, options = FORMATS[index % 3]
    from io import BytesIO
    out = BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def tagged_copy(base, extension, counter):
    """The base's bytes with `counter` in a metadata block the decoders skip: same pixels, different bytes."""
    note = f"sluice benchmark copy {counter}".encode()
    if extension == "jpg":
        # A COM segment right after SOI.
        return base[:2] + b"\xff\xfe" + struct.pack(">H", len(note) + 2) + note + base[2:]
    if extension == "png":
        # A tEXt chunk right after IHDR (8-byte signature + 25-byte IHDR chunk).
        data = b"Comment\x00" + note
        chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
        return base[:33] + chunk + base[33:]
    # WebP: RIFF/WEBP/'VP8 ' becomes RIFF/WEBP/VP8X/'VP8 '/'SLCN' (an unknown chunk, which readers skip).
    assert base[:4] == b"RIFF" and base[8:16] == b"WEBPVP8 ", "expected a simple lossy WebP"
    vp8 = base[12:]
    frame = vp8[8:]
    width, height = struct.unpack("<HH", frame[6:10])
    width, height = width & 0x3FFF, height & 0x3FFF
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    if len(note) % 2:
        note += b"\x00"
    extra = b"SLCN" + struct.pack("<I", len(note)) + note
    body = b"WEBP" + vp8x + vp8 + extra
    return b"RIFF" + struct.pack("<I", len(body)) + body


def main():
    folder, count = sys.argv[1], int(sys.argv[2])
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    bases = min(count, max(3, int(os.environ.get("BASES", "300")) // 3 * 3))
    os.makedirs(folder, exist_ok=True)
    cache = os.environ.get("BASE_CACHE")
    if cache:
        os.makedirs(cache, exist_ok=True)
    encoded = [None] * bases
    with Pool(os.cpu_count()) as pool:
        for done, (index, data) in enumerate(pool.imap_unordered(draw_one, [(i, scale, cache) for i in range(bases)], chunksize=4), 1):
            encoded[index] = data
            if done % 50 == 0 or done == bases:
                print(f"\r  encoded {done}/{bases} distinct images", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    for index in range(count):
        base = index % bases
        extension = FORMATS[base % 3][0]
        data = encoded[base] if index < bases else tagged_copy(encoded[base], extension, index)
        name = f"img_{index:06d}" if count > 99_999 else f"img_{index:05d}"
        with open(os.path.join(folder, f"{name}.{extension}"), "wb") as handle:
            handle.write(data)
        rnd = random.Random(index)
        tags = rnd.sample(TAGS, rnd.randrange(15, 31))
        with open(os.path.join(folder, f"{name}.txt"), "w", encoding="utf-8") as handle:
            handle.write(", ".join(tags))
        if (index + 1) % 5000 == 0 or index + 1 == count:
            print(f"\r  wrote {index + 1}/{count}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)


def draw_one(job):
    """(index, bytes) of one base, from the cache folder when an earlier run encoded it (bases never change)."""
    index, scale, cache = job
    path = os.path.join(cache, f"base-{index}-{scale}.{FORMATS[index % 3][0]}") if cache else None
    if path and os.path.exists(path):
        with open(path, "rb") as handle:
            return index, handle.read()
    data = draw_base((index, scale))
    if path:
        with open(path + ".tmp", "wb") as handle:
            handle.write(data)
        os.replace(path + ".tmp", path)
    return index, data


if __name__ == "__main__":
    main()
