"""Print the documents of a labelling chunk, paragraph by paragraph, with their indexes.
usage: python show.py CHUNK_FILE [START_DOC [N_DOCS]]"""
import json
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
ids = [l.strip() for l in open(sys.argv[1]) if l.strip()]
start = int(sys.argv[2]) if len(sys.argv) > 2 else 0
n = int(sys.argv[3]) if len(sys.argv) > 3 else len(ids)
want = ids[start:start + n]
items = {}
for l in open(here.parent / "data/items.jsonl", encoding="utf-8"):
    d = json.loads(l)
    if d["id"] in want:
        items[d["id"]] = d
paras = {}
for l in open(here.parent / "data/paragraphs.jsonl", encoding="utf-8"):
    d = json.loads(l)
    if d["doc_id"] in want:
        paras.setdefault(d["doc_id"], []).append(d)
for k, doc_id in enumerate(want):
    it = items[doc_id]
    print(f"=== DOC #{start + k} {doc_id} | title: {it['title']!r} | url: {it['url']}")
    for p in paras.get(doc_id, []):
        print(f"[{p['index']}] {p['text']}")
    print()
