"""URLs of the meldcode pages (included at the root by config.urls; paths are complete)."""

from django.urls import URLPattern, path

from ketenregie.safeguarding import meldcode_views as views

urlpatterns: list[URLPattern] = [
    path("casussen/<id:case_id>/meldcode/", views.meldcode, name="meldcode"),
    path("casussen/<id:case_id>/meldcode/starten/", views.meldcode_start, name="meldcode_start"),
    path("casussen/<id:case_id>/meldcode/stap/", views.meldcode_step, name="meldcode_step"),
    path("casussen/<id:case_id>/meldcode/acuut/", views.meldcode_acute, name="meldcode_acute"),
    path(
        "casussen/<id:case_id>/meldcode/afwegingsvragen/",
        views.meldcode_answers,
        name="meldcode_answers",
    ),
    path(
        "casussen/<id:case_id>/meldcode/overleg/<id:meeting_id>/",
        views.meldcode_meeting,
        name="meldcode_meeting",
    ),
    path("casussen/<id:case_id>/meldcode/afsluiten/", views.meldcode_end, name="meldcode_end"),
    path(
        "casussen/<id:case_id>/meldcode/veilig-thuis/",
        views.meldcode_report,
        name="meldcode_report",
    ),
    path(
        "casussen/<id:case_id>/meldcode/veilig-thuis/<id:report_id>/reactie/",
        views.meldcode_followup,
        name="meldcode_followup",
    ),
]
