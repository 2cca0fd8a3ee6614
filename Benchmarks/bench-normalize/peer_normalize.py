#!/usr/bin/env python3
"""The benchmark's peer: a straightforward Python implementation of Sluice's normalization rules (DESIGN §3),
written the way a Python tool would do it, and run by run.sh on a copy of the same captions.

    peer_normalize.py DIR --preset PATH [--engine-only]

Same rules, same order, same output as `sluice normalize` (run.sh diffs the two folders): parse, remove (exact and
glob), replace (alias chains), dedup, implications, trigger word, specific background and frequency rule to
#optional, group order. Without --engine-only it backs up each changed caption (a copy written atomically) and
rewrites it atomically (temp file, fsync, rename, fsync the folder), one file after the other. Sluice makes the
same guarantees with hard-linked backups, one fsync per backup folder, and eight writer threads.
"""
import json
import os
import re
import resource
import sys
import time

KAOMOJI = {"^_^", ">_<", "o_o", "0_0", "(o)_(o)", "<o>_<o>", "<|>_<|>", "||_||", "@_@", "x_x", "u_u", "=_=",
           "+_+", "+_-", "._.", "3_3", "6_9", ">_o", "|_|"}
GROUPS = ["identity", "composition", "lighting", "environment", "outfit"]
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
SPACES = re.compile(r"[ \t\n\r\u00a0]+")
WEIGHTED = re.compile(r"^\((.+):[ \t]*(-?[0-9]*\.?[0-9]*)[ \t]*\)$", re.S)
NUMBER = re.compile(r"^-?[0-9.]*[0-9][0-9.]*$")


def tag_key(raw):
    key = SPACES.sub(" ", raw).strip().lower().replace("\\(", "(").replace("\\)", ")")
    if "_" not in key or key in KAOMOJI:
        return key
    return SPACES.sub(" ", key.replace("_", " ")).strip()


def parse_tag(token):
    """(key, weight) or None for an empty token."""
    stripped = token.strip(" \t")
    match = WEIGHTED.match(stripped)
    if match and len(stripped) >= 4 and match.group(1) and NUMBER.match(match.group(2)) and match.group(2).count(".") <= 1:
        key = tag_key(match.group(1))
        return (key, match.group(2)) if key else None
    key = tag_key(token)
    return (key, None) if key else None


def glob_regex(pattern):
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + r"\Z", re.S)


def load_preset(path, seen=()):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    chain = [data]
    if "extends" in data:
        base = data["extends"]
        folder = os.path.dirname(os.path.abspath(path))
        base_path = os.path.join(folder, base if ("/" in base or base.endswith(".json")) else base + ".json")
        if base_path in seen:
            raise SystemExit(f"extends cycle at {base_path}")
        chain = load_preset(base_path, seen + (path,)) + chain
    return chain


def compile_preset(chain):
    p = {"words": "spaces", "parentheses": "raw", "trigger": None, "remove": set(), "patterns": [], "aliases": {},
         "implications": {}, "protected": set(), "general": set(), "specific": set(), "share": 0.0,
         "scope": "background", "groups": {}, "positions": {}}
    counter = 0
    for d in chain:
        p["words"] = d.get("output", {}).get("words", p["words"])
        p["parentheses"] = d.get("output", {}).get("parentheses", p["parentheses"])
        if d.get("trigger_word"):
            p["trigger"] = d["trigger_word"]
        for tag in d.get("remove_tags", []):
            key = tag_key(tag)
            if "*" in key or "?" in key:
                if key not in p["patterns"]:
                    p["patterns"].append(key)
            else:
                p["remove"].add(key)
        for alias, canonical in d.get("replace_map", {}).items():
            if tag_key(alias) != tag_key(canonical):
                p["aliases"][tag_key(alias)] = tag_key(canonical)
        for tag, implied in d.get("implications", {}).items():
            p["implications"].setdefault(tag_key(tag), set()).update(tag_key(t) for t in implied)
        p["protected"].update(tag_key(t) for t in d.get("protected_tags", []))
        background = d.get("background", {})
        p["general"].update(tag_key(t) for t in background.get("general", []))
        p["specific"].update(tag_key(t) for t in background.get("specific", []))
        p["share"] = background.get("min_share_percent", p["share"])
        p["scope"] = background.get("frequency_scope", p["scope"])
        for group, tags in d.get("groups", {}).items():
            for tag in tags:
                key = tag_key(tag)
                if key not in p["positions"]:
                    p["positions"][key] = counter
                    counter += 1
                p["groups"][key] = group
    # Alias chains.
    resolved = {}
    for alias in sorted(p["aliases"]):
        path, current = [alias], alias
        while current in p["aliases"]:
            current = p["aliases"][current]
            if current in path:
                raise SystemExit("replace_map cycle: " + " -> ".join(path + [current]))
            path.append(current)
        resolved[alias] = current
    p["aliases"] = resolved
    # Implications in canonical form, closed transitively.
    graph = {}
    for tag, implied in p["implications"].items():
        canonical = resolved.get(tag, tag)
        graph.setdefault(canonical, set()).update(resolved.get(t, t) for t in implied if resolved.get(t, t) != canonical)
    closed = {}
    for tag in graph:
        reached, stack = set(), [tag]
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt not in reached:
                    reached.add(nxt)
                    stack.append(nxt)
        closed[tag] = reached
    p["implications"] = closed
    # Positions counted within each group.
    for group in GROUPS:
        keys = sorted((k for k, g in p["groups"].items() if g == group), key=lambda k: p["positions"][k])
        for position, key in enumerate(keys):
            p["positions"][key] = position
    p["patterns"] = [glob_regex(pattern) for pattern in p["patterns"]]
    return p


def render(p, key):
    text = key
    if p["words"] == "underscores" and " " in key and key.replace(" ", "_") not in KAOMOJI:
        text = key.replace(" ", "_")
    if p["parentheses"] == "escaped":
        text = text.replace("(", "\\(").replace(")", "\\)")
    return text


class Rules:
    def __init__(self, p, trigger):
        self.p = p
        trigger = (trigger or p["trigger"] or "").strip()
        self.trigger = trigger or None
        self.trigger_key = tag_key(trigger) if trigger else None
        self.facts = {}

    def removed(self, key):
        return key in self.p["remove"] or any(pattern.match(key) for pattern in self.p["patterns"])

    def fact(self, key):
        known = self.facts.get(key)
        if known:
            return known
        p = self.p
        is_trigger = key == self.trigger_key
        protected_key = is_trigger or key in p["protected"]
        canonical = key if protected_key else p["aliases"].get(key, key)
        protected = protected_key or canonical == self.trigger_key or canonical in p["protected"]
        group_key = canonical if canonical in p["groups"] else key
        group = p["groups"].get(group_key)
        general, specific = canonical in p["general"], canonical in p["specific"]
        in_scope = (not general) and (specific or group == "environment") if p["scope"] == "background" else not general
        rank = ((GROUPS.index(group) << 32) | p["positions"].get(group_key, 0)) if group else len(GROUPS) << 32
        fact = {"key": key, "canonical": canonical, "rendered": render(p, canonical), "protected": protected,
                "removed": not protected and (self.removed(key) or self.removed(canonical)),
                "trigger": canonical == self.trigger_key, "implies": p["implications"].get(canonical, ()),
                "rank": rank, "specific": specific, "in_scope": in_scope and not protected}
        self.facts[key] = fact
        return fact

    def prepare(self, text, before_counts):
        if any(c in text for c in "\n\r\u00a0\ufeff"):
            text = text.lstrip("\ufeff").replace("\u00a0", " ")
            lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip(" \t,")]
            text = ",".join(lines)
        main, optional, seen, seen_before = [], [], set(), set()
        in_optional = False
        for token in text.split(","):
            tag = parse_tag(token)
            if tag is None:
                continue
            key, weight = tag
            if weight is None and key == "#optional":
                in_optional = True
                continue
            fact = self.fact(key)
            if key not in seen_before:
                seen_before.add(key)
                before_counts[key] = before_counts.get(key, 0) + 1
            if fact["removed"] or fact["canonical"] in seen:
                continue
            seen.add(fact["canonical"])
            if fact["trigger"]:
                continue
            (optional if in_optional else main).append((fact, weight))
        implied_main = set()
        for fact, _ in main:
            implied_main.update(fact["implies"])
        implied_any = set(implied_main)
        for fact, _ in optional:
            implied_any.update(fact["implies"])
        if implied_any:
            main = [i for i in main if i[0]["protected"] or i[0]["canonical"] not in implied_main]
            optional = [i for i in optional if i[0]["protected"] or i[0]["canonical"] not in implied_any]
        return main, optional

    def finish(self, prepared, frequency, total):
        main_in, optional = prepared[0], list(prepared[1])
        share = self.p["share"]
        main = []
        for item in main_in:
            fact = item[0]
            move = False
            if not fact["protected"]:
                if fact["specific"]:
                    move = True
                elif share > 0 and fact["in_scope"]:
                    move = frequency.get(fact["canonical"], 0) * 100 < share * total
            (optional if move else main).append(item)
        main.sort(key=lambda item: item[0]["rank"])
        optional.sort(key=lambda item: item[0]["rank"])
        parts = [self.trigger] if self.trigger else []
        written = lambda item: item[0]["rendered"] if item[1] is None else "(" + item[0]["rendered"] + ":" + item[1] + ")"
        parts += [written(item) for item in main]
        if optional:
            parts.append("#optional")
            parts += [written(item) for item in optional]
        return ", ".join(parts)


def scan(root):
    captions = []
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        stems = {f.rsplit(".", 1)[0] for f in files if "." in f and f.rsplit(".", 1)[1].lower() in IMAGE_EXTENSIONS}
        for name in files:
            if not name.startswith(".") and name.endswith(".txt") and name[:-4] in stems:
                captions.append(os.path.relpath(os.path.join(folder, name), root))
    return sorted(captions)


def write_atomically(path, data):
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(temporary, path)
    folder = os.open(os.path.dirname(path), os.O_RDONLY)
    os.fsync(folder)
    os.close(folder)


def write_plainly(path, data):
    with open(path, "wb") as handle:
        handle.write(data)


def main():
    args = sys.argv[1:]
    engine_only = "--engine-only" in args
    no_fsync = "--no-fsync" in args
    args = [a for a in args if a not in ("--engine-only", "--no-fsync")]
    if len(args) != 3 or args[1] != "--preset":
        raise SystemExit("usage: peer_normalize.py DIR --preset PATH [--engine-only | --no-fsync]")
    root, start = args[0], time.monotonic()
    rules = Rules(compile_preset(load_preset(args[2])), None)
    paths = scan(root)
    originals = []
    for path in paths:
        with open(os.path.join(root, path), "rb") as handle:
            originals.append(handle.read())
    texts = [data.decode("utf-8") for data in originals]
    read_time = time.monotonic() - start
    engine_start, engine_cpu_start = time.monotonic(), time.process_time()
    before, frequency, prepared = {}, {}, []
    for text in texts:
        caption = rules.prepare(text, before)
        for key in {fact["canonical"] for fact, _ in caption[0] + caption[1]}:
            frequency[key] = frequency.get(key, 0) + 1
        prepared.append(caption)
    outputs = [rules.finish(caption, frequency, len(texts)) for caption in prepared]
    changed = [i for i, text in enumerate(texts) if outputs[i] != text]
    engine_time, engine_cpu = time.monotonic() - engine_start, time.process_time() - engine_cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if engine_only:
        print(f"python engine-only: {len(texts)} captions, {len(changed)} would change; read {read_time:.3f} s, "
              f"rules {engine_time:.3f} s ({engine_cpu:.3f} s CPU), total {time.monotonic() - start:.3f} s, peak {peak:.0f} MiB")
        return
    # Durable: fsync + rename per file (backup and caption), as Sluice guarantees. --no-fsync: plain writes, the
    # caption overwritten in place, which a crash can leave half-written.
    write = write_plainly if no_fsync else write_atomically
    backups = os.path.join(root, ".sluice-backups", "bench")
    for i in changed:
        backup = os.path.join(backups, paths[i])
        os.makedirs(os.path.dirname(backup), exist_ok=True)
        write(backup, originals[i])
        write(os.path.join(root, paths[i]), outputs[i].encode("utf-8"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mode = "no fsync" if no_fsync else "fsync + rename per file"
    print(f"python end-to-end ({mode}): {len(texts)} captions, {len(changed)} changed; "
          f"total {time.monotonic() - start:.3f} s, peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
