"""What a batch run tells its user: counts by outcome, the first failures, and the time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

SHOWN = 20  # failures printed on stderr; the errors table has them all


@dataclass
class Report:
    documents: int = 0  # extracted and written
    reasons: Counter[tuple[str, bool]] = field(default_factory=Counter)  # (kind, skipped)
    failures: list[str] = field(default_factory=list)  # "<document>: <reason>", first SHOWN
    model_loads: int = 0  # processes that loaded the spaCy model
    seconds: float = 0.0  # the run, after the engine started (Spark's JVM not included)

    def add(self, other: Report) -> None:
        self.documents += other.documents
        self.reasons.update(other.reasons)
        self.failures += other.failures[:SHOWN - len(self.failures)]
        self.model_loads += other.model_loads

    def error(self, document: str, reason: str, kind: str, skipped: bool) -> None:
        self.reasons[kind, skipped] += 1
        if not skipped and len(self.failures) < SHOWN:
            self.failures.append(f"{document}: {reason}")

    @property
    def failed(self) -> int:
        return sum(n for (_, skipped), n in self.reasons.items() if not skipped)

    def summary(self, out: str) -> str:
        """The end-of-run line, like ``extract``'s, with where the tables went."""
        parts = [f"{self.documents} extracted"]
        for label, skipped in (("skipped", True), ("failed", False)):
            group = Counter({k: n for (k, s), n in self.reasons.items() if s == skipped})
            why = ", ".join(f"{kind}: {n}" for kind, n in group.most_common())
            parts.append(f"{group.total()} {label}" + (f" ({why})" if why else ""))
        return (f"onrecord: {', '.join(parts)}; model loaded {self.model_loads}x; "
                f"{self.seconds:.1f} s; tables in {out}")
