"""URLs of issue 15's aftercare pages (included at the root by config.urls; paths are complete):
aftercare and the trajectory's evaluation (phase 6b), and phase 6a."""

from django.urls import URLPattern, path

from ketenregie.pga import aftercare_views as views

urlpatterns: list[URLPattern] = [
    path("casussen/<id:case_id>/nazorg/", views.aftercare_page, name="pga_aftercare"),
    path("casussen/<id:case_id>/nazorg/toevoegen/", views.aftercare_add, name="pga_aftercare_add"),
    path(
        "casussen/<id:case_id>/nazorg/<id:agreement_id>/",
        views.aftercare_edit,
        name="pga_aftercare_edit",
    ),
    path(
        "casussen/<id:case_id>/nazorg/<id:agreement_id>/verwijderen/",
        views.aftercare_remove,
        name="pga_aftercare_remove",
    ),
    path("casussen/<id:case_id>/nazorg/evaluatie/", views.evaluation, name="pga_evaluation"),
    path(
        "casussen/<id:case_id>/wisseling/",
        views.professional_change,
        name="pga_professional_change",
    ),
]
