#!/usr/bin/env python3
"""Sluice analyzer for WD14-format tagger models (model.onnx + selected_tags.csv), speaking Sluice's JSON-lines
protocol on stdin/stdout (see analyzers/README.md).

Pre-processing follows the reference tagger: alpha composited on white, padded to a square on white, resized
(bicubic) to the model's input size read from the model, float32 0-255, RGB turned into BGR, NHWC. The model's
outputs are already sigmoid probabilities. Nothing is downloaded: the model folder is given on the command line.

Usage: wd14_analyzer.py --model DIR [--general-threshold 0.35] [--character-threshold 0.85] [--threads N]
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
from PIL import Image

# Danbooru tag categories as selected_tags.csv numbers them.
CATEGORIES = {0: "general", 1: "artist", 3: "copyright", 4: "character", 5: "meta", 9: "rating"}
# Faces whose underscores are part of the face: kept as they are, as Sluice's presets do (TagKey.kaomoji).
KAOMOJI = {
    "^_^", ">_<", "o_o", "0_0", "(o)_(o)", "<o>_<o>", "<|>_<|>", "||_||", "@_@", "x_x", "u_u", "=_=",
    "+_+", "+_-", "._.", "3_3", "6_9", ">_o", "|_|",
}
# Refuse images bigger than this before decoding (a decompression bomb must not take the machine down).
MAX_PIXELS = 178_956_970


def escape_tag(name):
    """A booru tag as Sluice's captions write it: underscores become spaces, except in kaomoji."""
    return name if name in KAOMOJI else name.replace("_", " ")


class Labels:
    """selected_tags.csv: one row per model output, in output order (tag_id, name, category, count)."""

    def __init__(self, names, categories):
        self.names = names
        self.categories = categories

    @classmethod
    def load(cls, path):
        names, categories = [], []
        with open(path, newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    names.append(row["name"])
                    categories.append(CATEGORIES.get(int(row["category"]), "general"))
                except (KeyError, TypeError, ValueError) as error:
                    raise ValueError(f"{path}:{line}: expected columns tag_id,name,category,count ({error})")
        if not names:
            raise ValueError(f"{path}: no tags")
        return cls(names, categories)


def model_input_size(session):
    """The square side the model takes, read from its NHWC input shape."""
    shape = session.get_inputs()[0].shape
    if len(shape) != 4 or shape[3] != 3 or not isinstance(shape[1], int) or shape[1] != shape[2]:
        raise ValueError(f"model input shape {shape} is not [batch, size, size, 3]")
    return shape[1]


def prepare_image(image, size):
    """The model's input for one PIL image: a (1, size, size, 3) float32 BGR array, padded square on white."""
    image = image.convert("RGBA")
    canvas = Image.new("RGBA", image.size, (255, 255, 255, 255))
    canvas.alpha_composite(image)
    image = canvas.convert("RGB")
    side = max(image.size)
    padded = Image.new("RGB", (side, side), (255, 255, 255))
    padded.paste(image, ((side - image.size[0]) // 2, (side - image.size[1]) // 2))
    if side != size:
        padded = padded.resize((size, size), Image.BICUBIC)
    array = np.asarray(padded, dtype=np.float32)[:, :, ::-1]
    return np.ascontiguousarray(array)[np.newaxis]


def interpret(probabilities, labels, general_threshold, character_threshold):
    """Tags over their category's threshold (general and meta: general; character, copyright, artist: character),
    most confident first, and the most probable rating."""
    tags, best_rating = [], None
    for name, category, probability in zip(labels.names, labels.categories, probabilities):
        probability = float(probability)
        if category == "rating":
            if best_rating is None or probability > best_rating[1]:
                best_rating = (name, probability)
            continue
        threshold = character_threshold if category in ("character", "copyright", "artist") else general_threshold
        if probability >= threshold:
            tags.append({"tag": escape_tag(name), "category": category, "confidence": round(probability, 4)})
    tags.sort(key=lambda tag: -tag["confidence"])
    answer = {"tags": tags}
    if best_rating is not None:
        answer["rating"] = best_rating[0]
        answer["rating_confidence"] = round(best_rating[1], 4)
    return answer


class Tagger:
    """One onnxruntime session on a WD14-format model folder."""

    def __init__(self, model, general_threshold=0.35, character_threshold=0.85, threads=0):
        import onnxruntime

        model_file = os.path.join(model, "model.onnx") if os.path.isdir(model) else model
        tags_file = os.path.join(os.path.dirname(model_file), "selected_tags.csv")
        for needed in (model_file, tags_file):
            if not os.path.isfile(needed):
                raise FileNotFoundError(f"{needed} not found (a WD14 model folder holds model.onnx and selected_tags.csv)")
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(model_file, options, providers=["CPUExecutionProvider"])
        self.size = model_input_size(self.session)
        self.input_name = self.session.get_inputs()[0].name
        self.output_name = self.session.get_outputs()[0].name
        self.labels = Labels.load(tags_file)
        outputs = self.session.get_outputs()[0].shape[-1]
        if isinstance(outputs, int) and outputs != len(self.labels.names):
            raise ValueError(f"model has {outputs} outputs but {tags_file} lists {len(self.labels.names)} tags")
        self.general_threshold = general_threshold
        self.character_threshold = character_threshold

    def probabilities(self, batch):
        return self.session.run([self.output_name], {self.input_name: batch})[0]

    def tag_image(self, image):
        probabilities = self.probabilities(prepare_image(image, self.size))[0]
        return interpret(probabilities, self.labels, self.general_threshold, self.character_threshold)

    def tag_file(self, path):
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValueError(f"{image.width}x{image.height} is over {MAX_PIXELS} pixels")
            image.seek(0)
            return self.tag_image(image)


def answer_line(tagger, line):
    """The answer to one request line, as a dict (never raises)."""
    try:
        request = json.loads(line)
        request_id = request["id"]
        path = request["path"]
    except (ValueError, KeyError, TypeError) as error:
        return {"id": -1, "error": f"unreadable request: {error}"}
    try:
        answer = tagger.tag_file(path)
    except Exception as error:  # one bad image never stops the analyzer
        return {"id": request_id, "error": f"{type(error).__name__}: {error}"}
    answer["id"] = request_id
    return answer


def serve(tagger, stdin, stdout):
    stdout.write(json.dumps({"ready": True, "analyzer": "wd14", "size": tagger.size, "tag_count": len(tagger.labels.names)}) + "\n")
    stdout.flush()
    for line in stdin:
        if not line.strip():
            continue
        stdout.write(json.dumps(answer_line(tagger, line), ensure_ascii=False) + "\n")
        stdout.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="folder with model.onnx and selected_tags.csv (or the .onnx file)")
    parser.add_argument("--general-threshold", type=float, default=0.35)
    parser.add_argument("--character-threshold", type=float, default=0.85)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime intra-op threads (0: its default)")
    arguments = parser.parse_args(argv)
    try:
        tagger = Tagger(arguments.model, arguments.general_threshold, arguments.character_threshold, arguments.threads)
    except Exception as error:
        print(f"wd14: {error}", file=sys.stderr)
        return 1
    serve(tagger, sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
