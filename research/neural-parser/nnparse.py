#!/usr/bin/env python3
"""Research script: biaffine graph-based dependency parser (Dozat & Manning 2017)
at several sizes, trained on UD EWT train + GUM train, scored on EWT dev.

Reads the corpora from /work/shared/data at run time; writes models and logs to
/tmp/nn/. Nothing derived from the corpora is stored in the repository.

Word features (summed into one vector of --emb dims, so the input width does
not grow with the number of features): exact form and lowercased form (train
vocabulary, count >= 2, others -> UNK, word dropout alpha/(alpha+count)),
hashed (FNV-1a 32-bit, --buckets rows) prefixes and suffixes 1-4 of the
lowercased form, word shape; optionally a char CNN (--char-cnn C).

Modes: --mode tags (predicted UPOS/XPOS from /tmp/jk5-tags.txt as input,
jack-knifed on train) or --mode joint (no tag input; UPOS/XPOS predicted from
the encoder, and scored).

Encoders: --enc lstm (--layers x BiLSTM --hidden per direction) or
--enc cnn (--layers conv1d of --hidden channels, kernel --kernel, residual).
Heads: arc MLPs (--arc-dim) + biaffine; label MLPs (--lab-dim) +
biaffine (--lab-scorer biaffine) or a cheap linear scorer over
[dep; head; dep*head] (--lab-scorer lin).
Decoding: greedy head argmax and Chu-Liu-Edmonds (one root), both reported.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

D = "/work/shared/data"
TRAIN = [f"{D}/ud-ewt/en_ewt-ud-train.conllu", f"{D}/gum/en_gum-ud-train.conllu"]
DEV = f"{D}/ud-ewt/en_ewt-ud-dev.conllu"
TAGS = "/tmp/jk5-tags.txt"
OUT = "/tmp/nn"
ROOT = "<ROOT>"
sys.setrecursionlimit(10000)


# ---------------------------------------------------------------- data

def read_conllu(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            cur.append((cols[1], cols[3], cols[4], int(cols[6]), cols[7]))
    if cur:
        sents.append(cur)
    out = []
    for s in sents:
        out.append(dict(form=[t[0] for t in s], upos=[t[1] for t in s], xpos=[t[2] for t in s],
                        head=[t[3] for t in s], rel=[t[4] for t in s]))
    return out


def attach_pred_tags(sets):
    lines = open(TAGS, encoding="utf-8").read().split("\n")
    i = 0
    for sents in sets:
        for s in sents:
            toks = lines[i].split(" ")
            i += 1
            assert len(toks) == len(s["form"]), (i, len(toks), len(s["form"]))
            s["pupos"] = [t.split("_", 1)[0] for t in toks]
            s["pxpos"] = [t.split("_", 1)[1] for t in toks]


def fnv1a(s):
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def shape(w):
    out, last, run = [], None, 0
    for ch in w:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if c == last:
            run += 1
            if run > 2:
                continue
        else:
            run = 1
        last = c
        out.append(c)
    return "".join(out)


class Vocab:
    def __init__(self, items, min_count=1, specials=("<pad>", ROOT, "<unk>")):
        from collections import Counter
        c = Counter(items)
        self.itos = list(specials) + sorted(w for w, n in c.items() if n >= min_count and w not in specials)
        self.stoi = {w: i for i, w in enumerate(self.itos)}
        self.count = c

    def __len__(self):
        return len(self.itos)

    def get(self, w):
        return self.stoi.get(w, 2)


class Featurizer:
    def __init__(self, train, args):
        forms = [w for s in train for w in s["form"]]
        self.word = Vocab(forms, 2)
        self.lower = Vocab([w.lower() for w in forms], 2)
        self.shape = Vocab([shape(w) for w in forms], 1)
        self.upos = Vocab([t for s in train for t in s["upos"]], 1)
        self.xpos = Vocab([t for s in train for t in s["xpos"]], 1)
        self.rel = Vocab([t for s in train for t in s["rel"]], 1, specials=("<pad>",))
        self.buckets = args.buckets
        self.maxchar = 20
        chars = Vocab([c for w in forms for c in w], 5)
        self.char = chars
        self._aff = {}

    def affixes(self, w):
        r = self._aff.get(w)
        if r is None:
            if w == ROOT:
                r = [fnv1a(f"root{k}") % self.buckets for k in range(8)]
            else:
                lw = w.lower()
                r = [fnv1a(f"p{k}:{lw[:k]}") % self.buckets for k in range(1, 5)] + \
                    [fnv1a(f"s{k}:{lw[-k:]}") % self.buckets for k in range(1, 5)]
            self._aff[w] = r
        return r

    def encode(self, s, mode):
        forms = [ROOT] + s["form"]
        e = {}
        e["word"] = [self.word.get(w) for w in forms]
        e["lower"] = [self.lower.get(w.lower()) if w != ROOT else 1 for w in forms]
        e["wcount"] = [self.word.count.get(w, 0) for w in forms]
        e["lcount"] = [self.lower.count.get(w.lower(), 0) for w in forms]
        e["aff"] = [self.affixes(w) for w in forms]
        e["shape"] = [self.shape.get(shape(w)) if w != ROOT else 1 for w in forms]
        ch = []
        for w in forms:
            ids = [self.char.get(c) for c in w[: self.maxchar]] if w != ROOT else [1]
            ch.append(ids)
        e["chars"] = ch
        if mode == "tags":
            e["tu"] = [1] + [self.upos.get(t) for t in s["pupos"]]
            e["tx"] = [1] + [self.xpos.get(t) for t in s["pxpos"]]
        e["gu"] = [0] + [self.upos.get(t) for t in s["upos"]]
        e["gx"] = [0] + [self.xpos.get(t) for t in s["xpos"]]
        e["head"] = [0] + s["head"]
        e["rel"] = [0] + [self.rel.stoi.get(t, 0) for t in s["rel"]]
        e["n"] = len(forms)
        return e


def word_dropout(b, alpha=0.25):
    """Replace a word (lowercase) id by UNK with probability alpha/(alpha+count)."""
    b = dict(b)
    for key, ck in (("word", "wcount"), ("lower", "lcount")):
        drop = torch.rand(b[key].shape) < alpha / (alpha + b[ck])
        drop &= b[key] > 2
        b[key] = b[key].masked_fill(drop, 2)
    return b


def batchify(encs):
    B = len(encs)
    T = max(e["n"] for e in encs)
    C = max(len(c) for e in encs for c in e["chars"])

    def pad(key, fill=0):
        t = torch.full((B, T), fill, dtype=torch.long)
        for i, e in enumerate(encs):
            t[i, : e["n"]] = torch.tensor(e[key])
        return t

    b = {k: pad(k) for k in ("word", "lower", "shape", "gu", "gx", "head", "rel")}
    if "tu" in encs[0]:
        b["tu"] = pad("tu")
        b["tx"] = pad("tx")
    aff = torch.zeros((B, T, 8), dtype=torch.long)
    chars = torch.zeros((B, T, C), dtype=torch.long)
    for i, e in enumerate(encs):
        aff[i, : e["n"]] = torch.tensor(e["aff"])
        for j, c in enumerate(e["chars"]):
            chars[i, j, : len(c)] = torch.tensor(c)
    b["aff"] = aff
    b["chars"] = chars
    b["lens"] = torch.tensor([e["n"] for e in encs])
    b["mask"] = torch.arange(T)[None, :] < b["lens"][:, None]
    for key, ck in (("word", "wcount"), ("lower", "lcount")):
        cnt = torch.zeros((B, T))
        for i, e in enumerate(encs):
            cnt[i, : e["n"]] = torch.tensor(e[ck], dtype=torch.float)
        b[ck] = cnt
    return b


# ---------------------------------------------------------------- model

class MLP(nn.Module):
    def __init__(self, i, o, drop):
        super().__init__()
        self.l = nn.Linear(i, o)
        self.d = nn.Dropout(drop)

    def forward(self, x):
        return self.d(F.leaky_relu(self.l(x), 0.1))


class Parser(nn.Module):
    def __init__(self, fz, a):
        super().__init__()
        self.a = a
        E = a.emb
        self.word = nn.Embedding(len(fz.word), E, padding_idx=0)
        self.lower = nn.Embedding(len(fz.lower), E, padding_idx=0)
        self.shape = nn.Embedding(len(fz.shape), E, padding_idx=0)
        self.aff = nn.Embedding(a.buckets, E)
        for emb in (self.word, self.lower, self.shape, self.aff):
            nn.init.normal_(emb.weight, 0, 1.0 / math.sqrt(11))
        inp = E
        if a.char_cnn:
            self.cemb = nn.Embedding(len(fz.char), a.char_dim, padding_idx=0)
            self.cconv = nn.Conv1d(a.char_dim, a.char_cnn, 3, padding=1)
            self.cproj = nn.Linear(a.char_cnn, E, bias=False)
        if a.mode == "tags":
            self.tu = nn.Embedding(len(fz.upos), a.tag_emb, padding_idx=0)
            self.tx = nn.Embedding(len(fz.xpos), a.tag_emb, padding_idx=0)
            inp += a.tag_emb
        self.inp = inp
        self.edrop = nn.Dropout(a.dropout)
        if a.enc == "lstm":
            self.lstm = nn.LSTM(inp, a.hidden, num_layers=a.layers, bidirectional=True,
                                batch_first=True, dropout=a.dropout if a.layers > 1 else 0)
            H = 2 * a.hidden
        else:
            self.convs = nn.ModuleList()
            c = inp
            for _ in range(a.layers):
                self.convs.append(nn.Conv1d(c, a.hidden, a.kernel, padding=a.kernel // 2))
                c = a.hidden
            H = a.hidden
        self.H = H
        self.odrop = nn.Dropout(a.dropout)
        self.arc_d = MLP(H, a.arc_dim, a.dropout)
        self.arc_h = MLP(H, a.arc_dim, a.dropout)
        self.lab_d = MLP(H, a.lab_dim, a.dropout)
        self.lab_h = MLP(H, a.lab_dim, a.dropout)
        self.U = nn.Parameter(torch.zeros(a.arc_dim, a.arc_dim))
        self.u_h = nn.Parameter(torch.zeros(a.arc_dim))
        L = len(fz.rel)
        self.L = L
        if a.lab_scorer == "biaffine":
            self.Ul = nn.Parameter(torch.zeros(L, a.lab_dim, a.lab_dim))
            self.Wl = nn.Linear(2 * a.lab_dim, L)
        else:
            self.Wl = nn.Linear(3 * a.lab_dim, L)
        if a.mode == "joint":
            self.tag_u = nn.Linear(H, len(fz.upos))
            self.tag_x = nn.Linear(H, len(fz.xpos))

    def encode(self, b):
        a = self.a
        x = self.word(b["word"]) + self.lower(b["lower"]) + self.shape(b["shape"]) + self.aff(b["aff"]).sum(2)
        if a.char_cnn:
            B, T, C = b["chars"].shape
            ce = self.cemb(b["chars"].view(B * T, C)).transpose(1, 2)
            h = F.relu(self.cconv(ce))
            h = h.masked_fill((b["chars"].view(B * T, C) == 0)[:, None, :], 0).max(2).values
            x = x + self.cproj(h).view(B, T, -1)
        if a.mode == "tags":
            t = self.tu(b["tu"]) + self.tx(b["tx"])
            x = torch.cat([x, t], -1)
        x = self.edrop(x)
        if a.enc == "lstm":
            pk = nn.utils.rnn.pack_padded_sequence(x, b["lens"], batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(pk)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
        else:
            h = x.transpose(1, 2)
            m = b["mask"][:, None, :].float()
            for i, conv in enumerate(self.convs):
                y = F.relu(conv(h)) * m
                if i > 0:
                    y = y + h
                h = F.dropout(y, a.dropout, self.training) if i < len(self.convs) - 1 else y
            h = h.transpose(1, 2)
        return self.odrop(h)

    def forward(self, b):
        h = self.encode(b)
        ad, ah = self.arc_d(h), self.arc_h(h)
        # S[b, dep, head]
        S = torch.einsum("bid,de,bje->bij", ad, self.U, ah) + (ah @ self.u_h)[:, None, :]
        S = S.masked_fill(~b["mask"][:, None, :], -1e9)
        out = dict(arc=S, ld=self.lab_d(h), lh=self.lab_h(h), h=h)
        if self.a.mode == "joint":
            out["tu"] = self.tag_u(h)
            out["tx"] = self.tag_x(h)
        return out

    def label_scores(self, ld, lh, heads):
        # ld, lh: [B,T,d]; heads [B,T] -> scores [B,T,L] for each dependent with its given head
        hh = torch.gather(lh, 1, heads[:, :, None].expand(-1, -1, lh.shape[-1]))
        if self.a.lab_scorer == "biaffine":
            s = torch.einsum("btd,lde,bte->btl", ld, self.Ul, hh)
            return s + self.Wl(torch.cat([ld, hh], -1))
        return self.Wl(torch.cat([ld, hh, ld * hh], -1))


def macs_per_token(a, fz, n=25, avg_chars=6.0):
    """Analytic multiply-adds per token at inference (nonlinearities not counted)."""
    d = {}
    E = a.emb
    d["emb_sums"] = E * (3 + 8 + (2 if a.mode == "tags" else 0))  # additions of looked-up rows
    if a.char_cnn:
        d["char_cnn"] = int(avg_chars * 3 * a.char_dim * a.char_cnn + a.char_cnn * E)
    inp = E + (a.tag_emb if a.mode == "tags" else 0)
    if a.enc == "lstm":
        tot, x = 0, inp
        for _ in range(a.layers):
            tot += 2 * 4 * a.hidden * (x + a.hidden)
            x = 2 * a.hidden
        d["encoder"] = tot
        H = 2 * a.hidden
    else:
        tot, x = 0, inp
        for _ in range(a.layers):
            tot += a.kernel * x * a.hidden
            x = a.hidden
        d["encoder"] = tot
        H = a.hidden
    d["arc_mlps"] = 2 * H * a.arc_dim
    d["lab_mlps"] = 2 * H * a.lab_dim
    d["biaffine_arc"] = a.arc_dim * a.arc_dim + n * (a.arc_dim + 1)
    L = len(fz.rel)
    if a.lab_scorer == "biaffine":
        d["labels"] = L * (a.lab_dim * a.lab_dim + a.lab_dim) + 2 * a.lab_dim * L
    else:
        d["labels"] = 3 * a.lab_dim * L
    if a.mode == "joint":
        d["tags"] = H * (len(fz.upos) + len(fz.xpos))
    d["total"] = sum(d.values())
    return d


# ---------------------------------------------------------------- decoding

def tarjan(tree):
    indices = -np.ones_like(tree)
    lowlinks = -np.ones_like(tree)
    onstack = np.zeros_like(tree, dtype=bool)
    stack, _index, cycles = [], [0], []

    def strong_connect(i):
        _index[0] += 1
        index = _index[-1]
        indices[i] = lowlinks[i] = index - 1
        stack.append(i)
        onstack[i] = True
        for j in np.where(np.equal(tree, i))[0]:
            if indices[j] == -1:
                strong_connect(j)
                lowlinks[i] = min(lowlinks[i], lowlinks[j])
            elif onstack[j]:
                lowlinks[i] = min(lowlinks[i], indices[j])
        if lowlinks[i] == indices[i]:
            cycle = np.zeros_like(indices, dtype=bool)
            while stack[-1] != i:
                j = stack.pop()
                onstack[j] = False
                cycle[j] = True
            stack.pop()
            onstack[i] = False
            cycle[i] = True
            if cycle.sum() > 1:
                cycles.append(cycle)

    for i in range(len(tree)):
        if indices[i] == -1:
            strong_connect(i)
    return cycles


def chuliu_edmonds(scores):
    """scores[dep, head] (log-probs); returns head array (tree[0] = 0)."""
    scores = scores.copy()
    np.fill_diagonal(scores, -np.inf)
    scores[0] = -np.inf
    scores[0, 0] = 0
    tree = np.argmax(scores, axis=1)
    cycles = tarjan(tree)
    if not cycles:
        return tree
    cycle = cycles.pop()
    cycle_locs = np.where(cycle)[0]
    cycle_subtree = tree[cycle]
    cycle_scores = scores[cycle, cycle_subtree]
    cycle_score = cycle_scores.sum()
    noncycle = np.logical_not(cycle)
    noncycle_locs = np.where(noncycle)[0]
    metanode_head_scores = scores[cycle][:, noncycle] - cycle_scores[:, None] + cycle_score
    metanode_dep_scores = scores[noncycle][:, cycle]
    metanode_heads = np.argmax(metanode_head_scores, axis=0)
    metanode_deps = np.argmax(metanode_dep_scores, axis=1)
    subscores = scores[noncycle][:, noncycle]
    subscores = np.pad(subscores, ((0, 1), (0, 1)), "constant")
    subscores[-1, :-1] = metanode_head_scores[metanode_heads, np.arange(len(noncycle_locs))]
    subscores[:-1, -1] = metanode_dep_scores[np.arange(len(noncycle_locs)), metanode_deps]
    contracted_tree = chuliu_edmonds(subscores)
    cycle_head = contracted_tree[-1]
    contracted_tree = contracted_tree[:-1]
    new_tree = -np.ones_like(tree)
    sub = contracted_tree < len(contracted_tree)
    new_tree[noncycle_locs[sub]] = noncycle_locs[contracted_tree[sub]]
    sub = np.logical_not(sub)
    new_tree[noncycle_locs[sub]] = cycle_locs[metanode_deps[sub]]
    new_tree[cycle_locs] = tree[cycle_locs]
    cycle_root = metanode_heads[cycle_head]
    new_tree[cycle_locs[cycle_root]] = noncycle_locs[cycle_head]
    return new_tree


def mst_one_root(scores):
    scores = scores.astype(np.float64)
    tree = chuliu_edmonds(scores)
    roots = np.where(np.equal(tree[1:], 0))[0] + 1
    if len(roots) == 1:
        return tree
    best, best_tree = -np.inf, None
    for r in roots:
        s = scores.copy()
        root_score = s[r, 0]
        s[1:, 0] = -np.inf
        s[r] = -np.inf
        s[r, 0] = 0
        t = chuliu_edmonds(s)
        tp = s[np.arange(len(s)), t]
        sc = tp.sum() + root_score if (tp > -np.inf).all() else -np.inf
        if sc > best:
            best, best_tree = sc, t
    return best_tree


# ---------------------------------------------------------------- train / eval

def batches(encs, max_tokens, shuffle):
    idx = sorted(range(len(encs)), key=lambda i: encs[i]["n"])
    out, cur, ntok = [], [], 0
    for i in idx:
        if cur and (len(cur) + 1) * max(encs[i]["n"], 1) > max_tokens:
            out.append(cur)
            cur = []
        cur.append(i)
    if cur:
        out.append(cur)
    if shuffle:
        random.shuffle(out)
    return out


def loss_fn(model, b, out, distill=None):
    mask = b["mask"].clone()
    mask[:, 0] = False
    S = out["arc"]
    arc_loss = F.cross_entropy(S[mask], b["head"][mask])
    ls = model.label_scores(out["ld"], out["lh"], b["head"])
    lab_loss = F.cross_entropy(ls[mask], b["rel"][mask])
    loss = arc_loss + lab_loss
    if "tu" in out:
        loss = loss + F.cross_entropy(out["tu"][mask], b["gu"][mask]) + F.cross_entropy(out["tx"][mask], b["gx"][mask])
    if distill is not None:
        # soft cross-entropy against the teacher's head and label distributions
        kd, w = distill
        loss = loss + w * (-(kd["arc"].exp() * F.log_softmax(S, -1))[mask].sum(-1).mean()
                           - (kd["lab"].exp() * F.log_softmax(ls, -1))[mask].sum(-1).mean())
    return loss


@torch.no_grad()
def teacher_outputs(name, tb):
    """Log-probabilities of a saved model (the teacher) for every training batch (clean input)."""
    ck = torch.load(f"{OUT}/{name}.pt", weights_only=False)
    t = Parser(ck["fz"], argparse.Namespace(**ck["args"]))
    t.load_state_dict(ck["state"])
    t.eval()
    res = []
    for b in tb:
        o = t(b)
        res.append(dict(arc=F.log_softmax(o["arc"], -1).half(),
                        lab=F.log_softmax(t.label_scores(o["ld"], o["lh"], b["head"]), -1).half()))
    return res


@torch.no_grad()
def predict(models, encs, bs=64, mst=True):
    """Average of the models' log-softmax arc and label scores."""
    for m in models:
        m.eval()
    res = [None] * len(encs)
    for i0 in range(0, len(encs), bs):
        chunk = list(range(i0, min(len(encs), i0 + bs)))
        b = batchify([encs[i] for i in chunk])
        outs = [m(b) for m in models]
        arc = sum(F.log_softmax(o["arc"], -1) for o in outs) / len(outs)
        greedy = arc.argmax(-1)
        tu = tx = None
        if "tu" in outs[0]:
            tu = sum(F.log_softmax(o["tu"], -1) for o in outs).argmax(-1)
            tx = sum(F.log_softmax(o["tx"], -1) for o in outs).argmax(-1)
        heads_mst = greedy.clone()
        if mst:
            arcn = arc.numpy()
            for k, i in enumerate(chunk):
                n = encs[i]["n"]
                heads_mst[k, :n] = torch.from_numpy(mst_one_root(arcn[k, :n, :n]))
        lab = {}
        for name, hd in (("greedy", greedy), ("mst", heads_mst)):
            ls = sum(F.log_softmax(m.label_scores(o["ld"], o["lh"], hd), -1) for m, o in zip(models, outs))
            lab[name] = ls.argmax(-1)
        for k, i in enumerate(chunk):
            n = encs[i]["n"]
            r = dict(greedy=(greedy[k, 1:n].tolist(), lab["greedy"][k, 1:n].tolist()),
                     mst=(heads_mst[k, 1:n].tolist(), lab["mst"][k, 1:n].tolist()))
            if tu is not None:
                r["tu"], r["tx"] = tu[k, 1:n].tolist(), tx[k, 1:n].tolist()
            res[i] = r
    return res


def score(encs, preds):
    out = {}
    tot = sum(e["n"] - 1 for e in encs)
    for name in ("greedy", "mst"):
        u = l = 0
        for e, p in zip(encs, preds):
            for h, r, gh, gr in zip(p[name][0], p[name][1], e["head"][1:], e["rel"][1:]):
                if h == gh:
                    u += 1
                    if r == gr and gr != 0:
                        l += 1
        out[name] = dict(uas=u / tot, las=l / tot)
    if "tu" in preds[0]:
        cu = sum(a == b for e, p in zip(encs, preds) for a, b in zip(p["tu"], e["gu"][1:]))
        cx = sum(a == b for e, p in zip(encs, preds) for a, b in zip(p["tx"], e["gx"][1:]))
        out["upos"], out["xpos"] = cu / tot, cx / tot
    out["tokens"] = tot
    return out


@torch.no_grad()
def speed(model, encs, doc_sents=32, reps=2):
    """Single-thread inference speed: forward + greedy head argmax + labels,
    batching consecutive sentences as a document. Featurization excluded
    (done before timing). Returns tokens/s by CPU time of the process."""
    torch.set_num_threads(1)
    model.eval()
    bs = [batchify(encs[i:i + doc_sents]) for i in range(0, len(encs), doc_sents)]
    tot = sum(e["n"] - 1 for e in encs)
    best = 0
    for _ in range(reps):
        c0, w0 = time.process_time(), time.perf_counter()
        for b in bs:
            o = model(b)
            hd = o["arc"].argmax(-1)
            model.label_scores(o["ld"], o["lh"], hd).argmax(-1)
            if "tu" in o:
                o["tu"].argmax(-1), o["tx"].argmax(-1)
        c1, w1 = time.process_time(), time.perf_counter()
        best = max(best, tot / (c1 - c0))
    return dict(cpu_tok_s=best, wall_tok_s=tot / (w1 - w0))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--mode", choices=["tags", "joint"], default="tags")
    p.add_argument("--enc", choices=["lstm", "cnn"], default="lstm")
    p.add_argument("--layers", type=int, default=3)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--kernel", type=int, default=3)
    p.add_argument("--emb", type=int, default=100)
    p.add_argument("--tag-emb", type=int, default=50)
    p.add_argument("--char-cnn", type=int, default=0)
    p.add_argument("--char-dim", type=int, default=32)
    p.add_argument("--buckets", type=int, default=1 << 15)
    p.add_argument("--arc-dim", type=int, default=256)
    p.add_argument("--lab-dim", type=int, default=100)
    p.add_argument("--lab-scorer", choices=["biaffine", "lin"], default="biaffine")
    p.add_argument("--dropout", type=float, default=0.33)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--lr-decay", type=float, default=0.95)
    p.add_argument("--batch-tokens", type=int, default=3000)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--minutes", type=float, default=20)
    p.add_argument("--patience", type=int, default=5)
    p.add_argument("--evals-per-epoch", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--teacher", help="saved model name to distill from (same mode, same data)")
    p.add_argument("--kd", type=float, default=1.0, help="weight of the distillation loss")
    p.add_argument("--resume", help="continue training a saved model (same settings; its epochs count on, lr decayed as if continued)")
    p.add_argument("--resume-epoch", type=float, default=0, help="epochs done, for checkpoints saved without it")
    p.add_argument("--max-train", type=int, default=0, help="smoke tests: use the first N training sentences")
    p.add_argument("--max-dev", type=int, default=0)
    p.add_argument("--eval-only", nargs="*", help="ensemble: saved model names to evaluate together")
    a = p.parse_args()

    os.makedirs(OUT, exist_ok=True)
    random.seed(a.seed)
    np.random.seed(a.seed)
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)

    t0 = time.time()
    train_sets = [read_conllu(f) for f in TRAIN]
    dev = read_conllu(DEV)
    if a.mode == "tags" or a.eval_only:
        attach_pred_tags(train_sets + [dev])
    train = [s for ss in train_sets for s in ss]
    if a.max_train:
        train = train[: a.max_train]
    if a.max_dev:
        dev = dev[: a.max_dev]

    if a.eval_only:
        models = []
        for nm in a.eval_only:
            ck = torch.load(f"{OUT}/{nm}.pt", weights_only=False)
            ma = argparse.Namespace(**ck["args"])
            fz = ck["fz"]
            m = Parser(fz, ma)
            m.load_state_dict(ck["state"])
            models.append(m)
        denc = [fz.encode(s, ma.mode) for s in dev]
        r = score(denc, predict(models, denc))
        r["name"] = a.name
        r["members"] = a.eval_only
        print(json.dumps(r))
        with open(f"{OUT}/results.jsonl", "a") as f:
            f.write(json.dumps(r) + "\n")
        return

    fz = Featurizer(train, a)
    tenc = [fz.encode(s, a.mode) for s in train]
    denc = [fz.encode(s, a.mode) for s in dev]
    model = Parser(fz, a)
    ep0 = 0
    if a.resume:
        ck = torch.load(f"{OUT}/{a.resume}.pt", weights_only=False)
        model.load_state_dict(ck["state"])
        ep0 = int(ck.get("epoch", a.resume_epoch))
    nparams = sum(p.numel() for p in model.parameters())
    macs = macs_per_token(a, fz)
    log = open(f"{OUT}/{a.name}.log", "w")

    def say(*x):
        s = " ".join(str(y) for y in x)
        print(s, flush=True)
        log.write(s + "\n")
        log.flush()

    say(f"# {a.name} args={json.dumps(vars(a))}")
    say(f"# params={nparams} macs/token={json.dumps(macs)} vocab word={len(fz.word)} lower={len(fz.lower)} "
        f"shape={len(fz.shape)} rels={len(fz.rel)} train_sents={len(tenc)} prep={time.time() - t0:.0f}s")
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.9))
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, a.lr_decay)
    for _ in range(ep0):
        sched.step()
    best, best_ep, bad, start = -1, 0, 0, time.time()
    tb = [batchify([tenc[i] for i in idx]) for idx in batches(tenc, a.batch_tokens, False)]
    say(f"# {len(tb)} batches, batching {time.time() - start:.0f}s")
    kd = None
    if a.teacher:
        kd = teacher_outputs(a.teacher, tb)
        say(f"# teacher {a.teacher} outputs computed at {time.time() - start:.0f}s")
    order = list(range(len(tb)))
    history = []
    cpu0 = time.process_time()
    for ep in range(ep0 + 1, a.epochs + 1):
        model.train()
        random.shuffle(order)
        bl = [tb[i] for i in order]
        marks = set(int(len(bl) * k / a.evals_per_epoch) for k in range(1, a.evals_per_epoch + 1))
        tl, nb = 0.0, 0
        for bi, b in enumerate(bl, 1):
            b = word_dropout(b)
            out = model(b)
            loss = loss_fn(model, b, out, (kd[order[bi - 1]], a.kd) if kd else None)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            tl += loss.item()
            nb += 1
            if bi in marks:
                r = score(denc, predict([model], denc, mst=True))
                el = (time.time() - start) / 60
                rec = dict(epoch=round(ep - 1 + bi / len(bl), 2), loss=tl / nb, minutes=round(el, 1), **r)
                history.append(rec)
                say(json.dumps(rec))
                las = r["mst"]["las"]
                if las > best:
                    best, best_ep, bad = las, rec["epoch"], 0
                    torch.save(dict(args=vars(a), fz=fz, state=model.state_dict(), epoch=rec["epoch"]),
                               f"{OUT}/{a.name}.pt")
                else:
                    bad += 1
                model.train()
        sched.step()
        if bad >= a.patience or (time.time() - start) / 60 > a.minutes:
            break
    train_min = (time.time() - start) / 60
    train_cpu = time.process_time() - cpu0
    ck = torch.load(f"{OUT}/{a.name}.pt", weights_only=False)
    model.load_state_dict(ck["state"])
    final = score(denc, predict([model], denc))
    sp = speed(model, denc)
    res = dict(name=a.name, args=vars(a), params=nparams, macs=macs, best_epoch=best_ep,
               epochs_run=history[-1]["epoch"], train_minutes=round(train_min, 1),
               train_cpu_s=round(train_cpu), dev=final, speed=sp)
    say(json.dumps(res))
    with open(f"{OUT}/results.jsonl", "a") as f:
        f.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    main()
