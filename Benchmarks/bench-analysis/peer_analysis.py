"""The peer for bench-analysis: what a Python user would write with Pillow and NumPy for the same facts — decode,
imagehash-style pHash (32x32 luma, DCT, 8x8 above the median), Hasler-Suesstrunk colourfulness, grey share,
brightness, alpha — one image after another. Prints total wall seconds and CPU seconds on the first line.
Usage: python peer_analysis.py FOLDER
"""
import os
import sys
import time

import numpy as np
from PIL import Image

N = 32
# The DCT-II matrix (what scipy.fftpack.dct computes, up to scale, which the median threshold ignores).
DCT = np.cos(np.pi * (2 * np.arange(N)[None, :] + 1) * np.arange(N)[:, None] / (2 * N))


def analyze(path):
    with Image.open(path) as image:
        has_alpha = image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255
        rgb = image.convert("RGB")
    luma = np.asarray(rgb.convert("L").resize((N, N), Image.LANCZOS), dtype=np.float64)
    low = (DCT @ luma @ DCT.T)[:8, :8]
    phash = (low > np.median(low)).flatten()
    small = rgb.resize((max(1, rgb.width * 64 // min(rgb.size)), max(1, rgb.height * 64 // min(rgb.size))), Image.BOX)
    pixels = np.asarray(small, dtype=np.float64)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    rg, yb = r - g, 0.5 * (r + g) - b
    colourfulness = np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())
    spread = np.maximum(np.maximum(abs(r - g), abs(g - b)), abs(r - b))
    grey_share = (spread <= 12).mean()
    brightness = (0.299 * r + 0.587 * g + 0.114 * b).mean() / 255
    return phash, colourfulness, grey_share, brightness, has_alpha


def main(folder):
    names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    start, cpu = time.perf_counter(), time.process_time()
    results = [analyze(os.path.join(folder, name)) for name in names]
    print(time.perf_counter() - start, time.process_time() - cpu, len(results))


if __name__ == "__main__":
    main(sys.argv[1])
