#!/usr/bin/env python3
"""One-time migration of the dev event dates to issue 8's rule (run once, 2026-11-26).

The rule: an event's date is the time expression that governs its trigger,
else the dateline's date, else the publication date for asserted past-tense
events, else null. The dev set had followed an older guideline (null when the
text gives no time and there is no dateline), so:

- sentence records: an asserted event with a null date whose trigger is in
  the past tense (a past verb, a perfect or a past passive; a noun trigger
  takes the tense of the verb it depends on, and is past when it depends on
  none) now takes the record's publication date;
- annotated articles: an event that is not asserted (negated, future,
  conditional, hypothetical) and was given the article's own date (its
  dateline/publication date) with no time expression governing it now has a
  null date. Every such event was checked by hand to have no time expression
  of its own before this script was run.

Tense comes from the project's tagger and parser (`newsgraph extract
--tokens`), the same reading as the code's (events/setting.rs, `past_tense`),
checked by hand: `REVIEWED_PAST` lists where the reviewer overruled the
tagger. The script prints every change.

usage: scripts/dev_event_dates.py NEWSGRAPH_BINARY DEV_DIR [--write]
"""
import glob
import json
import re
import subprocess
import sys


def is_past(tokens, i):
    t = tokens[i]
    kids = [k for k in tokens if k.get("head") == i]
    aux = [k for k in kids if k["deprel"] in ("aux", "aux:pass", "cop")]
    if t["xpos"] == "VBD":
        return True
    if t["xpos"] == "VBN":
        return any(a["text"].lower() in ("had", "has", "have", "was", "were", "'d") for a in aux)
    return any(a["xpos"] == "VBD" for a in aux)


def past_tense(tokens, i):
    """Whether the clause of token i tells of the past: a finite verb by its
    own tense; a non-finite verb or a noun by the verb it depends on; a noun
    that depends on no verb, or an unattached participle, is past."""
    for _ in range(8):
        t = tokens[i]
        kids = [k for k in tokens if k.get("head") == i]
        finite = t["xpos"] in ("VBD", "VBZ", "VBP", "MD") or any(
            k["deprel"] in ("aux", "aux:pass", "cop") for k in kids)
        if finite:
            return is_past(tokens, i)
        if t.get("head") is None:
            return t["upos"] not in ("VERB", "AUX") or t["xpos"] in ("VBN", "VBD")
        i = t["head"]
    return False


# Where the reviewer overruled the tagger's tense: "a network of fake accounts
# ... that spread false claims" (Meta said it had taken it down) is past; the
# tagger read "spread" as a present form.
REVIEWED_PAST = {("s0184", "spread false claims")}


def tokens_of(binary, text, date):
    rec = json.dumps({"id": "x", "text": text, "date": date})
    out = subprocess.run([binary, "extract", "--tokens", "-"], input=rec + "\n",
                         capture_output=True, text=True, check=True).stdout
    doc = json.loads(out.splitlines()[0])
    toks = doc["tokens"]
    # heads in the output are 1-based within the sentence; make them global
    for s in doc["sentences"]:
        idx = [k for k, t in enumerate(toks) if s["start"] <= t["start"] < s["end"]]
        for k in idx:
            h = toks[k].get("head")
            toks[k]["head"] = None if not h else idx[0] + h - 1
    return toks


def trigger_start(text, trigger):
    word, _, n = trigger.partition("@")
    at = -1
    for _ in range(int(n or 1)):
        at = text.index(word, at + 1)
    return at


def main():
    binary, dev = sys.argv[1], sys.argv[2]
    write = "--write" in sys.argv
    changed = 0
    path = f"{dev}/events/sentences.jsonl"
    lines = []
    for line in open(path):
        rec = json.loads(line)
        todo = [e for e in rec["events"] if e["modality"] == "asserted" and e["date"] is None]
        if todo:
            toks = tokens_of(binary, rec["text"], rec["published"])
            for e in todo:
                at = trigger_start(rec["text"], e["trigger"])
                i = next(k for k, t in enumerate(toks) if t["start"] <= at < t["end"])
                if past_tense(toks, i) or (rec["id"], e["trigger"]) in REVIEWED_PAST:
                    e["date"] = rec["published"]
                    changed += 1
                    print(f"{rec['id']}: {e['type']} \"{e['trigger']}\" null -> {rec['published']}")
                else:
                    print(f"{rec['id']}: {e['type']} \"{e['trigger']}\" stays null (not past)")
        lines.append(json.dumps(rec, ensure_ascii=False))
    if write:
        open(path, "w").write("\n".join(lines) + "\n")
    for f in sorted(glob.glob(f"{dev}/articles/*.json")):
        txt = open(f[:-5] + ".txt").read()
        pub = re.search(r"^Date:\s*(\S+)", txt, re.M).group(1)[:10]
        gold = json.load(open(f))
        n = 0
        for e in gold["events"]:
            if e["modality"] != "asserted" and e["date"] == pub:
                print(f"{f}: {e['modality']} {e['type']} \"{e['trigger']}\" {pub} -> null")
                e["date"] = None
                n += 1
        changed += n
        if n and write:
            # Keep the hand-made layout (an event on one or more lines):
            # rewrite only the date that follows each changed event's
            # sentence and trigger.
            raw = open(f).read()
            for e in gold["events"]:
                if e["date"] is not None or e["modality"] == "asserted":
                    continue
                at = raw.index(json.dumps(e["sentence"], ensure_ascii=False))
                at = raw.index(f'"trigger": {json.dumps(e["trigger"], ensure_ascii=False)}', at)
                d = raw.index('"date": ', at)
                old = f'"date": "{pub}"'
                if raw.startswith(old, d):
                    raw = raw[:d] + '"date": null' + raw[d + len(old):]
            open(f, "w").write(raw)
    print(f"{changed} records changed")


if __name__ == "__main__":
    main()
