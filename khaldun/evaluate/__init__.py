"""Score extracted events against hand-coded gold events (``khaldun eval``).

The gold format and the matching rules are documented in ``docs/eval.md``. In short: a
system event matches a gold event of the same document when its type is acceptable, its
date falls in the gold window and its place is close enough; pairs are matched one to
one, best first; precision counts matched system events, recall counts matched
*required* gold events; field accuracies are computed over the matched pairs.
"""

from khaldun.evaluate.gold import GoldDocument, GoldEvent, GoldPlace, read_gold, read_system_events
from khaldun.evaluate.scoring import DocumentScore, Evaluation, evaluate

__all__ = ["DocumentScore", "Evaluation", "GoldDocument", "GoldEvent", "GoldPlace", "evaluate", "read_gold",
           "read_system_events"]
