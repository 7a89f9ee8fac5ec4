"""URLs of issue 15's household pages (included at the root by config.urls; paths are complete)."""

from django.urls import URLPattern, path

from ketenregie.cases import household_views as views

urlpatterns: list[URLPattern] = [
    path("casussen/<id:case_id>/huishouden/", views.household, name="household"),
    path(
        "casussen/<id:case_id>/huishouden/lid/nieuw/", views.member_add, name="household_member_add"
    ),
    path(
        "casussen/<id:case_id>/huishouden/lid/<id:member_id>/",
        views.member_edit,
        name="household_member_edit",
    ),
    path(
        "casussen/<id:case_id>/huishouden/lid/<id:member_id>/beeindigen/",
        views.member_end,
        name="household_member_end",
    ),
    path(
        "casussen/<id:case_id>/huishouden/netwerk/nieuw/",
        views.network_add,
        name="household_network_add",
    ),
    path(
        "casussen/<id:case_id>/huishouden/netwerk/<id:contact_id>/",
        views.network_edit,
        name="household_network_edit",
    ),
    path(
        "casussen/<id:case_id>/huishouden/netwerk/<id:contact_id>/beeindigen/",
        views.network_end,
        name="household_network_end",
    ),
    path(
        "casussen/<id:case_id>/huishouden/toestemming/nieuw/",
        views.consent_add,
        name="household_consent_add",
    ),
    path(
        "casussen/<id:case_id>/huishouden/toestemming/<id:consent_id>/intrekken/",
        views.consent_withdraw,
        name="household_consent_withdraw",
    ),
    path(
        "casussen/<id:case_id>/huishouden/voorkeur-regisseur/",
        views.preference,
        name="household_preference",
    ),
]
