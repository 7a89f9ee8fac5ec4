"""URLs of issue 15's escalation pages (included at the root by config.urls; paths are complete)."""

from django.urls import URLPattern, path

from ketenregie.cases import escalation_views

urlpatterns: list[URLPattern] = [
    path(
        "casussen/<id:case_id>/escalatiekaart/",
        escalation_views.case_escalation_map,
        name="case_escalation_map",
    ),
    path(
        "casussen/<id:case_id>/escalatiekaart/meldingen/<id:notice_id>/gezien/",
        escalation_views.escalation_notice_seen,
        name="escalation_notice_seen",
    ),
]
