#!/usr/bin/env python3
"""Module import cycles in a Rust crate's src/: which modules name which (`crate::a::b`,
`super::x`, `use` lines), at the depth given, and the strongly connected components of that
graph. Usage: scripts/module_cycles.py crates/svclab-core/src [depth]. Exit 1 on a cycle."""
import os, re, sys

root = sys.argv[1]
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 1

def module_of(path):
    rel = os.path.relpath(path, root)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return rel

def strip(text):
    # Drop comments, strings and #[cfg(test)] modules: tests may look anywhere.
    text = re.sub(r"#\[cfg\(test\)\]\s*mod \w+\s*\{.*", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)

edges = {}
for dirpath, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".rs"):
            continue
        path = os.path.join(dirpath, f)
        mod = module_of(path)
        me = "::".join(mod[:depth]) or "crate"
        text = strip(open(path).read())
        targets = set()
        for m in re.finditer(r"\bcrate::([a-z_]+(?:::[a-z_]+)*)", text):
            targets.add(m.group(1).split("::"))  if False else targets.add("::".join(m.group(1).split("::")[:depth]))
        for m in re.finditer(r"\bsuper::([a-z_]+(?:::[a-z_]+)*)", text):
            parent = mod[:-1] if f not in ("mod.rs",) else mod[:-1]
            full = parent + m.group(1).split("::")
            targets.add("::".join(full[:depth]))
        for m in re.finditer(r"\buse\s+super::\{([^}]*)\}", text):
            parent = mod[:-1]
            for item in m.group(1).split(","):
                item = item.strip().split("::")[0]
                if item and item[0].islower() and item != "self":
                    targets.add("::".join((parent + [item])[:depth]))
        targets.discard(me)
        edges.setdefault(me, set()).update(t for t in targets if t)

# Tarjan's SCC.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in list(edges):
    if v not in index:
        visit(v)
for c in sccs:
    print("cycle:", " <-> ".join(c))
    for a in c:
        print("   ", a, "->", ", ".join(sorted(t for t in edges[a] if t in c)))
sys.exit(1 if sccs else 0)
