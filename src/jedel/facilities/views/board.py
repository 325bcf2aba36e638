"""The national capacity board (placeholder until the board lands)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def board_page(request: HttpRequest) -> HttpResponse:
    return render(request, "common/base.html")


def about_page(request: HttpRequest) -> HttpResponse:
    return render(request, "common/base.html")
