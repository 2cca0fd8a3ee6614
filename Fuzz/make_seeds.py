#!/usr/bin/env python3
"""Writes the small seed corpus of every fuzz target into Fuzz/corpus/<target>/ (run from the repository root).

Seeds are valid (or nearly valid) inputs that reach deep into each parser; libFuzzer mutates from them.
Crash inputs found later are added beside them by hand (named crash-<what>) and kept.
"""
import io, os, struct, zipfile, zlib

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def put(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data)

def zip_bytes(build, **kw):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", **kw) as z:
        build(z)
    return buf.getvalue()

# zip: stored, deflated, folders, Zip64 extra fields, unicode names, a comment.
put("zip", "stored.zip", zip_bytes(lambda z: [z.writestr("000.png", b"\x89PNG\r\n\x1a\n" + b"x" * 40), z.writestr("000.txt", "1girl, solo")]))
put("zip", "deflated.zip", zip_bytes(lambda z: [z.writestr("a/001.jpg", b"\xff\xd8" + b"y" * 200), z.writestr("a/", b"")], compression=zipfile.ZIP_DEFLATED))
def zip64(z):
    with z.open("big.bin", "w", force_zip64=True) as f:
        f.write(b"z" * 64)
put("zip", "zip64.zip", zip_bytes(zip64))
def commented(z):
    z.writestr("日本語.txt", "tag")
    z.comment = b"sluice seed"
put("zip", "unicode-comment.zip", zip_bytes(commented))

# Found by review (crashed main with an overflow trap): a Zip64 extra claiming a compressed size near 2^64.
name = b"a.png"
local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, 0, 5, 5, len(name), 0) + name + b"hello"
extra = struct.pack("<HHQ", 1, 8, 2**64 - 11)
central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x033F, 45, 0, 0, 0, 0x21, 0, 0xFFFFFFFF, 5,
                      len(name), len(extra), 0, 0, 0, 0o100644 << 16, 0) + name + extra
end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
put("zip", "crash-zip64-compressed-size-overflow.zip", local + central + end)

# xmp: the layouts exiftool, digiKam and Sluice write.
xmp = """<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>
<x:xmpmeta xmlns:x='adobe:ns:meta/' x:xmptk='Image::ExifTool 12.76'>
<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>
 <rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:lr='http://ns.adobe.com/lightroom/1.0/'>
  <dc:subject><rdf:Bag><rdf:li>1girl</rdf:li><rdf:li>smile &amp; wave</rdf:li></rdf:Bag></dc:subject>
  <dc:description><rdf:Alt><rdf:li xml:lang='x-default'>a &#x263A; caption</rdf:li></rdf:Alt></dc:description>
  <lr:hierarchicalSubject><rdf:Bag><rdf:li>character|hatsune miku</rdf:li></rdf:Bag></lr:hierarchicalSubject>
 </rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end='w'?>
"""
put("xmp", "exiftool.xmp", xmp)
put("xmp", "attributes.xmp", """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:source="https://danbooru.donmai.us/posts/1"/></rdf:RDF></x:xmpmeta>""")
put("xmp", "comments-cdata.xmp", """<?xml version="1.0"?><!-- c --><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description><![CDATA[raw <text>]]></rdf:Description></rdf:RDF>""")

# caption
put("caption", "plain.txt", "1girl, solo, long hair, smile, (masterpiece:1.2), #optional, outdoors")
put("caption", "messy.txt", "\ufeff1girl,,  solo\r\nsecond line, ^_^, blue\u00a0eyes, \\(cosplay\\)")
put("caption", "controls.txt", "so\x00lo, \x1b[31mred\x1b[0m, \x7f, \u0085tag")

# preset
presets = os.path.join(os.path.dirname(root), "..", "presets")
for name in ("manga.json", "manhwa.json"):
    with open(os.path.join(presets, name), "rb") as f:
        put("preset", name, f.read())
put("preset", "small.json", """{"name": "s", "remove_tags": ["highres", "rating:*"], "replace_map": {"a": "b", "b": "c"},
 "implications": {"white shirt": ["shirt"]}, "protected_tags": ["keep"], "background": {"general": ["indoors"],
 "specific": ["power lines"], "min_share_percent": 5}, "groups": {"identity": ["1girl"], "outfit": ["shirt"]},
 "final": {"optional_tags": "keep"}, "escape": "\\u00e9\\ud83d\\ude00"}""")

# config
put("config", "full.yaml", """pipeline:
  autotag: true
  auto_approve_review: false
normalize:
  preset: anime
watch: {settle_ms: 2000, force_polling: false, poll_interval_ms: 2000}
index:
  recursive: true
  near_duplicate_distance: 6
  batch_size: 100
  max_pixels: 100000000
downloads:
  pattern: "*.zip"
  extra_dirs: [~/Downloads, '/tmp/x']
  timeout_minutes: 1440
final: {layout: kohya, repeats: 10, optional_tags: drop, missing_caption: empty, empty_caption: allow}
lookup:
  min_similarity: 80
  saucenao: {api_key: k, db_mask: 512}
""")
put("config", "anchors.yaml", "a: &x {b: 1}\nc: *x\nd: !!str 5\n---\ne: [1, [2, [3]]]\n")

# exif: a JPEG with an APP1 Exif block, a PNG with eXIf, a WebP with an EXIF chunk (tiny TIFF inside).
tiff = b"II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00"
app1 = b"Exif\x00\x00" + tiff
put("exif", "app1.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + b"\xff\xda\x00\x02\xff\xd9")
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
put("exif", "exif.png", b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + chunk(b"eXIf", tiff) + chunk(b"IEND", b""))
riff_body = b"WEBP" + b"VP8X" + struct.pack("<I", 10) + b"\x08" + b"\x00" * 9 + b"EXIF" + struct.pack("<I", len(tiff)) + tiff
put("exif", "exif.webp", b"RIFF" + struct.pack("<I", len(riff_body)) + riff_body)

# saucenao
put("saucenao", "results.json", """{"header":{"user_id":"12345","account_type":"1","short_limit":"4","long_limit":"100","long_remaining":99,"short_remaining":3,"status":0,"results_requested":"8","index":{"5":{"status":0,"parent_id":5,"id":5,"results":8}},"search_depth":"128","minimum_similarity":45.21,"results_returned":2},"results":[{"header":{"similarity":"93.10","thumbnail":"https:\\/\\/img3.saucenao.com\\/a.jpg","index_id":9,"index_name":"Index #9: Danbooru","dupes":1,"hidden":0},"data":{"ext_urls":["https:\\/\\/danbooru.donmai.us\\/post\\/show\\/1"],"danbooru_id":1,"gelbooru_id":7,"creator":"ningen mame","material":"genshin impact","characters":"hu tao","source":""}},{"header":{"similarity":"50.0","index_id":25},"data":{"gelbooru_id":"9","creator":["a","b"]}}]}""")
put("saucenao", "index-array.json", """{"header":{"user_id":12345,"account_type":1,"short_limit":"4","long_limit":"100","long_remaining":-1,"short_remaining":0,"status":1,"index":[{"status":0,"id":5}],"minimum_similarity":"45"},"results":null}""")
put("saucenao", "rate-limit.html", "<strong>Search Rate Too High.</strong><br /><br />Your IP/account has exceeded the basic 30 second search rate limit.")

# iqdb
card = """<div><table><tr><th>{h}</th></tr><tr><td class='image'><a href="{href}"><img src='/danbooru/a.jpg' alt="Rating: s"></a></td></tr><tr><td>Danbooru</td></tr><tr><td>2048×1536 [Safe]</td></tr><tr><td>{s}% similarity</td></tr></table></div>"""
page = """<!DOCTYPE html><html><body><div id='pages' class='pages'><div><table><tr><th>Your image</th></tr><tr><td>2048×1536</td></tr></table></div>{t}</div></body></html>"""
put("iqdb", "matches.html", page.format(t=card.format(h="Best match", href="//danbooru.donmai.us/posts/123", s=95)
    + card.format(h="Additional match", href="https://gelbooru.com/index.php?page=post&amp;s=view&amp;id=9", s=88)))
# Found by hand after fuzzing ran slow: unclosed tables made the lazy table regex take minutes.
put("iqdb", "slow-unclosed-tables.html", "<table>" * 2000)
put("iqdb", "none.html", page.format(t="<div><table><tr><th>No relevant matches</th></tr></table></div>"))
