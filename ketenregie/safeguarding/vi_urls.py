"""URLs of the Verwijsindex pages (included at the root by config.urls; paths are complete)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
