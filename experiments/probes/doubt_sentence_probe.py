#!/usr/bin/env python3
"""Probe: can a sentence-level classifier find the sentences that hold a Doubt span?

A check made before building sentence-level technique proposals into the span model. Each
sentence of the PTC training articles (split at line breaks and at . ! ?) is labelled 1 when
a Doubt span covers at least 30 % of it. TF-IDF over word unigrams and bigrams (with ? and !
as words), class-balanced L2 logistic regression, 5-fold cross-validation by article
(seeded). Prints the held-out AUC, the precision and recall at several cut-offs, and the
score the model trained on all articles gives the sentences of an example article.

Needs numpy and scikit-learn (`pip install numpy scikit-learn`); not part of the build.

    python3 experiments/probes/doubt_sentence_probe.py ../shared/data/ptc-train \
        ../shared/examples/victory-plan-rt.txt
"""
import collections
import os
import re
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

TECHNIQUE = "Doubt"


def sentences(text):
    out = []
    for line in re.finditer(r"[^\n]+", text):
        for m in re.finditer(r"[^.!?]+[.!?\"”’]*\s*", line.group()):
            a, b = line.start() + m.start(), line.start() + m.end()
            while b > a and text[b - 1].isspace():
                b -= 1
            if b - a > 3:
                out.append((a, b))
    return out


def fit(texts, y):
    vec = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"(?u)\b\w+\b|[?!]"
    )
    model = LogisticRegression(C=4, class_weight="balanced", max_iter=2000)
    model.fit(vec.fit_transform(texts), y)
    return vec, model


def main(ptc, example):
    arts = {}
    for name in os.listdir(os.path.join(ptc, "articles")):
        with open(os.path.join(ptc, "articles", name), encoding="utf-8") as f:
            arts[name[len("article") : -len(".txt")]] = f.read()
    spans = collections.defaultdict(list)
    with open(os.path.join(ptc, "techniques.tsv"), encoding="utf-8") as f:
        for line in f:
            i, t, a, b = line.rstrip("\n").split("\t")
            if t == TECHNIQUE:
                spans[i].append((int(a), int(b)))
    texts, y, group = [], [], []
    for i, text in sorted(arts.items()):
        for a, b in sentences(text):
            cover = max((min(b, z) - max(a, x)) / (b - a) for x, z in spans[i] or [(0, 0)])
            texts.append(text[a:b])
            y.append(int(cover >= 0.3))
            group.append(i)
    y = np.array(y)
    ids = sorted(arts)
    np.random.RandomState(0).shuffle(ids)
    fold_of = {i: k % 5 for k, i in enumerate(ids)}
    fold = np.array([fold_of[g] for g in group])
    p = np.zeros(len(y))
    for k in range(5):
        train, test = np.where(fold != k)[0], np.where(fold == k)[0]
        vec, model = fit([texts[j] for j in train], y[train])
        p[test] = model.predict_proba(vec.transform([texts[j] for j in test]))[:, 1]
    print(f"{y.sum()} of {len(y)} sentences hold {TECHNIQUE}; held-out AUC {roc_auc_score(y, p):.3f}")
    for cut in [0.5, 0.7, 0.8, 0.9]:
        sel = p >= cut
        prec = y[sel].mean() if sel.any() else 0.0
        print(f"  p >= {cut}: {sel.sum():4d} sentences, precision {prec:.3f}, "
              f"recall {(sel & (y == 1)).sum() / y.sum():.3f}")
    vec, model = fit(texts, y)
    with open(example, encoding="utf-8") as f:
        text = f.read()
    ex = [text[a:b] for a, b in sentences(text)]
    scores = model.predict_proba(vec.transform(ex))[:, 1]
    print(f"{os.path.basename(example)}, highest-scored sentences:")
    for s, q in sorted(zip(ex, scores), key=lambda x: -x[1])[:8]:
        print(f"  {q:.2f} {s[:90]}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: doubt_sentence_probe.py PTC_DIR EXAMPLE.txt")
    main(sys.argv[1], sys.argv[2])
