"""Language processing: spaCy parsing, boilerplate, entities, statements."""

from typing import Literal

# How statements are found: "learned" tags spans with the learned model (the rules' spans
# among its features); "rules" keeps the hand-written rules alone.
Attribution = Literal["learned", "rules"]
ATTRIBUTIONS: tuple[Attribution, ...] = ("learned", "rules")
