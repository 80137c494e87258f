"""Steps that need the whole batch before any record is written: copies and site templates.

Copy groups are found first, on the bodies as extracted, so that a site's
template lines can be counted once per story rather than once per copy.
"""

from __future__ import annotations

from onrecord.ingest.base import InputError, Source
from onrecord.ingest.clean import drop_site_repeats
from onrecord.ingest.dedup import mark_copies


def prepare_batch(items: list[Source | InputError]) -> list[Source | InputError]:
    """The batch in the same order, with copy groups marked and site templates removed."""
    sources = [s for s in items if isinstance(s, Source)]
    dates = [s.meta.get("published") for s in sources]
    marks = mark_copies([s.id for s in sources], [s.text for s in sources],
                        [d if isinstance(d, str) else None for d in dates])
    for src, (duplicate_of, group) in zip(sources, marks, strict=True):
        if group:
            src.meta.update(duplicate_of=duplicate_of, copy_group=group)
    drop_site_repeats(sources)
    return [InputError(s.label, "no article text left after removing site template")
            if isinstance(s, Source) and not s.text.strip() else s for s in items]
