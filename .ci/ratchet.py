#!/usr/bin/env python3
"""Runs the conformance corpora and enforces the ratchet: a directory listed in
.ci/passing/<corpus>.txt must keep passing. Directories that newly pass are reported; add them with
--update (the lists only grow: --update never removes a line)."""
import argparse, os, subprocess, sys, tempfile

CORPORA = ["kubeflow-v1.10.2", "roundtrip-kubeflow"]
HERE = os.path.dirname(os.path.abspath(__file__))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--binary", required=True)
    ap.add_argument("--update", action="store_true", help="add newly passing directories to the lists")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    failed = False
    for corpus in CORPORA:
        listed_path = os.path.join(HERE, "passing", corpus + ".txt")
        listed = set()
        if os.path.exists(listed_path):
            listed = {l.strip() for l in open(listed_path) if l.strip() and not l.startswith("#")}
        with tempfile.NamedTemporaryFile("r", suffix=".tsv") as tsv:
            p = subprocess.run([os.path.join(a.shared, "conformance", "run"), "--corpus", corpus,
                                "--tsv", tsv.name, "--", binary], capture_output=True, text=True)
            summary = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "(no output)"
            results = [l.rstrip("\n").split("\t") for l in open(tsv.name) if l.strip()]
        passing = {d for d, res, *_ in results if res == "pass"}
        regressed = sorted(listed - passing)
        new = sorted(passing - listed)
        print(f"{corpus}: {summary}; ratchet {len(listed)} listed, {len(regressed)} regressed, {len(new)} newly passing")
        for d in regressed:
            print(f"  REGRESSED {d}")
        if regressed:
            failed = True
        if new:
            if a.update:
                with open(listed_path, "w") as f:
                    f.write("\n".join(sorted(listed | passing)) + "\n")
                print(f"  added {len(new)} to {os.path.relpath(listed_path)}")
            else:
                for d in new[:20]:
                    print(f"  new pass {d}")
                print("  (run .ci/ratchet.py --update to record them)")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
