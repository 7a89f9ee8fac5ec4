"""URLs of issue 15's household pages (included at the root by config.urls; paths are complete).

Slice templates: the signatures of the support plan and the safety plan (seed 002 7.1 /
7.2), and the safety concerns a director records on a case.
"""

from django.urls import URLPattern, path

from ketenregie.plans.views import plan as plan_views
from ketenregie.plans.views import safety as safety_views

urlpatterns: list[URLPattern] = [
    path(
        "casussen/<id:case_id>/plan/ondertekening/",
        plan_views.plan_sign,
        name="plan_sign",
    ),
    path(
        "casussen/<id:case_id>/veiligheidsplan/ondertekening/",
        safety_views.safety_sign,
        name="safety_sign",
    ),
    path(
        "casussen/<id:case_id>/zorgen-veiligheid/",
        safety_views.case_safety_concerns,
        name="case_safety_concerns",
    ),
]
