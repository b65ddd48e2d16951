"""The parse floor: read every meeting file of an archive and load its front
matter with PyYAML's CSafeLoader, nothing else. ``bench/run.py`` times this
script as the least any loader of the archive could cost.

    python bench/floor.py ARCHIVE
"""

import os
import sys

import yaml


def main(root: str) -> int:
    count = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "templates")
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(dirpath, name), "rb") as fh:
                text = fh.read().decode("utf-8-sig")
            if text.startswith("---"):
                end = text.find("\n---", 3)
                if end > 0:
                    yaml.load(text[3:end], Loader=yaml.CSafeLoader)
                    count += 1
    sys.stdout.write(f"{count}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
