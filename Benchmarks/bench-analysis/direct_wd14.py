"""The peer for the WD14 protocol benchmark: the same onnxruntime session and pre-processing as wd14_analyzer.py,
called directly in one Python loop (no process boundary, no JSON). Prints wall seconds and the image count.
Usage: python direct_wd14.py ANALYZER_DIR MODEL_DIR FOLDER
"""
import os
import sys
import time

sys.path.insert(0, sys.argv[1])
import wd14_analyzer  # noqa: E402

tagger = wd14_analyzer.Tagger(sys.argv[2])
folder = sys.argv[3]
names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
start = time.perf_counter()
for name in names:
    tagger.tag_file(os.path.join(folder, name))
print(time.perf_counter() - start, len(names))
