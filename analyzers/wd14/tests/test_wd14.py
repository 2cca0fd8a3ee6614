"""The WD14 analyzer against a tiny model with the real input/output shapes (built by make_tiny_model.py)."""
import io
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import make_tiny_model
import wd14_analyzer as wd14

ANALYZER = wd14.__file__


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return make_tiny_model.build(str(tmp_path_factory.mktemp("tiny448")))


@pytest.fixture(scope="module")
def tagger(model_dir):
    return wd14.Tagger(model_dir)


def solid(color, size=(64, 64), mode="RGB"):
    return Image.new(mode, size, color)


def tags_of(answer):
    return {tag["tag"]: tag for tag in answer["tags"]}


def test_input_size_is_read_from_the_model(tmp_path, tagger):
    assert tagger.size == 448
    small = wd14.Tagger(make_tiny_model.build(str(tmp_path / "tiny64"), size=64))
    assert small.size == 64
    assert small.tag_image(solid((0, 0, 255)))["rating"] == "sensitive"


def test_preprocessing_is_nhwc_float32_bgr():
    batch = wd14.prepare_image(solid((255, 0, 0), (448, 448)), 448)
    assert batch.shape == (1, 448, 448, 3) and batch.dtype == np.float32
    assert batch[0, 10, 10].tolist() == [0.0, 0.0, 255.0]  # red comes last: BGR


def test_preprocessing_pads_a_square_on_white_and_keeps_the_centre():
    tall = solid((0, 0, 0), (100, 400))
    batch = wd14.prepare_image(tall, 448)
    assert batch[0, 224, 5].tolist() == [255.0, 255.0, 255.0]  # left padding is white
    assert batch[0, 224, 224].tolist() == [0.0, 0.0, 0.0]  # the image sits in the middle
    assert abs(batch.mean() / 255 - 0.75) < 0.01  # three quarters padding


def test_transparency_is_composited_on_white():
    clear = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    assert wd14.prepare_image(clear, 448).min() == 255.0


def test_blue_is_tagged_only_because_channels_are_bgr(tagger):
    assert "blue sky" in tags_of(tagger.tag_image(solid((0, 0, 255))))
    assert "blue sky" not in tags_of(tagger.tag_image(solid((255, 0, 0))))


def test_white_padding_reaches_the_model(tagger):
    assert "white background" in tags_of(tagger.tag_image(solid((0, 0, 0), (60, 400))))
    assert "white background" not in tags_of(tagger.tag_image(solid((0, 0, 0), (400, 400))))


def test_default_thresholds_and_categories(tagger):
    tags = tags_of(tagger.tag_image(solid((128, 128, 128))))
    assert tags["long hair"]["category"] == "general" and tags["long hair"]["confidence"] == pytest.approx(0.5, abs=1e-3)
    assert "hatsune miku" not in tags  # 0.8 is under the character threshold 0.85
    assert tags["vocaloid"]["category"] == "copyright"
    assert tags["^_^"]["confidence"] == pytest.approx(1 / (1 + math.exp(-2)), abs=1e-3)


def test_thresholds_are_configurable(model_dir):
    strict = wd14.Tagger(model_dir, general_threshold=0.6, character_threshold=0.75)
    tags = tags_of(strict.tag_image(solid((128, 128, 128))))
    assert "long hair" not in tags
    assert tags["hatsune miku"]["category"] == "character"


def test_rating_is_the_most_probable_rating_row(tagger):
    answer = tagger.tag_image(solid((10, 200, 30)))
    assert answer["rating"] == "sensitive" and answer["rating_confidence"] == pytest.approx(0.7, abs=1e-3)
    assert all(tag["category"] != "rating" for tag in answer["tags"])


def test_tags_are_most_confident_first(tagger):
    confidences = [tag["confidence"] for tag in tagger.tag_image(solid((0, 0, 255)))["tags"]]
    assert confidences == sorted(confidences, reverse=True)


@pytest.mark.parametrize("raw,written", [
    ("long_hair", "long hair"), ("^_^", "^_^"), ("x_x", "x_x"), ("(o)_(o)", "(o)_(o)"),
    ("hatsune_miku_(vocaloid)", "hatsune miku (vocaloid)"), ("o_o", "o_o"), (":d", ":d"),
])
def test_tag_escaping_matches_the_presets(raw, written):
    assert wd14.escape_tag(raw) == written


def test_labels_with_a_broken_row_name_the_line(tmp_path):
    bad = tmp_path / "selected_tags.csv"
    bad.write_text("tag_id,name,category,count\n0,ok,0,1\n1,bad,notanumber,1\n")
    with pytest.raises(ValueError, match=":3:"):
        wd14.Labels.load(str(bad))


def test_protocol_over_stdin_and_stdout(model_dir, tmp_path):
    blue = tmp_path / "blue.png"
    solid((0, 0, 255), (120, 80)).save(blue)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    requests = [
        {"id": 1, "path": str(blue), "sha256": "00" * 32, "width": 120, "height": 80},
        {"id": 2, "path": str(tmp_path / "broken.png"), "sha256": "11" * 32, "width": 1, "height": 1},
        {"id": 3, "path": str(blue), "sha256": "00" * 32, "width": 120, "height": 80},
    ]
    stdin = "".join(json.dumps(request) + "\n" for request in requests)
    result = subprocess.run(
        [sys.executable, ANALYZER, "--model", model_dir], input=stdin, capture_output=True, text=True, timeout=60)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0, result.stderr
    assert lines[0]["ready"] is True and lines[0]["size"] == 448
    assert lines[1]["id"] == 1 and "blue sky" in tags_of(lines[1])
    assert lines[2]["id"] == 2 and "error" in lines[2]
    assert lines[3]["id"] == 3 and lines[3]["rating"] == "sensitive"


def test_missing_model_exits_with_a_message(tmp_path):
    result = subprocess.run(
        [sys.executable, ANALYZER, "--model", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "model.onnx not found" in result.stderr
