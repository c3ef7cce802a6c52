from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "concerns/list.html", {"concerns": selectors.concerns_for(request.user)[:200], "title": "Concerns"}
    )


@login_required
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern = selectors.concern_for(request.user, pk)
    comments = concern.comments.select_related("channel")
    return render(
        request, "concerns/detail.html", {"concern": concern, "comments": comments, "title": f"Concern {concern.pk}"}
    )
