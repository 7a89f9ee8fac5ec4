"""Who may see and do what with Verwijsindex signals; built on the one case gate.

- The signals of a case: whoever sees the case in full (an adviser gets 403, like every
  page with identifying data; anyone else who does not see the case gets 404).
- A signal is changed (informed, withdrawn) only by its own signaller.
- A match is seen and answered only by the two signallers, each through their own signal's
  case; neither learns anything about the other's case beyond the match itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ketenregie.cases.access import full_case_ids, get_full_case_for
from ketenregie.core.converters import parse_id
from ketenregie.core.timeutil import today
from ketenregie.safeguarding.vi_models import VerwijsindexMatch, VerwijsindexSignal

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ketenregie.accounts.models import User
    from ketenregie.cases.models import Case


def vi_case_for(user: User | AnonymousUser, case_id: Any) -> Case:
    """The case whose Verwijsindex page the user may open (full access only)."""
    return get_full_case_for(user, case_id)


def vi_own_signal(user: User, case: Case, signal_id: Any) -> VerwijsindexSignal:
    """One of the user's own signals on this case, for a change; 404 otherwise."""
    pk = parse_id(signal_id)
    signal = (
        VerwijsindexSignal.objects.filter(case=case, pk=pk, signaller_id=user.pk)
        .select_related("person")
        .first()
        if pk is not None
        else None
    )
    if signal is None:
        raise Http404("Signaal niet gevonden")
    return signal


def vi_own_side_q(user: User) -> Q:
    """Matches where one of the two signals is the user's own, on a case they still see
    in full (a professional who left the case no longer acts on its matches)."""
    cases = full_case_ids(user)
    return Q(first__signaller_id=user.pk, first__case_id__in=cases) | Q(
        second__signaller_id=user.pk, second__case_id__in=cases
    )


def vi_active_matches(user: User) -> QuerySet[VerwijsindexMatch]:
    """The user's matches where both signals are still active."""
    day = today()
    return VerwijsindexMatch.objects.filter(vi_own_side_q(user)).filter(
        first__expires_on__gt=day, second__expires_on__gt=day
    )


def vi_matches_on_case(user: User, case: Case) -> QuerySet[VerwijsindexMatch]:
    """The user's active matches through their own signals on `case`, a case that has
    passed the gate in full (`vi_case_for`). The own side is then this case, so the
    user's whole set of visible cases (`vi_own_side_q`, a subquery that grows with the
    data) need not be joined: the same rows, from the signals of one case."""
    day = today()
    own = VerwijsindexSignal.objects.filter(case=case, signaller_id=user.pk).values("pk")
    return VerwijsindexMatch.objects.filter(Q(first_id__in=own) | Q(second_id__in=own)).filter(
        first__expires_on__gt=day, second__expires_on__gt=day
    )


def vi_match_for(user: User, case: Case, match_id: Any) -> VerwijsindexMatch:
    """A match of one of the user's active signals on this case; 404 otherwise."""
    pk = parse_id(match_id)
    match = vi_matches_on_case(user, case).filter(pk=pk).first() if pk is not None else None
    if match is None:
        raise Http404("Match niet gevonden")
    return match
