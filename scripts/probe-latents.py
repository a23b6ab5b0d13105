#!/usr/bin/python3
"""How much of each caption attribute an image codec's latents carry: a linear and a small MLP probe.

Reads the files `luma data inspect ENCODED --rows N --dump DIR` writes for an encoded shapes-world dataset (each
image's `*-image.latents-f32` next to its caption's `*-text.txt`), trains both probes on the first 80 % of the
images and prints their accuracy on the rest, per attribute (colour, shape, size). A probe well above chance means
the latents hold the attribute, so a model that reads them can learn it (docs/unified-model.md).

Needs numpy and scikit-learn (Debian: apt-get install python3-numpy python3-sklearn).
Usage: scripts/probe-latents.py DUMP_DIR
"""
import glob
import os
import re
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

CAPTION = re.compile(r"\ba (small|medium|large) (\w+) (\w+) at the")


def caption_of(directory, document, segment):
    """The caption stated right before or right after the image segment, or None."""
    for neighbour in (segment - 1, segment + 1):
        path = os.path.join(directory, f"{document}-{neighbour}-text.txt")
        if os.path.exists(path):
            match = CAPTION.search(open(path, encoding="utf-8").read())
            if match:
                return match
    return None


def main(directory):
    latents, labels = [], {"colour": [], "shape": [], "size": []}
    for path in sorted(glob.glob(os.path.join(directory, "*-image.latents-f32"))):
        document, segment = os.path.basename(path).split("-")[:2]
        caption = caption_of(directory, document, int(segment))
        if caption is None:
            continue
        latents.append(np.fromfile(path, dtype="<f4"))
        labels["size"].append(caption.group(1))
        labels["colour"].append(caption.group(2))
        labels["shape"].append(caption.group(3))
    if len(latents) < 50:
        sys.exit(f"error: {directory}: found {len(latents)} captioned images; expected the output of "
                 "`luma data inspect ENCODED --rows N --dump DIR` with N in the thousands")
    x = np.stack(latents)
    split = int(len(x) * 0.8)
    print(f"{len(x)} captioned images, {x.shape[1]} latent values each; probes trained on {split}, tested on {len(x) - split}")
    print(f"{'attribute':<10}{'chance':>8}{'linear':>8}{'mlp':>8}")
    for attribute, values in labels.items():
        y = np.array(values)
        chance = 1 / len(set(values))
        linear = LogisticRegression(max_iter=5000).fit(x[:split], y[:split]).score(x[split:], y[split:])
        mlp = MLPClassifier((256,), max_iter=500, random_state=0).fit(x[:split], y[:split]).score(x[split:], y[split:])
        print(f"{attribute:<10}{chance:>8.2f}{linear:>8.3f}{mlp:>8.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
