"""Builds a tiny WD14-format model folder (model.onnx + selected_tags.csv) with the real input and output shapes:
input [batch, size, size, 3] float32 BGR 0-255, output [batch, tags] sigmoid probabilities.

The graph takes the mean of each channel (B, G, R, scaled to 0-1), multiplies by a weight matrix and adds a bias,
then applies a sigmoid, so tests can predict every probability from the pixels:
  blue_sky      = sigmoid(12 * (B - R))          present for blue images only if the analyzer feeds BGR
  white_background = sigmoid(40 * (mean - 0.7)) present when the padding is white
  long_hair     = sigmoid(0) = 0.5               between the default general threshold and 0.6
  ^_^           = sigmoid(2) = 0.88              a kaomoji, kept as is
  hatsune_miku  = sigmoid(1.3863) = 0.8          under the default character threshold 0.85
  vocaloid      = sigmoid(3) = 0.95              copyright, over it
  ratings: general 0.2, sensitive 0.7, questionable 0.1, explicit 0.05
Usage: python make_tiny_model.py OUT_DIR [--size 448]
"""
import argparse
import csv
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper

TAGS = [
    # (name, category number, weight on B, G, R means, bias)
    ("general", 9, (0, 0, 0), math.log(0.2 / 0.8)),
    ("sensitive", 9, (0, 0, 0), math.log(0.7 / 0.3)),
    ("questionable", 9, (0, 0, 0), math.log(0.1 / 0.9)),
    ("explicit", 9, (0, 0, 0), math.log(0.05 / 0.95)),
    ("blue_sky", 0, (12, 0, -12), 0.0),
    ("white_background", 0, (40 / 3, 40 / 3, 40 / 3), -28.0),
    ("long_hair", 0, (0, 0, 0), 0.0),
    ("^_^", 0, (0, 0, 0), 2.0),
    ("hatsune_miku", 4, (0, 0, 0), math.log(0.8 / 0.2)),
    ("vocaloid", 3, (0, 0, 0), 3.0),
]


def build(out_dir, size=448):
    os.makedirs(out_dir, exist_ok=True)
    weights = np.array([tag[2] for tag in TAGS], dtype=np.float32).T  # [3, tags]
    bias = np.array([tag[3] for tag in TAGS], dtype=np.float32)
    nodes = [
        helper.make_node("ReduceMean", ["input_1"], ["means"], axes=[1, 2], keepdims=0),
        helper.make_node("Mul", ["means", "scale"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "weights"], ["logits_raw"]),
        helper.make_node("Add", ["logits_raw", "bias"], ["logits"]),
        helper.make_node("Sigmoid", ["logits"], ["predictions_sigmoid"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_wd14",
        [helper.make_tensor_value_info("input_1", TensorProto.FLOAT, ["batch", size, size, 3])],
        [helper.make_tensor_value_info("predictions_sigmoid", TensorProto.FLOAT, ["batch", len(TAGS)])],
        initializer=[
            helper.make_tensor("scale", TensorProto.FLOAT, [], [1 / 255]),
            helper.make_tensor("weights", TensorProto.FLOAT, list(weights.shape), weights.flatten().tolist()),
            helper.make_tensor("bias", TensorProto.FLOAT, [len(TAGS)], bias.tolist()),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out_dir, "model.onnx"))
    with open(os.path.join(out_dir, "selected_tags.csv"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tag_id", "name", "category", "count"])
        for index, (name, category, _, _) in enumerate(TAGS):
            writer.writerow([index, name, category, 1000 - index])
    return out_dir


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--size", type=int, default=448)
    arguments = parser.parse_args()
    print(build(arguments.out_dir, arguments.size))
