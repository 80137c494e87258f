"""Language processing: spaCy parsing, boilerplate, entities, statements.

spaCy's numeric library (thinc) imports PyTorch when it is installed, which costs more
than a second and a few hundred MB and is never used here (the tagger runs in ONNX
Runtime). Importing this package first loads thinc with PyTorch hidden, so a development
environment that has PyTorch for training still extracts without it.
"""

import sys
from typing import Literal

if "thinc" not in sys.modules and "torch" not in sys.modules:
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import thinc.compat  # noqa: F401 - records has_torch = False
    finally:
        del sys.modules["torch"]

# How statements are found: "learned" tags spans with the learned model (the rules' spans
# among its features); "rules" keeps the hand-written rules alone.
Attribution = Literal["learned", "rules"]
ATTRIBUTIONS: tuple[Attribution, ...] = ("learned", "rules")
