"""URLs of the Verwijsindex pages (included at the root by config.urls; paths are complete)."""

from django.urls import URLPattern, path

from ketenregie.safeguarding import vi_views

urlpatterns: list[URLPattern] = [
    path("casussen/<id:case_id>/verwijsindex/", vi_views.vi_list, name="vi_list"),
    path("casussen/<id:case_id>/verwijsindex/nieuw/", vi_views.vi_new, name="vi_new"),
    path(
        "casussen/<id:case_id>/verwijsindex/<id:signal_id>/geinformeerd/",
        vi_views.vi_informed,
        name="vi_informed",
    ),
    path(
        "casussen/<id:case_id>/verwijsindex/<id:signal_id>/intrekken/",
        vi_views.vi_withdraw,
        name="vi_withdraw",
    ),
    path(
        "casussen/<id:case_id>/verwijsindex/match/<id:match_id>/afstemming/",
        vi_views.vi_consultation,
        name="vi_consultation",
    ),
]
