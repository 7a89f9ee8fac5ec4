"""URLs of issue 15's escalation pages (included at the root by config.urls; paths are complete)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
