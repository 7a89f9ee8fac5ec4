"""Safeguarding in the household variant (issue 15, seed 002 sections 4 and 8): the reporting
code for domestic violence and child abuse (meldcode: five steps, the five decision questions,
reports to Veilig Thuis) and Verwijsindex signals for young people under 23. Sits above plans
(the meldcode questions are asked again at each progress meeting), a peer of reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardingConfig(AppConfig):
    name = "ketenregie.safeguarding"
    label = "safeguarding"
    verbose_name = _("Meldcode en Verwijsindex")

    def ready(self) -> None:
        # Slice meldcode: the decision questions on a case meeting's page.
        from ketenregie.plans.meeting_panels import register_meeting_panel
        from ketenregie.safeguarding.meldcode_views import meeting_panel

        register_meeting_panel(meeting_panel)

        # Slice planvi: the Verwijsindex line of the support plan's "overige gegevens".
        from ketenregie.plans.plan_details import register_plan_detail
        from ketenregie.safeguarding.vi_plan import plan_signal_detail

        register_plan_detail(plan_signal_detail)
