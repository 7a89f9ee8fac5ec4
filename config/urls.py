"""URL map of Ketenregie."""

from django.urls import include, path

from ketenregie.accounts import views as accounts_views
from ketenregie.audit import views as audit_views
from ketenregie.cases import views as case_views
from ketenregie.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", core_views.dashboard, name="dashboard"),
    path("casussen/", case_views.case_list, name="case_list"),
    path("casussen/<int:case_id>/", case_views.case_detail, name="case_detail"),
    path("casussen/<int:case_id>/betrokkene/", case_views.person_edit, name="person_edit"),
    path("casussen/<int:case_id>/team/nieuw/", case_views.team_add, name="team_add"),
    path(
        "casussen/<int:case_id>/team/<int:membership_id>/beeindigen/",
        case_views.team_end,
        name="team_end",
    ),
    path("audittrail/", audit_views.audit_search, name="audit_search"),
    path("beheer/", accounts_views.manage_index, name="manage_index"),
    path("beheer/<slug:kind>/", accounts_views.manage_list, name="manage_list"),
    path("beheer/<slug:kind>/nieuw/", accounts_views.manage_edit, name="manage_create"),
    path("beheer/<slug:kind>/<int:pk>/", accounts_views.manage_edit, name="manage_edit"),
]
