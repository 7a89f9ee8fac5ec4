"""URLs of the PGA-scan (included under /pga-scan/ by config.urls)."""

from django.urls import path

from ketenregie.reports import scan_views as views

urlpatterns = [
    path("", views.scan_index, name="scan_index"),
    path("nieuw/", views.scan_new, name="scan_new"),
    path("<id:round_id>/", views.scan_round, name="scan_round"),
    path("<id:round_id>/uitnodigen/", views.scan_invite, name="scan_invite"),
    path("<id:round_id>/herinneren/", views.scan_remind, name="scan_remind"),
    path("<id:round_id>/sluiten/", views.scan_close, name="scan_close"),
    path("<id:round_id>/gesprek/", views.scan_conversation, name="scan_conversation"),
    path("<id:round_id>/invullen/", views.scan_fill, name="scan_fill"),
    path("<id:round_id>/uitkomsten/", views.scan_results, name="scan_results"),
    path("<id:round_id>/uitkomsten.pdf", views.scan_results_pdf, name="scan_results_pdf"),
]
