#!/usr/bin/env python3
"""Writes COUNT generated caption files (15–40 tags each, seeded) beside empty images into DIR, in folders of
1,000: real preset vocabulary written the messy ways taggers and people write it (underscores, aliases, meta
tags, weights, escaped parentheses, #optional markers, trailing commas and line breaks).

    generate_captions.py DIR COUNT PRESET.json
"""
import json, os, random, sys
root, count, preset = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))
random.seed(20261122)
grouped = [tag for tags in preset["groups"].values() for tag in tags]
common = grouped[:120]
aliases = list(preset["replace_map"])
removed = [t for t in preset["remove_tags"] if "*" not in t and "?" not in t] + ["bad pixiv id", "rating:general"]
specific = preset["background"]["specific"]
unknown = [f"character {n}" for n in range(300)] + [f"series name \\(part {n}\\)" for n in range(50)]
for index in range(count):
    folder = os.path.join(root, f"{index // 1000:03d}")
    if index % 1000 == 0:
        os.makedirs(folder, exist_ok=True)
    tags = []
    for _ in range(random.randint(15, 40)):
        pick = random.random()
        if pick < 0.45: tag = random.choice(common)
        elif pick < 0.75: tag = random.choice(grouped)
        elif pick < 0.83: tag = random.choice(aliases)
        elif pick < 0.89: tag = random.choice(removed)
        elif pick < 0.94: tag = random.choice(specific)
        else: tag = random.choice(unknown)
        if random.random() < 0.5: tag = tag.replace(" ", "_")
        if random.random() < 0.03: tag = f"({tag}:1.{random.randint(0, 9)})"
        tags.append(tag)
    if random.random() < 0.1: tags.insert(random.randint(0, len(tags)), "#optional")
    text = ", ".join(tags) + (",\n" if random.random() < 0.05 else "")
    with open(os.path.join(folder, f"{index:06d}.txt"), "w", encoding="utf-8") as handle:
        handle.write(text)
    open(os.path.join(folder, f"{index:06d}.png"), "wb").close()
