"""The AVG grounds for sharing: the one rule lives in `cases.grounds` (one layer down, so
every exchange and the data-sharing register use it); imported here under the names the
bekendheidscheck and the escalation have always used."""

from __future__ import annotations

from ketenregie.cases.grounds import PUBLIC_DOMAINS as PUBLIC_DOMAINS
from ketenregie.cases.grounds import sharing_errors as sharing_errors
