from django.shortcuts import render


def about(request):
    return render(request, "mapping/about.html")
