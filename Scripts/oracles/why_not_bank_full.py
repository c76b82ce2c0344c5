#!/usr/bin/env python3
"""Expected values for `why-not y = "no" by <categorical columns> all` on bank-full.csv.

Computed independently of nk with pandas and scipy: every single value of the nine
categorical columns and every pair of values from two different columns whose single
values both cover at least 1 % of the target rows (Apriori), kept when the pair does too.
For each pattern: a (target rows with it), b (other rows with it), the risk ratio, Katz's
95 % interval, Fisher's two-sided p-value, and the Benjamini-Hochberg q-value over all.

    python3 Scripts/oracles/why_not_bank_full.py ../shared/realdata/bank_marketing/bank-full.csv \
        > Tests/Corpus/whynot/bank-full-y-no.json
"""
import itertools
import json
import math
import sys

import pandas as pd
from scipy.stats import false_discovery_control, fisher_exact, norm

COLUMNS = ["job", "marital", "education", "default", "housing", "loan", "contact", "month", "poutcome"]

data = pd.read_csv(sys.argv[1], sep=";")
target = (data["y"] == "no").to_numpy()
nt, n = int(target.sum()), len(data)
z = norm.ppf(0.975)


def frequent(a):
    return a * 100 >= 1 * nt and a > 0


def values(column):
    # in order of first appearance, as nk's dictionary codes are
    return list(dict.fromkeys(data[column]))


def condition(column, value):
    return f'{column} = "{value}"'


patterns = []
single_ok = {}
for column in COLUMNS:
    for value in values(column):
        mask = (data[column] == value).to_numpy()
        a, n1 = int((mask & target).sum()), int(mask.sum())
        single_ok[(column, value)] = frequent(a)
        if frequent(a):
            patterns.append((condition(column, value), 1, a, n1))
for c1, c2 in itertools.combinations(COLUMNS, 2):
    for v1 in values(c1):
        if not single_ok[(c1, v1)]:
            continue
        m1 = (data[c1] == v1).to_numpy()
        for v2 in values(c2):
            if not single_ok[(c2, v2)]:
                continue
            mask = m1 & (data[c2] == v2).to_numpy()
            a, n1 = int((mask & target).sum()), int(mask.sum())
            if n1 > 0 and frequent(a):
                patterns.append((condition(c1, v1) + " and " + condition(c2, v2), 2, a, n1))

rows = []
for text, order, a, n1 in patterns:
    b, c = n1 - a, nt - a
    n2 = n - n1
    d = n2 - c
    rr = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    p = float(fisher_exact([[a, b], [c, d]]).pvalue)
    rows.append({"pattern": text, "order": order, "target_count": a, "reference_count": b,
                 "risk_ratio": rr, "rr_low": rr * math.exp(-z * se), "rr_high": rr * math.exp(z * se),
                 "p_value": p})
q = false_discovery_control([r["p_value"] for r in rows], method="bh")
for r, qv in zip(rows, q):
    r["q_value"] = float(qv)
json.dump({"target_rows": nt, "rows": n, "patterns": rows}, sys.stdout, indent=0)
print()
