"""The reporter's rating page, reached by the emailed link only."""

from django.shortcuts import render

from core.errors import DomainError
from ratings.forms import RatingForm
from ratings.services import rating_link_check, rating_submit


def rate(request, token: str):
    try:
        report, _event = rating_link_check(token=token)
    except DomainError as exc:
        return render(request, "ratings/invalid.html", {"message": exc.message}, status=exc.http_status)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating = rating_submit(token=token, score=form.cleaned_data["score"], solved=form.cleaned_data["solved"], user=request.user)
        except DomainError as exc:
            return render(request, "ratings/invalid.html", {"message": exc.message}, status=exc.http_status)
        return render(request, "ratings/thanks.html", {"report": report, "rating": rating})
    status = 400 if request.method == "POST" else 200
    return render(request, "ratings/rate.html", {"report": report, "form": form}, status=status)
