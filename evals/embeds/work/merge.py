"""Check the labellers' files against the paragraphs and write ../labels.jsonl."""
import json
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
CATS = {"post", "share", "related", "caption", "credit", "source", "header", "bio", "disclaimer", "ad", "cta", "comments", "nav", "other"}
paras = {}
for l in open(here.parent / "data/paragraphs.jsonl", encoding="utf-8"):
    d = json.loads(l); paras.setdefault(d["doc_id"], []).append(d)
def check(path):
    out, errors = [], []
    for n, l in enumerate(open(path, encoding="utf-8"), 1):
        if not l.strip(): continue
        try: d = json.loads(l)
        except Exception as e: errors.append(f"{path}:{n}: bad JSON {e}"); continue
        ps = paras.get(d.get("doc_id"))
        if ps is None: errors.append(f"{path}:{n}: unknown doc_id {d.get('doc_id')}"); continue
        for k, c in d.get("remove", {}).items():
            if not (0 <= int(k) < len(ps)): errors.append(f"{path}:{n}: index {k} out of range")
            if c not in CATS: errors.append(f"{path}:{n}: unknown category {c}")
        for k, m in d.get("mixed", {}).items():
            if not (0 <= int(k) < len(ps)): errors.append(f"{path}:{n}: index {k} out of range"); continue
            if m.get("category") not in CATS: errors.append(f"{path}:{n}: unknown category {m.get('category')}")
            for s in m.get("spans", []):
                if s not in ps[int(k)]["text"]: errors.append(f"{path}:{n}: doc {d['doc_id']} [{k}] span not in paragraph: {s[:60]!r}")
        out.append(d)
    return out, errors
def words(text):
    import re
    return re.findall(r"\w+", text.lower())


def finalize(files, out_dir):
    """Write labels.jsonl (one line per paragraph) and documents.jsonl (one line per document).

    One policy is applied on top of the labellers' files, for consistency between them: a
    paragraph among the first three whose words are the document title's words is REMOVE
    `header` (the title repeated into the body; labellers differed on it)."""
    items = {json.loads(l)["id"]: json.loads(l) for l in open(here.parent / "data/items.jsonl", encoding="utf-8")}
    docs = {}
    for f in files:
        for d in check(f)[0]:
            d["labeller_file"] = Path(f).name
            docs[d["doc_id"]] = d
    adjusted = 0
    with open(out_dir / "labels.jsonl", "w", encoding="utf-8") as lab, open(out_dir / "documents.jsonl", "w", encoding="utf-8") as dd:
        for doc_id in sorted(docs):
            d = docs[doc_id]
            title = words(items[doc_id]["title"])
            remove = {int(k): c for k, c in d.get("remove", {}).items()}
            mixed = {int(k): m for k, m in d.get("mixed", {}).items()}
            either = set(d.get("either", []))
            for p in paras[doc_id]:
                i, text = p["index"], p["text"]
                rec = {"doc_id": doc_id, "index": i, "sha1": p["sha1"], "split": p["split"]}
                if i < 3 and title and words(text) == title and i not in remove:
                    remove[i] = "header"; mixed.pop(i, None); either.discard(i); rec["adjusted"] = "title_repeat"; adjusted += 1
                if i in remove:
                    rec.update(label="REMOVE", category=remove[i])
                elif i in mixed:
                    rec.update(label="MIXED", category=mixed[i]["category"], spans=mixed[i]["spans"])
                elif i in either:
                    rec.update(label="EITHER", category="either")
                else:
                    rec.update(label="KEEP", category="content")
                lab.write(json.dumps(rec, ensure_ascii=False) + "\n")
            dd.write(json.dumps({"doc_id": doc_id, "split": items[doc_id]["split"], "is_article": d.get("is_article", True),
                                 "doc_category": d.get("doc_category"), "labeller": d["labeller_file"],
                                 "note": d.get("note", "")}, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents; {adjusted} title repeats set to REMOVE header")


if __name__ == "__main__" and sys.argv[1] == "--finalize":
    finalize(sys.argv[2:], here.parent)
elif __name__ == "__main__":
    files = sys.argv[1:]
    allerr = []
    for f in files:
        docs, errors = check(f)
        allerr += errors
        print(f, len(docs), "documents,", len(errors), "errors")
    for e in allerr[:50]: print(e)
