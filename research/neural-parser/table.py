#!/usr/bin/env python3
"""Print the results table (markdown) from /tmp/nn/results.jsonl."""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/nn/results.jsonl"
rows = [json.loads(l) for l in open(path) if l.strip()]
print("| run | mode | encoder | params | MACs/token | best epoch / run | train min (CPU s) | "
      "UAS greedy | LAS greedy | UAS MST | LAS MST | UPOS | XPOS | torch 1-thread tok/s |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    d = r["dev"] if "dev" in r else r
    if "args" in r:
        a = r["args"]
        enc = f"{a['layers']}x{'BiLSTM' if a['enc'] == 'lstm' else 'CNN'} {a['hidden']}"
        if a.get("char_cnn"):
            enc += f" + charCNN {a['char_cnn']}"
        enc += f", emb {a['emb']}" + (f"+tag {a['tag_emb']}" if a["mode"] == "tags" else "")
        enc += f", arc {a['arc_dim']}, lab {a['lab_dim']} {a['lab_scorer']}"
        mode = a["mode"]
        params = f"{r['params'] / 1e6:.2f}M"
        macs = f"{r['macs']['total'] / 1e3:.0f}k"
        ep = f"{r['best_epoch']} / {r['epochs_run']}"
        tm = f"{r['train_minutes']} ({r['train_cpu_s']})"
        sp = f"{r['speed']['cpu_tok_s']:.0f}"
    else:
        enc = "ensemble of " + " + ".join(r["members"])
        mode = params = macs = ep = tm = sp = ""
    up = f"{d['upos']:.4f}" if "upos" in d else ""
    xp = f"{d['xpos']:.4f}" if "xpos" in d else ""
    print(f"| {r['name']} | {mode} | {enc} | {params} | {macs} | {ep} | {tm} | {d['greedy']['uas']:.4f} | "
          f"{d['greedy']['las']:.4f} | {d['mst']['uas']:.4f} | {d['mst']['las']:.4f} | {up} | {xp} | {sp} |")
